"""Every résumé, application and interview URL — pages and API — × {anonymous, another seeker, a
recruiter of another organisation, a recruiter of an unverified organisation, the owner, the
right recruiter}: no unexpected success (issue 6).

The URLs are read from the URLconf: every page of the ``resumes``, ``privacy``,
``applications`` and ``interviews`` namespaces, every API operation those apps define, and the
recommended-candidates page and endpoint (which list résumés). ``MATRIX`` must have an entry
for each, so a new URL without an entry — or an entry whose URL is gone — fails
``test_the_matrix_covers_every_url``.

Each entry says who may succeed (the owner, the right recruiter, both, nobody) and whether the
URL acts on the caller's own account (``/me/…`` lists, forms that create the caller's own
rows): there another user may succeed, but only on their own data. Everyone else must get
401 or a redirect to log in (anonymous), 403 or 404 (signed in); a 404 on someone else's
object is audited; a refused request writes nothing but its audit entry (the SQL is
captured), a request on one's own account leaves the owner's and the organisation's rows as
they were, and no page or response shows the owner's name or contact details. The allowed
actors must get through (no 401/403/404/422), which proves that every request is
well-formed. Each request runs in a savepoint that is rolled back, so every actor meets the
same world: an application with an offer, a booked video interview with a written test, a
résumé with a photo, an uploaded file, a blocked organisation, consents and a contact request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from pinqiao.api.urls import api
from pinqiao.applications import services as application_services
from pinqiao.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    ApplicationTag,
    Offer,
    PipelineStage,
    RejectionTemplate,
    ScreeningQuestion,
)
from pinqiao.applications.testing import applied
from pinqiao.core.models import AuditChainHead, AuditEntry
from pinqiao.core.permissions import Role
from pinqiao.interviews import services as interview_services
from pinqiao.interviews import testing as interview_testing
from pinqiao.interviews.models import (
    CheckIn,
    Interview,
    InterviewEvent,
    InterviewSlot,
    LocalRoomEvent,
    Scorecard,
    SeekerEvaluation,
    WrittenQuestion,
    WrittenTest,
)
from pinqiao.jobs.testing import published_posting
from pinqiao.notifications.models import Notification
from pinqiao.orgs import testing as org_testing
from pinqiao.privacy import services as privacy_services
from pinqiao.privacy.models import Consent, ContactRequest, ResumeAccess, ResumeDownload
from pinqiao.privacy.testing import released
from pinqiao.resumes import services as resume_services
from pinqiao.resumes import testing as resume_testing
from pinqiao.resumes.models import (
    Attachment,
    BlockedOrganisation,
    Certificate,
    Education,
    Honour,
    Resume,
    WorkExperience,
)
from pinqiao.resumes.tests import files
from pinqiao.search.models import SearchOutbox

pytestmark = pytest.mark.django_db

ANONYMOUS, OWNER, RIGHT = "anonymous", "owner", "right"
OTHERS = ("other_seeker", "other_recruiter", "unverified_recruiter")
ACTORS = (ANONYMOUS, *OTHERS, OWNER, RIGHT)

SEEKER, RECRUITER = frozenset({OWNER}), frozenset({RIGHT})
BOTH, NOBODY = frozenset({OWNER, RIGHT}), frozenset()

NAMESPACES = ("resumes", "privacy", "applications", "interviews")
API_APPS = ("resumes", "privacy", "applications", "interviews")
#: Outside those apps, URLs that show résumés: recommended candidates, talent search.
EXTRA_PAGES = ("recruiter/candidates/<int:pk>/", "talent/")
EXTRA_API = ("GET /my/candidates/{posting_id}", "GET /talent/search")

NAME, PHONE, EMAIL = "欧阳娜娜", resume_testing.CONTACT["phone"], resume_testing.CONTACT["email"]
#: What nobody but the owner and the right recruiter may see.
SECRETS = (NAME, "欧**", PHONE, "139****5678", EMAIL, "x***@example.com")
DENIED_PAGE, DENIED_API = (403, 404), (403, 404)


@dataclass(frozen=True)
class Call:
    """One request: ``body`` is form data for a page, JSON for the API; ``upload`` sends a file
    instead (``field:kind`` or ``kind``). ``allowed`` may succeed; with ``own`` the URL acts
    on the caller's own account, ``public`` needs no account. ``audited=False`` marks an
    organisation's settings, which hold no personal data: refusing them is not audited."""

    method: str
    url: str
    allowed: frozenset[str]
    body: Any = None
    own: bool = False
    public: bool = False
    upload: str = ""
    audited: bool = True

    @property
    def is_api(self) -> bool:
        return self.url.startswith("/api/")


def get(url: str, allowed: frozenset[str], **kw: Any) -> Call:
    return Call("get", url, allowed, **kw)


def post(url: str, allowed: frozenset[str], body: Any = None, **kw: Any) -> Call:
    return Call("post", url, allowed, body if body is not None else {}, **kw)


