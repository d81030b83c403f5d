"""TKT-5: the complainant's identity never reaches the party complained about. After a
complaint is upheld and a sanction imposed, walk every surface the recruiter can see — pages,
API responses, notifications, the sanction notice, their appeal — and find no trace of the
complainant."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pinqiao.moderation.models import Sanction
from pinqiao.notifications.models import Delivery, Notification
from pinqiao.risk import services as risk
from pinqiao.tickets import services

from .test_services import complain

pytestmark = pytest.mark.django_db


def test_nothing_the_accused_sees_names_the_complainant(user_client: Any, seeker: Any,
                                                        recruiter: Any, posting: Any,
                                                        handler: Any, handler2: Any) -> None:
    case = complain(seeker, posting, contact="13812345678")
    case = services.case_accept(actor=handler, case=case)
    services.case_resolve(actor=handler, case=case, upheld=True,
                          finding="经查，该职位面试时要求缴纳押金。", result="已下架、警告",
                          measures=services.Measures(remove_target=True,
                                                     sanction_kind="warning", rule="押金"))
    sanction = Sanction.objects.get(organisation=posting.organisation)
    appeal = risk.appeal_submit(actor=recruiter, sanction=sanction, content="不服")
    appeal = services.case_accept(actor=handler2, case=appeal)
    services.case_resolve(actor=handler2, case=appeal, upheld=False, finding="维持",
                          result="申诉不成立")

    secrets = {seeker.display_name, seeker.username, seeker.test_phone, "13812345678",
               "138****5678", str(seeker.email or "") or seeker.display_name}
    client = user_client(recruiter)
    surfaces = {
        "notices page": client.get(reverse("risk:notices")),
        "notice page": client.get(reverse("risk:notice", args=[sanction.pk])),
        "my cases page": client.get(reverse("tickets:mine")),
        "appeal page": client.get(reverse("tickets:detail", args=[appeal.pk])),
        "inbox page": client.get(reverse("notifications:inbox")),
        "api notices": client.get("/api/v1/cases/sanctions"),
        "api notice": client.get(f"/api/v1/cases/sanctions/{sanction.pk}"),
        "api my cases": client.get("/api/v1/cases/mine"),
        "api appeal": client.get(f"/api/v1/cases/mine/{appeal.pk}"),
    }
    for name, response in surfaces.items():
        assert response.status_code == 200, name
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, f"{secret!r} leaked on {name}"
    texts = [f"{n.subject} {n.body}" for n in Notification.objects.filter(user=recruiter)]
    texts += [f"{d.subject} {d.body}" for d in Delivery.objects.filter(
        notification__user=recruiter)]
    texts += [sanction.reason, sanction.rule, sanction.notice.evidence]
    assert texts
    for text in texts:
        for secret in secrets:
            assert secret not in text
    # The complainant's case itself is not reachable from the accused side.
    assert client.get(reverse("tickets:detail", args=[case.pk])).status_code == 404
    assert client.get(f"/api/v1/cases/mine/{case.pk}").status_code == 404
    assert client.get(reverse("tickets:staff_detail", args=[case.pk])).status_code == 403
    assert client.get(f"/api/v1/cases/desk/{case.pk}").status_code == 403
