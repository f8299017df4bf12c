from __future__ import annotations

from django.urls import path

from engagements import checkin_views, invitation_views, sharing_views, template_views, views

app_name = "engagements"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("our-partnerships/", views.our_partnerships, name="our_partnerships"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/new/", views.partnership_form, name="partnership_create"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", views.partnership_form, name="partnership_edit"),
    path("partnerships/<int:pk>/status/", views.partnership_status, name="partnership_status"),
    path("partnerships/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("partnerships/<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
    path("partnerships/<int:pk>/goals/new/", views.goal_form, name="goal_create"),
    path("partnerships/<int:pk>/goals/<int:goal_pk>/", views.goal_detail, name="goal_detail"),
    path("partnerships/<int:pk>/goals/<int:goal_pk>/edit/", views.goal_form, name="goal_edit"),
    path("partnerships/<int:pk>/goals/<int:goal_pk>/progress/", views.progress_add, name="progress_add"),
    path("partnerships/<int:pk>/goals/<int:goal_pk>/status/", views.goal_status, name="goal_status"),
    path("partnerships/<int:pk>/plan/", views.plan, name="plan"),
    path("partnerships/<int:pk>/plan/agree/", views.plan_agree, name="plan_agree"),
    path("partnerships/<int:pk>/plan.csv", sharing_views.plan_export, name="plan_export"),
    path("partnerships/<int:pk>/share-links/new/", sharing_views.share_link_create, name="share_link_create"),
    path(
        "partnerships/<int:pk>/share-links/<int:link_pk>/revoke/",
        sharing_views.share_link_revoke,
        name="share_link_revoke",
    ),
    path("shared/<str:token>/", sharing_views.shared_plan, name="shared_plan"),
    path("partnerships/<int:pk>/invitations/new/", invitation_views.invitation_create, name="invitation_create"),
    path("invitations/<str:token>/", invitation_views.invitation_accept, name="invitation_accept"),
    path("partnerships/<int:pk>/plan/save-template/", template_views.plan_template_save, name="plan_template_save"),
    path("partnerships/<int:pk>/plan/from-template/", template_views.plan_template_apply, name="plan_template_apply"),
    path("partnerships/<int:pk>/activities/new/", views.activity_form, name="activity_create"),
    path("partnerships/<int:pk>/activities/<int:activity_pk>/edit/", views.activity_form, name="activity_edit"),
    path("partnerships/<int:pk>/activities/<int:activity_pk>/status/", views.activity_status, name="activity_status"),
    path(
        "partnerships/<int:pk>/activities/<int:activity_pk>/roles/<int:member_pk>/",
        views.role_cell,
        name="role_cell",
    ),
    path("partnerships/<int:pk>/schedule/", checkin_views.schedule_form, name="schedule_form"),
    path("partnerships/<int:pk>/check-ins/new/", checkin_views.check_in_create, name="check_in_create"),
    path("partnerships/<int:pk>/check-ins/<int:check_in_pk>/", checkin_views.check_in_detail, name="check_in_detail"),
    path(
        "partnerships/<int:pk>/check-ins/<int:check_in_pk>/next-steps/<int:step>/activity/",
        checkin_views.next_step_to_activity,
        name="next_step_to_activity",
    ),
    path("reminders/", checkin_views.reminder_log, name="reminder_log"),
    path("reminders/<int:reminder_pk>/retry/", checkin_views.reminder_retry, name="reminder_retry"),
    path("unsubscribe/<str:token>/", checkin_views.unsubscribe, name="unsubscribe"),
    path("calendar/<str:token>.ics", checkin_views.calendar, name="calendar_feed"),
]