def call(method: str, url: str, allowed: frozenset[str], body: Any = None, **kw: Any) -> Call:
    return Call(method.lower(), f"/api/v1{url}", allowed, body, **kw)


@dataclass
class World:
    ids: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.ids[name]
        except KeyError:
            raise AttributeError(name) from None


def _future(days: int) -> str:
    return (timezone.localtime() + timedelta(days=days)).replace(
        hour=10, minute=0, second=0, microsecond=0).isoformat()


def _local(days: int) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT10:00")


OFFER = {"position": "仓库管理员", "pay_amount": "7000", "pay_unit": "month",
         "start_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
         "reply_by": (timezone.localdate() + timedelta(days=20)).isoformat()}
SCORES = {"skills": 4, "communication": 4, "fit": 4, "potential": 4, "recommendation": "yes"}


def _pages(w: World) -> dict[str, list[Call]]:
    app, iv, rid = w.application, w.interview, w.public_id
    edu = f"education/{w.education}"
    return {
        # résumés: the seeker's own (RES-1 … RES-4, PRIV-4)
        "me/resume/": [get("/me/resume/", SEEKER, own=True)],
        "me/resume/submit/": [post("/me/resume/submit/", SEEKER, own=True)],
        "me/resume/basic/": [get("/me/resume/basic/", SEEKER, own=True),
                             post("/me/resume/basic/", SEEKER, {"full_name": "李四"}, own=True)],
        "me/resume/photo/": [get("/me/resume/photo/", SEEKER, own=True)],
        "me/resume/photo/upload/": [post("/me/resume/photo/upload/", SEEKER, own=True,
                                         upload="photo")],
        "me/resume/photo/remove/": [post("/me/resume/photo/remove/", SEEKER, own=True)],
        "me/resume/contact/": [get("/me/resume/contact/", SEEKER, own=True)],
        "me/resume/intention/": [get("/me/resume/intention/", SEEKER, own=True)],
        "me/resume/about/": [get("/me/resume/about/", SEEKER, own=True)],
        "me/resume/template/": [get("/me/resume/template/", SEEKER, own=True)],
        "me/resume/preview/<slug:template>/": [get("/me/resume/preview/simple/", SEEKER,
                                                   own=True)],
        "me/resume/pdf/": [get("/me/resume/pdf/", SEEKER, own=True)],
        "me/resume/attachment/": [get("/me/resume/attachment/", SEEKER, own=True)],
        "me/resume/attachment/file/": [get("/me/resume/attachment/file/", SEEKER, own=True)],
        "me/resume/attachment/remove/": [post("/me/resume/attachment/remove/", SEEKER,
                                              own=True)],
        "me/resume/settings/": [get("/me/resume/settings/", SEEKER, own=True),
                                post("/me/resume/settings/", SEEKER, {"visibility": "hidden"},
                                     own=True)],
        "me/resume/settings/block/": [post("/me/resume/settings/block/", SEEKER,
                                           {"organisation": w.other_org}, own=True)],
        "me/resume/settings/unblock/<int:block_id>/": [
            post(f"/me/resume/settings/unblock/{w.block}/", SEEKER)],
        "me/resume/export.json": [get("/me/resume/export.json", SEEKER, own=True)],
        "me/resume/<slug:kind>/new/": [get("/me/resume/education/new/", SEEKER, own=True)],
        "me/resume/<slug:kind>/<int:entry_id>/": [
            get(f"/me/resume/{edu}/", SEEKER),
            post(f"/me/resume/{edu}/", SEEKER, {"school": "广州大学", "degree": "bachelor",
                                                "start_date": "2014-09"})],
        "me/resume/<slug:kind>/<int:entry_id>/delete/": [
            post(f"/me/resume/{edu}/delete/", SEEKER)],
        "me/resume/<slug:kind>/<int:entry_id>/<slug:direction>/": [
            post(f"/me/resume/{edu}/down/", SEEKER)],
        # privacy: the recruiter's résumé page and files, the seeker's consents and trail
        "recruiter/resumes/<uuid:public_id>/": [get(f"/recruiter/resumes/{rid}/", RECRUITER)],
        "recruiter/resumes/<uuid:public_id>/pdf/": [
            get(f"/recruiter/resumes/{rid}/pdf/", RECRUITER)],
        "recruiter/resumes/<uuid:public_id>/attachment/": [
            get(f"/recruiter/resumes/{rid}/attachment/", RECRUITER)],
        "recruiter/resumes/<uuid:public_id>/contact-request/": [
            post(f"/recruiter/resumes/{rid}/contact-request/", RECRUITER)],
        "me/privacy/consents/": [get("/me/privacy/consents/", SEEKER, own=True)],
        "me/privacy/consents/grant/": [post("/me/privacy/consents/grant/", SEEKER,
                                            {"purpose": "personalisation"}, own=True)],
        "me/privacy/consents/<int:pk>/withdraw/": [
            post(f"/me/privacy/consents/{w.consent}/withdraw/", SEEKER)],
        "me/privacy/contact-requests/<int:pk>/accept/": [
            post(f"/me/privacy/contact-requests/{w.contact_request}/accept/", SEEKER)],
        "me/privacy/contact-requests/<int:pk>/decline/": [
            post(f"/me/privacy/contact-requests/{w.contact_request}/decline/", SEEKER)],
        "me/resume/viewers/": [get("/me/resume/viewers/", SEEKER, own=True)],
        "staff/privacy/flags/": [get("/staff/privacy/flags/", NOBODY)],
        "staff/privacy/flags/<int:pk>/resolve/": [
            post("/staff/privacy/flags/1/resolve/", NOBODY)],
        "staff/privacy/inventory/": [get("/staff/privacy/inventory/", NOBODY)],
        # applications
        "jobs/<int:posting_id>/apply/": [get(f"/jobs/{w.posting}/apply/", SEEKER, own=True,
                                             public=True)],
        "me/applications/": [get("/me/applications/", SEEKER, own=True)],
        "me/applications/<int:pk>/": [get(f"/me/applications/{app}/", SEEKER)],
        "me/applications/<int:pk>/withdraw/": [
            post(f"/me/applications/{app}/withdraw/", SEEKER)],
        "me/applications/<int:pk>/offer/<slug:answer>/": [
            post(f"/me/applications/{app}/offer/accept/", SEEKER),
            post(f"/me/applications/{app}/offer/decline/", SEEKER)],
        "recruiter/applications/": [get("/recruiter/applications/", RECRUITER, own=True)],
        "recruiter/applications/bulk/": [
            post("/recruiter/applications/bulk/", RECRUITER,
                 {"ids": [app], "action": "move", "stage": "shortlisted"}),
            post("/recruiter/applications/bulk/", RECRUITER,
                 {"ids": [app], "action": "reject", "template": "fit"})],
        "recruiter/applications/<int:pk>/": [get(f"/recruiter/applications/{app}/", RECRUITER)],
        "recruiter/applications/<int:pk>/<slug:action>/": [
            post(f"/recruiter/applications/{app}/{action}/", RECRUITER, body)
            for action, body in (
                ("stage", {"stage": "shortlisted"}), ("reject", {"template": "fit"}),
                ("note", {"body": "备注"}), ("tags", {"tags": "甲"}), ("offer", OFFER),
                ("outcome", {"outcome": "hired"}))],
        "recruiter/applications/questions/<int:posting_id>/": [
            get(f"/recruiter/applications/questions/{w.posting}/", RECRUITER, audited=False)],
        "recruiter/applications/questions/<int:posting_id>/<int:question_id>/delete/": [
            post(f"/recruiter/applications/questions/{w.posting}/{w.question}/delete/",
                 RECRUITER, audited=False)],
        "recruiter/applications/settings/<int:org_id>/": [
            get(f"/recruiter/applications/settings/{w.org}/", RECRUITER, audited=False)],
        "recruiter/applications/settings/<int:org_id>/templates/": [
            post(f"/recruiter/applications/settings/{w.org}/templates/", RECRUITER,
                 {"title": "已招满", "body": "感谢您的关注，该岗位已招满。"}, audited=False)],
        "recruiter/applications/settings/<int:org_id>/templates/<int:template_id>/delete/": [
            post(f"/recruiter/applications/settings/{w.org}/templates/{w.template}/delete/",
                 RECRUITER, audited=False)],
        # interviews
        "recruiter/applications/<int:application_pk>/interviews/propose/": [
            get(f"/recruiter/applications/{app}/interviews/propose/", RECRUITER),
            post(f"/recruiter/applications/{app}/interviews/propose/", RECRUITER,
                 {"title": "二面", "mode": "phone", "duration_minutes": "60",
                  "time_zone": "Asia/Shanghai", "slot_1": _local(5)})],
        "recruiter/interviews/": [get("/recruiter/interviews/", RECRUITER, own=True)],
        "recruiter/interviews/<int:pk>/": [get(f"/recruiter/interviews/{iv}/", RECRUITER)],
        "recruiter/interviews/<int:pk>/<slug:action>/": [
            post(f"/recruiter/interviews/{iv}/{action}/", RECRUITER, body)
            for action, body in (
                ("slots", {"add-slot_1": _local(6)}),
                ("reschedule", {"reschedule-reason": "会议室冲突",
                                "reschedule-slot_1": _local(7)}),
                ("cancel", {"cancel-reason": "岗位调整"}),
                ("written-test", {"test-deadline": _local(2), "test-question_1": "介绍一次盘点。"}),
                ("scorecard", {f"score-{k}": v for k, v in SCORES.items()}),
                ("arrival", {}), ("no-show", {}), ("complete", {}))],
        "me/interviews/": [get("/me/interviews/", BOTH, own=True)],
        "me/interviews/<int:pk>/": [get(f"/me/interviews/{iv}/", SEEKER)],
        "me/interviews/<int:pk>/<slug:action>/": [
            post(f"/me/interviews/{iv}/{action}/", SEEKER, body)
            for action, body in (
                ("pick", {"pick-slot": w.slot}), ("reschedule", {"reschedule-reason": "临时有事"}),
                ("cancel", {"cancel-reason": "临时有事"}), ("check-in", {"checkin-code": "123456"}),
                ("written-test", {f"test-answer_{w.written_question}": "盘点了三千个库位。"}),
                ("evaluation", {"evaluation-rating": "5"}))],
        "interviews/day-info/": [get(f"/interviews/day-info/?when={_local(3)}", BOTH, own=True)],
        "interviews/<int:pk>/calendar.ics": [get(f"/interviews/{iv}/calendar.ics", BOTH)],
        "interviews/<int:pk>/room/": [get(f"/interviews/{iv}/room/", BOTH)],
        "interviews/<int:pk>/room/enter/": [post(f"/interviews/{iv}/room/enter/", BOTH)],
        "interviews/<int:pk>/room/leave/": [post(f"/interviews/{iv}/room/leave/", BOTH)],
        # the join link is single-use and issued from 30 minutes before the start: with a
        # made-up token nobody gets in (the two sides get 403, anyone else 404)
        "interviews/rooms/<str:ref>/join/<str:token>/": [
            get(f"/interviews/rooms/{w.room}/join/not-a-token/", NOBODY)],
        # recommended candidates (REC-4) show résumés too; the posting is refused (jobs app)
        "recruiter/candidates/<int:pk>/": [get(f"/recruiter/candidates/{w.posting}/", RECRUITER,
                                               audited=False)],
        # talent search (SRCH-2): each recruiter searches what their organisation may see
        "talent/": [get("/talent/?q=仓库", RECRUITER, own=True)],
    }


