from django.urls import path

from equipment_loans import views

app_name = "equipment_loans"

urlpatterns = [
    path("", views.loan_list, name="index"),
    path("new/", views.loan_new, name="new"),
    path("export/", views.loan_export, name="export"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("desk/", views.desk, name="desk"),
    path("items/", views.item_list, name="items"),
    path("items/export/", views.item_export, name="item_export"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("<str:reference>/", views.loan_detail, name="loan"),
    path("<str:reference>/slip.pdf", views.loan_slip, name="slip"),
    path("<str:reference>/check-out/", views.loan_check_out_view, name="check_out"),
    path("<str:reference>/not-collected/", views.loan_not_collected_view, name="not_collected"),
    path("<str:reference>/check-in/", views.loan_check_in_view, name="check_in"),
    path("<str:reference>/revise/", views.loan_revise_view, name="revise"),
]
