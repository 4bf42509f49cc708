from django.urls import path

from workplans import views, views_budgets, views_specs, views_surveys

app_name = "workplans"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.plan_new, name="new"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/edit/<slug:section>/", views.plan_edit_section, name="edit_section"),
    path(
        "<int:pk>/projects/<int:project_pk>/activities/",
        views.plan_edit_activities,
        name="edit_activities",
    ),
    path("<int:pk>/attachments/", views.plan_attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.plan_attachment, name="attachment"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.plan_attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/read/", views.plan_read, name="read"),
    path("<int:pk>/decide/", views.plan_decide_view, name="decide"),
    path("<int:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up_current"),
    path("<int:pk>/follow-up/<int:year>/<int:quarter>/", views.follow_up, name="follow_up"),
    path("<int:pk>/year-end/<int:year>/", views.year_end, name="year_end"),
    path("<int:pk>/year-end/<int:year>/pdf/", views.year_end_pdf, name="year_end_pdf"),
    path("<int:pk>/year-end/<int:year>/send/", views.year_end_send_view, name="year_end_send"),
    path("public/<slug:slug>/", views.public_page, name="public"),
    path("public/<slug:slug>/pdf/", views.public_pdf, name="public_pdf"),
    # Budget lines and spending
    path("<int:pk>/budget/", views_budgets.budget, name="budget_current"),
    path("<int:pk>/budget/<int:year>/", views_budgets.budget, name="budget"),
    path("<int:pk>/budget/<int:year>/pdf/", views_budgets.budget_pdf, name="budget_pdf"),
    path(
        "<int:pk>/budget/lines/<int:line_pk>/delete/",
        views_budgets.budget_line_remove,
        name="budget_line_delete",
    ),
    path(
        "<int:pk>/budget/spending/<int:spending_pk>/",
        views_budgets.spending_evidence,
        name="spending_evidence",
    ),
    # Surveys
    path("<int:pk>/surveys/new/", views_surveys.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", views_surveys.survey_detail, name="survey"),
    path("surveys/<int:pk>/send/", views_surveys.survey_send_view, name="survey_send"),
    path("surveys/<int:pk>/close/", views_surveys.survey_close_view, name="survey_close"),
    path("surveys/<int:pk>/answer/", views_surveys.survey_answer_view, name="survey_answer"),
    # Specifications
    path("specs/", views_specs.spec_library, name="spec_library"),
    path("specs/new/", views_specs.spec_item_edit, name="spec_item_new"),
    path("specs/<int:pk>/", views_specs.spec_item_edit, name="spec_item"),
    path("spec-drafts/", views_specs.spec_draft_list, name="spec_drafts"),
    path("spec-drafts/new/", views_specs.spec_draft_new, name="spec_draft_new"),
    path("spec-drafts/<int:pk>/", views_specs.spec_draft_detail, name="spec_draft"),
    path("spec-drafts/<int:pk>/add/", views_specs.spec_line_add_view, name="spec_line_add"),
    path("spec-drafts/<int:pk>/rows/<slug:which>/", views_specs.spec_draft_rows, name="spec_rows"),
    path("spec-drafts/<int:pk>/pdf/", views_specs.spec_draft_pdf, name="spec_draft_pdf"),
]