def _api(w: World) -> dict[str, list[Call]]:
    app, iv, rid = w.application, w.interview, w.public_id
    edu = f"/me/resume/entries/education/{w.education}"
    calls = {
        "GET /me/resume": call("GET", "/me/resume", SEEKER, own=True),
        "PATCH /me/resume": call("PATCH", "/me/resume", SEEKER, {"skills": "Excel"}, own=True),
        "GET /me/resume/contact": call("GET", "/me/resume/contact", SEEKER, own=True),
        "PUT /me/resume/contact": call("PUT", "/me/resume/contact", SEEKER,
                                       {"phone": "13600001111"}, own=True),
        "PUT /me/resume/template": call("PUT", "/me/resume/template", SEEKER,
                                        {"template": "business"}, own=True),
        "GET /me/resume/quality": call("GET", "/me/resume/quality", SEEKER, own=True),
        "POST /me/resume/submit": call("POST", "/me/resume/submit", SEEKER, own=True),
        "GET /me/resume/pdf": call("GET", "/me/resume/pdf", SEEKER, own=True),
        "GET /me/resume/export": call("GET", "/me/resume/export", SEEKER, own=True),
        "GET /me/resume/photo": call("GET", "/me/resume/photo", SEEKER, own=True),
        "POST /me/resume/photo": call("POST", "/me/resume/photo", SEEKER, own=True,
                                      upload="file:photo"),
        "DELETE /me/resume/photo": call("DELETE", "/me/resume/photo", SEEKER, own=True),
        "GET /me/resume/attachment": call("GET", "/me/resume/attachment", SEEKER, own=True),
        "POST /me/resume/attachment": call("POST", "/me/resume/attachment", SEEKER, own=True,
                                           upload="file:attachment"),
        "DELETE /me/resume/attachment": call("DELETE", "/me/resume/attachment", SEEKER,
                                             own=True),
        "GET /me/resume/attachment/file": call("GET", "/me/resume/attachment/file", SEEKER,
                                               own=True),
        "GET /me/resume/settings": call("GET", "/me/resume/settings", SEEKER, own=True),
        "PUT /me/resume/settings": call("PUT", "/me/resume/settings", SEEKER,
                                        {"visibility": "hidden"}, own=True),
        "GET /me/resume/blocked": call("GET", "/me/resume/blocked", SEEKER, own=True),
        "POST /me/resume/blocked": call("POST", "/me/resume/blocked", SEEKER,
                                        {"organisation_id": w.other_org}, own=True),
        "DELETE /me/resume/blocked/{block_id}": call("DELETE", f"/me/resume/blocked/{w.block}",
                                                     SEEKER),
        "GET /me/resume/organisations": call("GET", "/me/resume/organisations?q=浦江", SEEKER,
                                             own=True),
        "POST /me/resume/entries/{kind}": call(
            "POST", "/me/resume/entries/education", SEEKER,
            {"school": "广州大学", "degree": "bachelor", "start_date": "2014-09"}, own=True),
        "PATCH /me/resume/entries/{kind}/{entry_id}": call("PATCH", edu, SEEKER,
                                                           {"major": "物流管理"}),
        "DELETE /me/resume/entries/{kind}/{entry_id}": call("DELETE", edu, SEEKER),
        "POST /me/resume/entries/{kind}/{entry_id}/move": call("POST", f"{edu}/move", SEEKER,
                                                               {"direction": "down"}),
        "GET /recruiter/resumes/{public_id}": call("GET", f"/recruiter/resumes/{rid}",
                                                   RECRUITER),
        "GET /recruiter/resumes/{public_id}/pdf": call("GET", f"/recruiter/resumes/{rid}/pdf",
                                                       RECRUITER),
        "GET /recruiter/resumes/{public_id}/attachment": call(
            "GET", f"/recruiter/resumes/{rid}/attachment", RECRUITER),
        "POST /recruiter/resumes/{public_id}/contact-requests": call(
            "POST", f"/recruiter/resumes/{rid}/contact-requests", RECRUITER),
        "GET /me/privacy/consents": call("GET", "/me/privacy/consents", SEEKER, own=True),
        "POST /me/privacy/consents": call("POST", "/me/privacy/consents", SEEKER,
                                          {"purpose": "personalisation"}, own=True),
        "POST /me/privacy/consents/{consent_id}/withdraw": call(
            "POST", f"/me/privacy/consents/{w.consent}/withdraw", SEEKER),
        "GET /me/privacy/contact-requests": call("GET", "/me/privacy/contact-requests", SEEKER,
                                                 own=True),
        "POST /me/privacy/contact-requests/{request_id}/accept": call(
            "POST", f"/me/privacy/contact-requests/{w.contact_request}/accept", SEEKER),
        "POST /me/privacy/contact-requests/{request_id}/decline": call(
            "POST", f"/me/privacy/contact-requests/{w.contact_request}/decline", SEEKER),
        "GET /me/resume/viewers": call("GET", "/me/resume/viewers", SEEKER, own=True),
        "GET /jobs/{int:posting_id}/questions": call("GET", f"/jobs/{w.posting}/questions",
                                                     BOTH, own=True, public=True),
        "POST /applications": call("POST", "/applications", SEEKER,
                                   {"posting_id": w.posting, "consent_resume": True}, own=True),
        "GET /applications": call("GET", "/applications", SEEKER, own=True),
        "GET /applications/{int:application_id}": call("GET", f"/applications/{app}", SEEKER),
        "POST /applications/{int:application_id}/withdraw": call(
            "POST", f"/applications/{app}/withdraw", SEEKER),
        "POST /applications/{int:application_id}/offer/{answer}": call(
            "POST", f"/applications/{app}/offer/accept", SEEKER),
        "GET /orgs/{int:org_id}/responsiveness": call(
            "GET", f"/orgs/{w.org}/responsiveness", BOTH, own=True, public=True),
        "GET /recruiter/applications": call("GET", "/recruiter/applications", RECRUITER,
                                            own=True),
        "GET /recruiter/applications/{int:application_id}": call(
            "GET", f"/recruiter/applications/{app}", RECRUITER),
        "POST /recruiter/applications/bulk-move": call(
            "POST", "/recruiter/applications/bulk-move", RECRUITER,
            {"application_ids": [app], "stage": "shortlisted"}),
        "POST /recruiter/applications/bulk-reject": call(
            "POST", "/recruiter/applications/bulk-reject", RECRUITER, {"application_ids": [app]}),
        "POST /recruiter/applications/{int:application_id}/stage": call(
            "POST", f"/recruiter/applications/{app}/stage", RECRUITER, {"stage": "shortlisted"}),
        "POST /recruiter/applications/{int:application_id}/reject": call(
            "POST", f"/recruiter/applications/{app}/reject", RECRUITER, {}),
        "POST /recruiter/applications/{int:application_id}/notes": call(
            "POST", f"/recruiter/applications/{app}/notes", RECRUITER, {"body": "备注"}),
        "PUT /recruiter/applications/{int:application_id}/tags": call(
            "PUT", f"/recruiter/applications/{app}/tags", RECRUITER, {"tags": ["甲"]}),
        "POST /recruiter/applications/{int:application_id}/offer": call(
            "POST", f"/recruiter/applications/{app}/offer", RECRUITER, OFFER),
        "POST /recruiter/applications/{int:application_id}/outcome": call(
            "POST", f"/recruiter/applications/{app}/outcome", RECRUITER, {"outcome": "hired"}),
        "GET /recruiter/jobs/{int:posting_id}/questions": call(
            "GET", f"/recruiter/jobs/{w.posting}/questions", RECRUITER, audited=False),
        "POST /recruiter/jobs/{int:posting_id}/questions": call(
            "POST", f"/recruiter/jobs/{w.posting}/questions", RECRUITER,
            {"kind": "yes_no", "text": "是否有仓储经验？"}, audited=False),
        "DELETE /recruiter/jobs/{int:posting_id}/questions/{int:question_id}": call(
            "DELETE", f"/recruiter/jobs/{w.posting}/questions/{w.question}", RECRUITER,
            audited=False),
        "GET /recruiter/orgs/{int:org_id}/pipeline-stages": call(
            "GET", f"/recruiter/orgs/{w.org}/pipeline-stages", RECRUITER, audited=False),
        "PUT /recruiter/orgs/{int:org_id}/pipeline-stages": call(
            "PUT", f"/recruiter/orgs/{w.org}/pipeline-stages", RECRUITER,
            [{"label": "电话沟通", "base_stage": "viewed"}], audited=False),
        "GET /recruiter/orgs/{int:org_id}/rejection-templates": call(
            "GET", f"/recruiter/orgs/{w.org}/rejection-templates", RECRUITER, audited=False),
        "POST /recruiter/orgs/{int:org_id}/rejection-templates": call(
            "POST", f"/recruiter/orgs/{w.org}/rejection-templates", RECRUITER,
            {"title": "已招满", "body": "感谢您的关注，该岗位已招满。"}, audited=False),
        "DELETE /recruiter/orgs/{int:org_id}/rejection-templates/{int:template_id}": call(
            "DELETE", f"/recruiter/orgs/{w.org}/rejection-templates/{w.template}", RECRUITER,
            audited=False),
        "GET /interviews/day-info": call("GET", f"/interviews/day-info?day={_future(3)[:10]}",
                                         BOTH, own=True),
        "POST /applications/{application_id}/interviews": call(
            "POST", f"/applications/{app}/interviews", RECRUITER,
            {"mode": "phone", "slots": [_future(5)]}),
        "GET /interviews": call("GET", "/interviews", BOTH, own=True),
        "GET /interviews/{interview_id}": call("GET", f"/interviews/{iv}", BOTH),
        "POST /interviews/{interview_id}/slots": call(
            "POST", f"/interviews/{iv}/slots", RECRUITER, {"slots": [_future(6)]}),
        "POST /interviews/{interview_id}/pick": call(
            "POST", f"/interviews/{iv}/pick", SEEKER, {"slot_id": w.slot}),
        "POST /interviews/{interview_id}/reschedule": call(
            "POST", f"/interviews/{iv}/reschedule", BOTH, {"reason": "临时有事"}),
        "POST /interviews/{interview_id}/cancel": call(
            "POST", f"/interviews/{iv}/cancel", BOTH, {"reason": "临时有事"}),
        "GET /interviews/{interview_id}/calendar.ics": call(
            "GET", f"/interviews/{iv}/calendar.ics", BOTH),
        "POST /interviews/{interview_id}/room/join": call(
            "POST", f"/interviews/{iv}/room/join", BOTH),
        "GET /interviews/{interview_id}/room/log": call("GET", f"/interviews/{iv}/room/log",
                                                        BOTH),
        "PUT /interviews/{interview_id}/written-test": call(
            "PUT", f"/interviews/{iv}/written-test", RECRUITER,
            {"questions": ["介绍一次盘点。"], "deadline": _future(2)}),
        "GET /interviews/{interview_id}/written-test": call(
            "GET", f"/interviews/{iv}/written-test", BOTH),
        "POST /interviews/{interview_id}/written-test/answers": call(
            "POST", f"/interviews/{iv}/written-test/answers", SEEKER,
            {"answers": [{"question_id": w.written_question, "answer": "盘点了三千个库位。"}]}),
        "POST /interviews/{interview_id}/check-in": call(
            "POST", f"/interviews/{iv}/check-in", SEEKER, {"code": "123456"}),
        "POST /interviews/{interview_id}/arrival": call("POST", f"/interviews/{iv}/arrival",
                                                        RECRUITER),
        "POST /interviews/{interview_id}/no-show": call("POST", f"/interviews/{iv}/no-show",
                                                        RECRUITER),
        "POST /interviews/{interview_id}/complete": call("POST", f"/interviews/{iv}/complete",
                                                         RECRUITER),
        "POST /interviews/{interview_id}/scorecards": call(
            "POST", f"/interviews/{iv}/scorecards", RECRUITER, SCORES),
        "GET /interviews/{interview_id}/scorecards": call(
            "GET", f"/interviews/{iv}/scorecards", RECRUITER),
        "POST /interviews/{interview_id}/evaluation": call(
            "POST", f"/interviews/{iv}/evaluation", SEEKER, {"rating": 5}),
        "GET /talent/search": call("GET", "/talent/search?q=仓库", RECRUITER, own=True),
        "GET /my/candidates/{posting_id}": call("GET", f"/my/candidates/{w.posting}",
                                                RECRUITER, audited=False),
    }
    return {key: [value] for key, value in calls.items()}


