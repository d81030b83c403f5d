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
    path("", include("pinqiao.rights.urls")),
    path("", include("pinqiao.tickets.urls")),
    path("", include("pinqiao.risk.urls")),
    path("", include("pinqiao.tickets.help_urls")),
    path("", include("pinqiao.messaging.urls")),
    path("", include("pinqiao.analytics.urls")),
    path("", include("pinqiao.oversight.urls")),
    path("", include("pinqiao.insights.urls")),
]

# Chinese error pages with their own titles (issue 15).
handler400 = "pinqiao.core.error_pages.bad_request"
handler403 = "pinqiao.core.error_pages.permission_denied"
handler404 = "pinqiao.core.error_pages.page_not_found"
handler500 = "pinqiao.core.error_pages.server_error"
