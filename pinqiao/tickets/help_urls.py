from django.urls import path

from pinqiao.tickets import help_views as views

app_name = "help"
urlpatterns = [
    path("help/", views.help_home_view, name="home"),
    path("help/faq/<int:pk>/", views.faq_detail_view, name="faq"),
    path("help/tickets/", views.tickets_mine_view, name="mine"),
    path("help/tickets/new/", views.ticket_new_view, name="new"),
    path("help/tickets/<int:pk>/", views.ticket_view, name="ticket"),
    path("help/tickets/<int:pk>/files/<int:attachment_id>/", views.ticket_attachment_view,
         name="attachment"),
    path("staff/help/tickets/", views.queue_view, name="queue"),
    path("staff/help/tickets/<int:pk>/", views.staff_ticket_view, name="staff_ticket"),
    path("staff/help/tickets/<int:pk>/files/<int:attachment_id>/",
         views.staff_attachment_view, name="staff_attachment"),
    path("staff/help/faq/", views.faq_list_view, name="faq_list"),
    path("staff/help/faq/new/", views.faq_edit_view, name="faq_new"),
    path("staff/help/faq/<int:pk>/", views.faq_edit_view, name="faq_edit"),
    path("staff/help/canned/", views.canned_list_view, name="canned_list"),
    path("staff/help/canned/new/", views.canned_edit_view, name="canned_new"),
    path("staff/help/canned/<int:pk>/", views.canned_edit_view, name="canned_edit"),
]