def matrix(w: World) -> dict[str, list[Call]]:
    return {**_pages(w), **{f"API {key}": calls for key, calls in _api(w).items()}}


# --- the URLconf -------------------------------------------------------------------------------

def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern),
                             pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, prefix + str(pattern.pattern)


def urlconf_routes() -> set[str]:
    pages = {route for namespace, route in _walk(get_resolver().url_patterns)
             if namespace in NAMESPACES or route in EXTRA_PAGES}
    operations = {f"{method} {path}" for _prefix, router in api._routers
                  for path, view in router.path_operations.items()
                  for operation in view.operations for method in operation.methods
                  if operation.view_func.__module__.split(".")[1] in API_APPS
                  or f"{method} {path}" in EXTRA_API}
    return pages | {f"API {operation}" for operation in operations}


# --- the world ---------------------------------------------------------------------------------

@pytest.fixture
def world(seeker: Any, recruiter: Any, employer: Any, other_recruiter: Any,
          other_employer: Any, org_reviewer: Any, make_user: Any) -> World:
    posting = published_posting(recruiter, employer)
    question = application_services.question_add(actor=recruiter, posting=posting, data={
        "kind": "yes_no", "text": "是否持有叉车证？", "required": False})
    template = application_services.rejection_template_save(
        actor=recruiter, organisation=employer, title="岗位已满",
        body="感谢您的投递，该岗位已招满。")
    resume = resume_testing.approved_resume(seeker, full_name=NAME)
    resume_services.photo_set(actor=seeker, resume=resume, upload=files.upload(
        files.jpeg_with_exif((300, 400)), "me.jpg", "image/jpeg"))
    resume_services.attachment_upload(actor=seeker, resume=resume,
                                      upload=files.upload(files.pdf_with_text(), "cv.pdf"))
    third = org_testing.verified_employer(make_user(role=Role.RECRUITER), org_reviewer,
                                          fragment="天河餐饮")
    block = resume_services.block_add(actor=seeker, resume=resume, organisation_id=third.pk)
    application = applied(seeker, posting)
    contact_request = privacy_services.contact_request_create(actor=recruiter,
                                                              public_id=resume.public_id)
    released(seeker, employer)  # the request stays open; the original file may be downloaded
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    interview = interview_testing.book(recruiter, application, start, mode="video",
                                       location="")
    test = interview_services.written_test_set(actor=recruiter, interview=interview,
                                               questions=["介绍一次盘点经历。"], deadline=start)
    application_services.offer_send(actor=recruiter, application=application, data=OFFER)
    unverified = make_user(role=Role.RECRUITER)
    org_testing.register(unverified, "渝才人力", person=4)
    resume = Resume.objects.get(pk=resume.pk)
    return World(
        ids={"public_id": resume.public_id, "posting": posting.pk, "question": question.pk,
             "template": template.pk, "org": employer.pk, "other_org": other_employer.pk,
             "block": block.pk, "education": resume.education.get().pk,
             "application": application.pk, "consent": application.consent_id,
             "contact_request": contact_request.pk, "interview": interview.pk,
             "slot": interview.slots.get().pk, "room": interview.room_ref,
             "written_question": test.questions.get().pk},
        users={OWNER: seeker, RIGHT: recruiter, "other_seeker": make_user(role=Role.SEEKER),
               "other_recruiter": other_recruiter, "unverified_recruiter": unverified})


