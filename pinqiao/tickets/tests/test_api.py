"""The desk API under /api/v1/cases/ (TKT-1 … TKT-4): the error body with a code, one case
for a double submit, the desk only for handlers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pinqiao.tickets.models import Case

from .conftest import png

pytestmark = pytest.mark.django_db


def _post(client: Any, posting: Any, **over: Any) -> Any:
    data = {"kind": "complaint", "target_type": "posting", "target_id": str(posting.pk),
            "reason_code": "fee_charging", "content": "要求交押金"}
    data.update(over)
    return client.post("/api/v1/cases", data)


def test_it_files_a_case_with_evidence_and_collapses_a_double_submit(
        user_client: Any, seeker: Any, posting: Any) -> None:
    client = user_client(seeker)
    first = _post(client, posting, evidence=[png()])
    assert first.status_code == 201, first.content
    again = _post(client, posting)
    assert again.json()["id"] == first.json()["id"] and Case.objects.count() == 1
    assert first.json()["deadline"] == Case.objects.get().deadline.isoformat()
    mine = client.get("/api/v1/cases/mine").json()
    assert [c["reference"] for c in mine] == [first.json()["reference"]]


@pytest.mark.parametrize(("over", "status", "code"), [
    ({"content": ""}, 400, "content_required"),
    ({"content": "字" * 50_000}, 400, "content_too_long"),
    ({"target_id": "999999"}, 404, "not_found"),
    ({"evidence": [SimpleUploadedFile("x.png", b"<svg/>", "image/png")]}, 400, "file_type"),
])
def test_bad_input_gets_the_error_body(user_client: Any, seeker: Any, posting: Any,
                                       over: dict, status: int, code: str) -> None:
    response = _post(user_client(seeker), posting, **over)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not Case.objects.exists()


def test_it_refuses_anonymous_and_non_handlers(client: Any, user_client: Any, seeker: Any,
                                               posting: Any) -> None:
    assert _post(client, posting).status_code == 401
    response = user_client(seeker).get("/api/v1/cases/desk")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_a_handler_works_the_desk(staff_client: Any, user_client: Any, seeker: Any,
                                  posting: Any, handler: Any) -> None:
    case_id = _post(user_client(seeker), posting).json()["id"]
    client = staff_client(handler)
    desk = client.get("/api/v1/cases/desk").json()
    assert desk[0]["id"] == case_id and desk[0]["complainant_name"].endswith("*")
    assert client.post(f"/api/v1/cases/desk/{case_id}/accept").json()["status"] == "accepted"
    response = client.post(f"/api/v1/cases/desk/{case_id}/resolve", {
        "upheld": True, "finding": "属实", "result": "已下架", "remove_target": True},
        content_type="application/json")
    assert response.json()["status"] == "resolved"
    posting.refresh_from_db()
    assert posting.status == "removed"


def test_the_regulator_exports_credit_records(staff_client: Any, regulator: Any,
                                              user_client: Any, seeker: Any,
                                              employer: Any) -> None:
    rows = staff_client(regulator).get("/api/v1/cases/credit-export").json()
    assert rows[0]["credit_code"] == employer.credit_code
    assert user_client(seeker).get("/api/v1/cases/credit-export").status_code == 403
    response = staff_client(regulator).get("/staff/risk/credit-export.json")
    assert response.json()["records"][0]["name"] == employer.name
