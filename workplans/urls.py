app_name = "workplans"

urlpatterns: list = []