def _rows(model: Any, **where: Any) -> list[dict[str, Any]]:
    return list(model.objects.filter(**where).order_by("pk").values())


def _state(w: World) -> list[Any]:
    """The owner's and the organisation's rows a request by someone else must leave alone."""
    owner, org = w.users[OWNER], w.org
    interview = {"interview__application__seeker": owner}
    return [
        _rows(Resume, owner=owner), _rows(Attachment, resume__owner=owner),
        *(_rows(m, resume__owner=owner) for m in (Education, WorkExperience, Certificate,
                                                    Honour, BlockedOrganisation)),
        _rows(Application, seeker=owner), _rows(Offer, application__seeker=owner),
        list(Application.tags.through.objects.order_by("pk").values()),
        _rows(ApplicationEvent, application__seeker=owner),
        _rows(ApplicationNote, application__seeker=owner),
        _rows(ScreeningQuestion, posting__organisation=org),
        *(_rows(m, organisation=org) for m in (RejectionTemplate, PipelineStage,
                                                ApplicationTag)),
        _rows(Interview, application__seeker=owner),
        *(_rows(m, **interview) for m in (InterviewSlot, InterviewEvent, WrittenTest, CheckIn,
                                          Scorecard, SeekerEvaluation)),
        _rows(WrittenQuestion, test__interview__application__seeker=owner),
        list(LocalRoomEvent.objects.order_by("pk").values()),
        _rows(Consent, user=owner), _rows(ContactRequest, resume__owner=owner),
        _rows(ResumeAccess, resume__owner=owner),
        _rows(ResumeDownload, access__resume__owner=owner),
        _rows(Notification, user__in=[owner, w.users[RIGHT]]),
    ]


