from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from pinqiao.api.urls import api

admin.site.__class__ = OTPAdminSite
admin.site.site_header = "聘桥管理后台"

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("pinqiao.core.urls")),
    path("", include("pinqiao.accounts.urls")),
    path("", include("pinqiao.disclosure.urls")),
    path("", include("pinqiao.notifications.urls")),
    path("", include("pinqiao.orgs.urls")),
    path("", include("pinqiao.moderation.urls")),
    path("", include("pinqiao.jobs.urls")),
    path("", include("pinqiao.resumes.urls")),
    path("", include("pinqiao.privacy.urls")),
    path("", include("pinqiao.applications.urls")),
    path("", include("pinqiao.interviews.urls")),
    path("", include("pinqiao.search.urls")),
    path("", include("pinqiao.recommendations.urls")),
    path("", include("pinqiao.ops.urls")),
]

handler404 = "pinqiao.core.views.page_not_found"
