app_name = "equipment_loans"

urlpatterns: list = []