# --- sending -----------------------------------------------------------------------------------

def _upload(kind: str) -> Any:
    if kind == "photo":
        return files.upload(files.jpeg_with_exif((300, 400)), "me.jpg", "image/jpeg")
    return files.upload(files.pdf_with_text("Another CV"), "cv2.pdf")


def _send(client: Client, request: Call) -> Any:
    send = getattr(client, request.method)
    if request.upload:
        name, _sep, kind = request.upload.rpartition(":")
        return send(request.url, {name or kind: _upload(kind)})
    if request.is_api:
        if request.body is None:
            return send(request.url)
        return send(request.url, json.dumps(request.body), content_type="application/json")
    return send(request.url, request.body) if request.method == "post" else send(request.url)


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str
    body: str
    changes: list[str]
    denials_audited: int


#: What a refused request may write: its audit entry and the chain head, the session, and
#: the caller's own empty résumé (the seeker's pages start one before looking further) with
#: its search-index outbox entry.
MAY_WRITE = {("INSERT", AuditEntry._meta.db_table), ("UPDATE", AuditChainHead._meta.db_table),
             ("INSERT", AuditChainHead._meta.db_table), ("UPDATE", "django_session"),
             ("INSERT", "django_session"), ("INSERT", Resume._meta.db_table),
             ("INSERT", SearchOutbox._meta.db_table)}
