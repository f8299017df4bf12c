from __future__ import annotations

from django.urls import path

from engagements import views

app_name = "engagements"

urlpatterns = [
    path("today/", views.dashboard.today, name="today"),
    path("today/<slug:kind>/", views.dashboard.today_list, name="today_list"),
    path("our-partnerships/", views.dashboard.our_partnerships, name="our_partnerships"),
    path("partnerships/", views.partnerships.partnership_list, name="partnership_list"),
    path("partnerships.csv", views.partnerships.portfolio_export, name="portfolio_export"),
    path("partnerships/<int:pk>/summary/", views.partnerships.partnership_summary, name="partnership_summary"),
    path("partnerships/<int:pk>/history/", views.partnerships.partnership_history, name="partnership_history"),
    path("partnerships/new/", views.partnerships.partnership_form, name="partnership_create"),
    path("partnerships/<int:pk>/", views.partnerships.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", views.partnerships.partnership_form, name="partnership_edit"),
    path("partnerships/<int:pk>/status/", views.partnerships.partnership_status, name="partnership_status"),
    path("partnerships/<int:pk>/members/new/", views.partnerships.member_add, name="member_add"),
    path(
        "partnerships/<int:pk>/members/<int:member_pk>/remove/", views.partnerships.member_remove, name="member_remove"
    ),
    path("partnerships/<int:pk>/goals/new/", views.goals.goal_form, name="goal_create"),
    path("partnerships/<int:pk>/goals/<int:goal_pk>/", views.goals.goal_detail, name="goal_detail"),
    path("partnerships/<int:pk>/goals/<int:goal_pk>/edit/", views.goals.goal_form, name="goal_edit"),
    path("partnerships/<int:pk>/goals/<int:goal_pk>/progress/", views.goals.progress_add, name="progress_add"),
    path("partnerships/<int:pk>/goals/<int:goal_pk>/status/", views.goals.goal_status, name="goal_status"),
    path("partnerships/<int:pk>/plan/", views.plans.plan, name="plan"),
    path("partnerships/<int:pk>/plan/agree/", views.plans.plan_agree, name="plan_agree"),
    path("partnerships/<int:pk>/plan.csv", views.sharing.plan_export, name="plan_export"),
    path("partnerships/<int:pk>/share-links/new/", views.sharing.share_link_create, name="share_link_create"),
    path(
        "partnerships/<int:pk>/share-links/<int:link_pk>/revoke/",
        views.sharing.share_link_revoke,
        name="share_link_revoke",
    ),
    path("shared/<str:token>/", views.public.shared_plan, name="shared_plan"),
    path("partnerships/<int:pk>/invitations/new/", views.invitations.invitation_create, name="invitation_create"),
    path("invitations/<str:token>/", views.public.invitation_accept, name="invitation_accept"),
    path(
        "partnerships/<int:pk>/plan/save-template/", views.plan_templates.plan_template_save, name="plan_template_save"
    ),
    path(
        "partnerships/<int:pk>/plan/from-template/",
        views.plan_templates.plan_template_apply,
        name="plan_template_apply",
    ),
    path("partnerships/<int:pk>/activities/new/", views.plans.activity_form, name="activity_create"),
    path("partnerships/<int:pk>/activities/<int:activity_pk>/edit/", views.plans.activity_form, name="activity_edit"),
    path(
        "partnerships/<int:pk>/activities/<int:activity_pk>/status/",
        views.plans.activity_status,
        name="activity_status",
    ),
    path(
        "partnerships/<int:pk>/activities/<int:activity_pk>/roles/<int:member_pk>/",
        views.plans.role_cell,
        name="role_cell",
    ),
    path("partnerships/<int:pk>/schedule/", views.checkins.schedule_form, name="schedule_form"),
    path("partnerships/<int:pk>/check-ins/new/", views.checkins.check_in_create, name="check_in_create"),
    path("partnerships/<int:pk>/check-ins/<int:check_in_pk>/", views.checkins.check_in_detail, name="check_in_detail"),
    path(
        "partnerships/<int:pk>/check-ins/<int:check_in_pk>/next-steps/<int:step>/activity/",
        views.checkins.next_step_to_activity,
        name="next_step_to_activity",
    ),
    path("partnerships/<int:pk>/commitments/", views.commitments.commitment_list, name="commitment_list"),
    path("partnerships/<int:pk>/commitments.csv", views.commitments.commitment_export, name="commitment_export"),
    path("partnerships/<int:pk>/commitments/new/", views.commitments.commitment_create, name="commitment_create"),
    path(
        "partnerships/<int:pk>/check-ins/<int:check_in_pk>/<str:kind>/<int:line>/commitment/",
        views.commitments.check_in_line_to_commitment,
        name="check_in_line_to_commitment",
    ),
    path(
        "partnerships/<int:pk>/commitments/<int:commitment_pk>/",
        views.commitments.commitment_detail,
        name="commitment_detail",
    ),
    path(
        "partnerships/<int:pk>/commitments/<int:commitment_pk>/kept/",
        views.commitments.commitment_mark_kept,
        name="commitment_mark_kept",
    ),
    path(
        "partnerships/<int:pk>/commitments/<int:commitment_pk>/confirm/",
        views.commitments.commitment_confirm,
        name="commitment_confirm",
    ),
    path(
        "partnerships/<int:pk>/commitments/<int:commitment_pk>/dispute/",
        views.commitments.commitment_dispute,
        name="commitment_dispute",
    ),
    path(
        "partnerships/<int:pk>/commitments/<int:commitment_pk>/renegotiate/",
        views.commitments.commitment_renegotiate,
        name="commitment_renegotiate",
    ),
    path(
        "partnerships/<int:pk>/commitments/<int:commitment_pk>/withdraw/",
        views.commitments.commitment_withdraw,
        name="commitment_withdraw",
    ),
    path(
        "partnerships/<int:pk>/commitments/<int:commitment_pk>/broken/",
        views.commitments.commitment_mark_broken,
        name="commitment_mark_broken",
    ),
    path("partnerships/<int:pk>/trust/", views.trust.trust_log, name="trust_log"),
    path("partnerships/<int:pk>/trust/new/", views.trust.trust_entry_create, name="trust_entry_create"),
    path(
        "partnerships/<int:pk>/trust/<int:entry_pk>/correct/",
        views.trust.trust_entry_correct,
        name="trust_entry_correct",
    ),
    path("partnerships/<int:pk>/trust.csv", views.trust.trust_log_export, name="trust_log_export"),
    path("learning/", views.learning.learning_search, name="learning_search"),
    path("partnerships/<int:pk>/learning/", views.learning.lesson_list, name="lesson_list"),
    path("partnerships/<int:pk>/learning/new/", views.learning.lesson_create, name="lesson_create"),
    path("partnerships/<int:pk>/learning/<int:lesson_pk>/", views.learning.lesson_detail, name="lesson_detail"),
    path("partnerships/<int:pk>/learning/<int:lesson_pk>/edit/", views.learning.lesson_edit, name="lesson_edit"),
    path("partnerships/<int:pk>/learning/<int:lesson_pk>/delete/", views.learning.lesson_delete, name="lesson_delete"),
    path("partnerships/<int:pk>/risks/", views.risks.risk_list, name="risk_list"),
    path("partnerships/<int:pk>/risks/new/", views.risks.risk_create, name="risk_create"),
    path("partnerships/<int:pk>/risks/<int:risk_pk>/", views.risks.risk_detail, name="risk_detail"),
    path("partnerships/<int:pk>/risks/<int:risk_pk>/edit/", views.risks.risk_edit, name="risk_edit"),
    path("partnerships/<int:pk>/risks/<int:risk_pk>/close/", views.risks.risk_close, name="risk_close"),
    path(
        "partnerships/<int:pk>/risks/flags/<slug:key>/acknowledge/",
        views.risks.flag_acknowledge,
        name="flag_acknowledge",
    ),
    path("partnerships/<int:pk>/risks/flags/<slug:key>/risk/", views.risks.flag_to_risk, name="flag_to_risk"),
    path("partnerships/<int:pk>/health/", views.health.health_detail, name="health_detail"),
    path("partnerships/<int:pk>/health-checks/", views.health_checks.health_check_list, name="health_check_list"),
    path("partnerships/<int:pk>/health-checks/new/", views.health_checks.health_check_open, name="health_check_open"),
    path(
        "partnerships/<int:pk>/health-checks/<int:round_pk>/",
        views.health_checks.health_check_results,
        name="health_check_results",
    ),
    path(
        "partnerships/<int:pk>/health-checks/<int:round_pk>/answer/",
        views.health_checks.health_check_answer,
        name="health_check_answer",
    ),
    path(
        "partnerships/<int:pk>/health-checks/<int:round_pk>/close/",
        views.health_checks.health_check_close,
        name="health_check_close",
    ),
    path("reminders/", views.reminders.reminder_log, name="reminder_log"),
    path("reminders/<int:reminder_pk>/retry/", views.reminders.reminder_retry, name="reminder_retry"),
    path("unsubscribe/<str:token>/", views.public.unsubscribe, name="unsubscribe"),
    path("calendar/<str:token>.ics", views.public.calendar, name="calendar_feed"),
    path("webhooks/whatsapp/", views.public.whatsapp_webhook, name="whatsapp_webhook"),
]
