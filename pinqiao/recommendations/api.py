"""Recommendation API (REC-1 … REC-3, PRIV-3) and the public algorithm summary (ALG-2).
Errors follow ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from pinqiao.api.auth import user_auth
from pinqiao.recommendations import selectors, services
from pinqiao.recommendations.models import Surface
from pinqiao.recommendations.scoring import Scored
from pinqiao.reference import divisions

router = Router(tags=["推荐"])


class PostingBrief(Schema):
    id: int
    title: str
    employer_name: str
    location: str
    pay_min: Decimal | None
    pay_max: Decimal | None
    pay_unit: str
    published_at: datetime | None

    @staticmethod
    def resolve_location(obj: Any) -> str:
        return divisions.full_name(obj.division_code) or "" if obj.division_code else ""


class RecommendationOut(Schema):
    posting: PostingBrief
    score: float
    reasons: list[str]
    reason_text: str


class RecommendationPageOut(Schema):
    personalised: bool
    page: int
    has_next: bool
    city: str
    items: list[RecommendationOut]


class RecommendationSettingsOut(Schema):
    personalised: bool
    consent_granted_at: datetime | None
    consent_wording: str


class RecommendationSettingsIn(Schema):
    personalised: bool


class FeedbackIn(Schema):
    posting_id: int
    kind: str


class FeedbackOut(Schema):
    id: int
    posting_id: int
    kind: str
    created_at: datetime


class TagOut(Schema):
    kind: str
    value: str
    label: str
    sources: list[str]

    @staticmethod
    def resolve_sources(obj: Any) -> list[str]:
        return sorted(obj.sources)


class TagsOut(Schema):
    personalised: bool
    tags: list[TagOut]
    deleted: list[TagOut]
    feedback: list[FeedbackOut]


class TagIn(Schema):
    kind: str
    value: str


class AlgorithmOut(Schema):
    slug: str
    name: str
    purpose: str
    principle: str
    inputs: str
    output: str
    user_controls: str
    version: str
    last_changed_at: datetime
    filing_number: str


def _item(scored: Scored) -> dict[str, Any]:
    return {"posting": scored.posting, "score": scored.score, "reasons": scored.reasons,
            "reason_text": scored.reason_text}


@router.get("/me/recommendations", response=RecommendationPageOut, auth=user_auth,
            summary="职位推荐（附推荐理由）")
def recommendations(request: HttpRequest, page: int = 1, city: str = "") -> object:
    seeker = request.auth
    result = selectors.recommendations_for_seeker(seeker=seeker, page=page, city=city[:6])
    services.exposures_log(surface=Surface.RECOMMENDATION, seeker=seeker,
                           postings=[item.posting for item in result.items],
                           start_rank=result.start_rank, personalised=result.personalised)
    return {"personalised": result.personalised, "page": result.page,
            "has_next": result.has_next, "city": result.city,
            "items": [_item(item) for item in result.items]}


def _settings(seeker: Any) -> dict[str, Any]:
    consent = selectors.personalisation_consent(seeker=selectors.require_seeker(seeker))
    return {"personalised": consent is not None,
            "consent_granted_at": consent.granted_at if consent else None,
            "consent_wording": services.CONSENT_WORDING}


@router.get("/me/recommendations/settings", response=RecommendationSettingsOut, auth=user_auth,
            summary="个性化推荐开关状态")
def settings_get(request: HttpRequest) -> object:
    return _settings(request.auth)


@router.put("/me/recommendations/settings", response=RecommendationSettingsOut, auth=user_auth,
            summary="开启或关闭个性化推荐（立即生效）")
def settings_put(request: HttpRequest, payload: RecommendationSettingsIn) -> object:
    services.personalisation_set(seeker=request.auth, enabled=payload.personalised)
    return _settings(request.auth)


@router.post("/me/recommendations/feedback", response={201: FeedbackOut}, auth=user_auth,
             summary="不感兴趣 / 更多类似")
def feedback(request: HttpRequest, payload: FeedbackIn) -> object:
    return Status(201, services.feedback_record(seeker=request.auth, posting_id=payload.posting_id,
                                                kind=payload.kind))


@router.delete("/me/recommendations/feedback/{feedback_id}", response={204: None},
               auth=user_auth, summary="撤销反馈")
def feedback_delete(request: HttpRequest, feedback_id: int) -> object:
    services.feedback_remove(seeker=request.auth, feedback_id=feedback_id)
    return Status(204, None)


@router.get("/me/interest-tags", response=TagsOut, auth=user_auth, summary="我的兴趣标签")
def tags(request: HttpRequest) -> object:
    overview = selectors.interest_tags(seeker=request.auth)
    return {"personalised": overview.consent is not None, "tags": overview.tags,
            "deleted": overview.deleted, "feedback": overview.feedback}


@router.post("/me/interest-tags/delete", response={204: None}, auth=user_auth,
             summary="删除兴趣标签（不再生成）")
def tag_delete(request: HttpRequest, payload: TagIn) -> object:
    services.tag_delete(seeker=request.auth, kind=payload.kind, value=payload.value)
    return Status(204, None)


@router.post("/me/interest-tags/restore", response={204: None}, auth=user_auth,
             summary="恢复已删除的兴趣标签")
def tag_restore(request: HttpRequest, payload: TagIn) -> object:
    services.tag_restore(seeker=request.auth, kind=payload.kind, value=payload.value)
    return Status(204, None)


class CandidateOut(Schema):
    resume_public_id: str
    name_masked: str
    desired_function: str
    desired_city: str
    desired_pay: str
    education: str
    experience: str
    skills: list[str]
    score: float
    reasons: list[str]
    reason_text: str


class CandidatePageOut(Schema):
    posting_id: int
    page: int
    has_next: bool
    items: list[CandidateOut]


@router.get("/my/candidates/{posting_id}", response=CandidatePageOut, auth=user_auth,
            summary="人才推荐（脱敏，附推荐理由）")
def candidates(request: HttpRequest, posting_id: int, page: int = 1) -> object:
    result = selectors.candidates_for_posting(viewer=request.auth, posting_id=posting_id,
                                              page=page)
    services.candidate_exposures_log(posting=result.posting,
                                     seekers=[c.resume.owner_id for c in result.items],
                                     start_rank=result.start_rank)
    return {"posting_id": result.posting.pk, "page": result.page, "has_next": result.has_next,
            "items": [{"resume_public_id": c.public_id, "name_masked": c.name_masked,
                       **c.summary, "skills": c.skills, "score": c.score,
                       "reasons": c.reasons, "reason_text": c.reason_text}
                      for c in result.items]}


@router.get("/algorithms", response=list[AlgorithmOut], summary="算法公示")
def algorithms(request: HttpRequest) -> object:
    return list(selectors.algorithms_public())