_WRITE = re.compile(r'^\s*(INSERT|UPDATE|DELETE)\s+(?:INTO\s+|FROM\s+)?"?(\w+)"?',
                    re.IGNORECASE)


def _writes(queries: list[dict[str, str]]) -> list[str]:
    found = {(m[1].upper(), m[2]) for m in (_WRITE.match(q["sql"]) for q in queries) if m}
    return sorted(f"{op} {table}" for op, table in found - MAY_WRITE)


def _try(w: World, client: Client, request: Call, *, track: str) -> Outcome:
    """Send ``request`` in a savepoint rolled back afterwards: the response and what it
    changed. ``track`` is ``writes`` (any table written but the audit trail and the session),
    ``rows`` (the owner's and the organisation's rows, for a request on the caller's own
    account, which may write the caller's rows) or ``""`` (not tracked)."""
    with transaction.atomic():
        before = _state(w) if track == "rows" else None
        audited = AuditEntry.objects.filter(verb__contains="denied").count()
        with CaptureQueriesContext(connection) as queries:
            response = _send(client, request)
        changes: list[str] = []
        if track == "rows" and _state(w) != before:
            changes = ["the owner's or the organisation's rows"]
        elif track == "writes":
            changes = _writes(queries.captured_queries)
        outcome = Outcome(
            status=response.status_code, location=response.get("Location", ""),
            body=b"".join(response).decode("utf-8", "replace")
            if response.get("Content-Type", "").startswith(("text/", "application/json"))
            else "",
            changes=changes,
            denials_audited=AuditEntry.objects.filter(verb__contains="denied").count() - audited)
        transaction.set_rollback(True)
    return outcome


