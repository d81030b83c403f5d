"""The order in which apps load their demo data; each later app appends its loader."""

from pinqiao.accounts import demo as accounts_demo
from pinqiao.applications import demo as applications_demo
from pinqiao.applications import demo_activity
from pinqiao.disclosure import demo as disclosure_demo
from pinqiao.jobs import demo as jobs_demo
from pinqiao.orgs import demo as orgs_demo
from pinqiao.resumes import demo as resumes_demo
from pinqiao.resumes import demo_pool
from pinqiao.search import demo as search_demo

DEMO_LOADERS = [disclosure_demo.load, accounts_demo.load]
DEMO_LOADERS.append(orgs_demo.load)
DEMO_LOADERS.append(jobs_demo.load)
DEMO_LOADERS.append(resumes_demo.load)
DEMO_LOADERS.append(demo_pool.load)
DEMO_LOADERS.append(applications_demo.load)
DEMO_LOADERS.append(demo_activity.load)
DEMO_LOADERS.append(search_demo.load)
