app_name = "dmc_emis"

urlpatterns: list = []