def _tracking(who: str, request: Call) -> str:
    if who in request.allowed:
        return ""
    return "rows" if request.own or request.public else "writes"


def _login_redirect(outcome: Outcome) -> bool:
    return outcome.status == 302 and outcome.location.startswith("/accounts/login/")


def _check(who: str, key: str, request: Call, outcome: Outcome) -> list[str]:
    """What is wrong with ``outcome`` for ``who``, as readable lines."""
    where = f"{who:22} {request.method.upper():6} {request.url} ({key}) → {outcome.status}"
    if who in request.allowed:
        denied = outcome.status in (401, 403, 404, 405, 422) or _login_redirect(outcome)
        return [f"{where}: the right user was refused"] if denied else []
    problems = []
    leaked = [s for s in SECRETS if s in outcome.body]
    if leaked:
        problems.append(f"{where}: shows {leaked}")
    if outcome.changes:
        problems.append(f"{where}: changed {outcome.changes}")
    if request.public or (request.own and who != ANONYMOUS):
        return problems
    if who == ANONYMOUS:
        refused = outcome.status == 401 if request.is_api else _login_redirect(outcome)
    else:
        refused = outcome.status in (DENIED_API if request.is_api else DENIED_PAGE)
        if outcome.status == 404 and request.audited and not outcome.denials_audited:
            problems.append(f"{where}: refused without an audit entry")
    if not refused:
        problems.append(f"{where}: not refused")
    return problems


# --- the tests ---------------------------------------------------------------------------------

def test_the_matrix_covers_every_url(world: World) -> None:
    routes, listed = urlconf_routes(), set(matrix(world))
    assert routes - listed == set(), "URLs without an entry in MATRIX"
    assert listed - routes == set(), "entries for URLs that no longer exist"


@pytest.mark.parametrize("who", ACTORS)
def test_no_unexpected_success(world: World, who: str) -> None:
    client = Client()
    if who != ANONYMOUS:
        client.force_login(world.users[who])
    problems = [problem for key, requests in matrix(world).items() for request in requests
                for problem in _check(who, key, request, _try(
                    world, client, request, track=_tracking(who, request)))]
    assert problems == [], "\n" + "\n".join(problems)
