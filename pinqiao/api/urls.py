"""The API under /api/v1/, OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

from pinqiao.accounts.api import router as accounts_router
from pinqiao.api import errors
from pinqiao.disclosure.api import router as disclosure_router
from pinqiao.jobs.api import router as jobs_router
from pinqiao.notifications.api import router as notifications_router
from pinqiao.orgs.api import router as orgs_router

api = NinjaAPI(
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

urlpatterns = api.urls
