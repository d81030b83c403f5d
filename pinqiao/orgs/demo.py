"""Demo organisations: demo_employer owns a verified employer, demo_agency a verified agency
with an HR-service licence and one client authorisation, and one application waits in the
review queue (with a name that differs from the registry, so the anomaly shows)."""

from __future__ import annotations

from pinqiao.accounts.models import User
from pinqiao.orgs import testing
from pinqiao.orgs.models import Organisation


def load(stdout) -> None:  # noqa: ANN001
    employer = User.objects.filter(username="demo_employer").first()
    agency_owner = User.objects.filter(username="demo_agency").first()
    reviewer = User.objects.filter(username="demo_reviewer").first()
    if employer is None or agency_owner is None or reviewer is None:
        stdout.write("orgs: demo users missing, skipped")
        return
    reviewer.is_verified = lambda: True  # the loader acts as a reviewer past the second factor
    if not Organisation.objects.filter(created_by=employer).exists():
        testing.verified_employer(employer, reviewer, "聘桥示范科技")
        testing.register(employer, "示范电子", salt="demo-pending", person=7,
                         name="广州示范电子科技有限公司")
    if not Organisation.objects.filter(created_by=agency_owner).exists():
        agency = testing.verified_agency(agency_owner, reviewer, "渝才人力")
        testing.client_for(agency, agency_owner, reviewer, "天河餐饮", days=365)
    stdout.write(f"orgs: {Organisation.objects.count()} organisations "
                 "(demo_employer verified + 1 pending, demo_agency verified with 1 client)")
