"""The API under /api/v1/, OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

from pinqiao.accounts.api import router as accounts_router
from pinqiao.api import errors
from pinqiao.applications.api import router as applications_router
from pinqiao.disclosure.api import router as disclosure_router
from pinqiao.interviews.api import router as interviews_router
from pinqiao.jobs.api import router as jobs_router
from pinqiao.notifications.api import router as notifications_router
from pinqiao.orgs.api import router as orgs_router
from pinqiao.privacy.api import router as privacy_router
from pinqiao.resumes.api import router as resumes_router
from pinqiao.search.api import router as search_router
from pinqiao.search.saved_api import router as saved_search_router


class PinqiaoAPI(NinjaAPI):
    """The project's API; its OpenAPI document names the error body on every operation."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict | None = None) -> dict:
        return errors.document_errors(
            super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = PinqiaoAPI(
    title="聘桥 Pinqiao API",
    version="1",
    description=(
        "聘桥网络招聘平台接口。所有错误返回 "
        "{\"error\": {\"code\", \"message\", \"fields\"}}。"
    ),
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", accounts_router)
api.add_router("/", disclosure_router)
api.add_router("/notifications", notifications_router)
api.add_router("/", orgs_router)
api.add_router("/", jobs_router)
api.add_router("/", resumes_router)
api.add_router("/", privacy_router)
api.add_router("/", applications_router)
api.add_router("/", interviews_router)
api.add_router("/", search_router)
api.add_router("/", saved_search_router)
api.add_router("/", "pinqiao.recommendations.api.router")
api.add_router("/", "pinqiao.search.talent.api.router")
api.add_router("/", "pinqiao.rights.api.router")
api.add_router("/", "pinqiao.tickets.api.router")
api.add_router("/", "pinqiao.tickets.help_api.router")
api.add_router("/", "pinqiao.messaging.api.router")
api.add_router("/", "pinqiao.analytics.api.router")
api.add_router("/", "pinqiao.oversight.api.router")
api.add_router("/", "pinqiao.insights.api.router")

urlpatterns = api.urls
