from django.urls import path

from pinqiao.resumes import views

app_name = "resumes"

urlpatterns = [
    path("me/resume/", views.mine, name="mine"),
    path("me/resume/submit/", views.submit, name="submit"),
    path("me/resume/basic/", views.edit_basic, name="edit_basic"),
    path("me/resume/photo/", views.photo, name="photo"),
    path("me/resume/photo/upload/", views.photo_upload, name="photo_upload"),
    path("me/resume/photo/remove/", views.photo_remove, name="photo_remove"),
    path("me/resume/contact/", views.edit_contact, name="edit_contact"),
    path("me/resume/intention/", views.edit_intention, name="edit_intention"),
    path("me/resume/about/", views.edit_about, name="edit_about"),
    path("me/resume/template/", views.template_choose, name="template"),
    path("me/resume/preview/<slug:template>/", views.preview, name="preview"),
    path("me/resume/pdf/", views.pdf, name="pdf"),
    path("me/resume/attachment/", views.attachment, name="attachment"),
    path("me/resume/attachment/file/", views.attachment_file, name="attachment_file"),
    path("me/resume/attachment/remove/", views.attachment_remove, name="attachment_remove"),
    path("me/resume/settings/", views.settings_view, name="settings"),
    path("me/resume/settings/block/", views.block_add, name="block_add"),
    path("me/resume/settings/unblock/<int:block_id>/", views.block_remove, name="block_remove"),
    path("me/resume/export.json", views.export_json, name="export_json"),
    path("me/resume/<slug:kind>/new/", views.entry_edit, name="entry_new"),
    path("me/resume/<slug:kind>/<int:entry_id>/", views.entry_edit, name="entry_edit"),
    path("me/resume/<slug:kind>/<int:entry_id>/delete/", views.entry_delete,
         name="entry_delete"),
    path("me/resume/<slug:kind>/<int:entry_id>/<slug:direction>/", views.entry_move,
         name="entry_move"),
]
