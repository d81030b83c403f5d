"""The recruiter's pipeline (APP-2): stage moves with the seeker told of every visible change,
the organisation's own stages, notes and tags private to it, bulk moves and bulk rejection
with courteous templates, and the résumé view marking new applications as viewed."""

from __future__ import annotations

from typing import Any

import pytest

from pinqiao.applications import selectors, services
from pinqiao.applications.models import ApplicationEvent, Stage
from pinqiao.applications.testing import applied
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.core.permissions import Role
from pinqiao.notifications.models import Notification
from pinqiao.orgs.models import Membership
from pinqiao.privacy.signals import resume_viewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(seeker: Any, posting: Any) -> Any:
    return applied(seeker, posting)


def _seen(seeker: Any, event: str) -> list[str]:
    return list(Notification.objects.filter(user=seeker, event=event)
                .values_list("body", flat=True))


def test_a_move_is_kept_audited_and_told_to_the_seeker(recruiter: Any, seeker: Any,
                                                       application: Any) -> None:
    services.application_stage_set(actor=recruiter, application=application,
                                   stage=Stage.SHORTLISTED, note="下周会联系您安排面试。")
    application.refresh_from_db()
    assert application.stage == Stage.SHORTLISTED
    assert application.first_response_at is not None
    event = application.events.last()
    assert (event.from_stage, event.to_stage, event.actor) == ("new", "shortlisted", recruiter)
    assert AuditEntry.objects.filter(verb="application.stage_set",
                                     target_id=str(application.pk)).exists()
    [body] = _seen(seeker, "application_stage_changed")
    assert "初筛通过" in body and "下周会联系您安排面试。" in body


def test_offer_hire_and_rejection_have_their_own_actions(recruiter: Any,
                                                         application: Any) -> None:
    for stage in (Stage.OFFER, Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN, Stage.CLOSED,
                  "bogus"):
        with pytest.raises(ServiceError) as exc:
            services.application_stage_set(actor=recruiter, application=application,
                                           stage=stage)
        assert exc.value.code == "invalid_stage"


def test_a_message_to_the_seeker_passes_the_rules(recruiter: Any, application: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        services.application_stage_set(actor=recruiter, application=application,
                                       stage=Stage.SHORTLISTED, note="请加微信 hr_li2026 详谈")
    assert exc.value.code == "content_refused"
    application.refresh_from_db()
    assert application.stage == Stage.NEW


def test_others_may_not_move_it(make_user: Any, application: Any, employer: Any,
                                recruiter: Any) -> None:
    stranger = make_user(role=Role.RECRUITER)
    with pytest.raises(NotFound):
        services.application_stage_set(actor=stranger, application=application,
                                       stage=Stage.SHORTLISTED)
    member = make_user(role=Role.RECRUITER)
    Membership.objects.create(organisation=employer, user=member, can_post_jobs=True)
    with pytest.raises(NotFound):  # a member without 查看简历
        services.application_stage_set(actor=member, application=application,
                                       stage=Stage.SHORTLISTED)
    employer.status = "suspended"
    employer.save(update_fields=["status"])
    with pytest.raises(NotFound):  # an organisation that is not verified
        services.application_stage_set(actor=recruiter, application=application,
                                       stage=Stage.SHORTLISTED)


def test_an_ended_application_stays_ended(recruiter: Any, seeker: Any,
                                          application: Any) -> None:
    services.application_withdraw(seeker=seeker, application=application)
    with pytest.raises(ServiceError) as exc:
        services.application_stage_set(actor=recruiter, application=application,
                                       stage=Stage.SHORTLISTED)
    assert exc.value.code == "application_final"


def test_the_organisations_own_stages_map_to_base_stages(recruiter: Any, seeker: Any,
                                                         employer: Any,
                                                         application: Any) -> None:
    phone, first, second = services.pipeline_stages_set(
        actor=recruiter, organisation=employer,
        rows=[{"label": "电话沟通", "base_stage": "shortlisted"},
              {"label": "一面", "base_stage": "interview"},
              {"label": "二面", "base_stage": "interview"}])
    services.application_stage_set(actor=recruiter, application=application,
                                   pipeline_stage_id=first.pk)
    application.refresh_from_db()
    assert (application.stage, application.stage_label) == (Stage.INTERVIEW, "一面")
    services.application_stage_set(actor=recruiter, application=application,
                                   pipeline_stage_id=second.pk)
    application.refresh_from_db()
    assert application.stage_label == "二面"
    # The seeker sees the base stage: one visible change, one notice.
    assert [e.to_stage for e in selectors.seeker_history(application)] == ["new", "interview"]
    assert len(_seen(seeker, "application_stage_changed")) == 1
    # Reordering and renaming keeps the stage and its applications.
    services.pipeline_stages_set(actor=recruiter, organisation=employer, rows=[
        {"id": second.pk, "label": "终面", "base_stage": "interview"},
        {"id": first.pk, "label": "初面", "base_stage": "interview"}])
    application.refresh_from_db()
    assert application.stage_label == "终面"
    assert [s.label for s in selectors.pipeline_stages_for(organisation=employer)] == [
        "终面", "初面"]


def test_bad_stage_settings_are_refused(recruiter: Any, employer: Any, make_user: Any) -> None:
    for rows, code in [
        ([{"label": "", "base_stage": "interview"}], "invalid_stages"),
        ([{"label": "录用", "base_stage": "offer"}], "invalid_stages"),
        ([{"label": "一面", "base_stage": "interview"}] * 2, "invalid_stages"),
    ]:
        with pytest.raises(ServiceError) as exc:
            services.pipeline_stages_set(actor=recruiter, organisation=employer, rows=rows)
        assert exc.value.code == code
    with pytest.raises(NotFound):
        services.pipeline_stages_set(actor=make_user(role=Role.RECRUITER),
                                     organisation=employer, rows=[])


def test_another_organisations_stage_cannot_be_used(recruiter: Any, application: Any,
                                                    make_user: Any, org_reviewer: Any) -> None:
    from pinqiao.orgs import testing as org_testing

    owner = make_user(role=Role.RECRUITER)
    other = org_testing.verified_employer(owner, org_reviewer, fragment="天河餐饮")
    [foreign] = services.pipeline_stages_set(actor=owner, organisation=other,
                                             rows=[{"label": "一面", "base_stage": "interview"}])
    with pytest.raises(ServiceError) as exc:
        services.application_stage_set(actor=recruiter, application=application,
                                       pipeline_stage_id=foreign.pk)
    assert exc.value.code == "invalid_stage"


def test_notes_and_tags_stay_inside_the_organisation(recruiter: Any, seeker: Any,
                                                     employer: Any, application: Any) -> None:
    services.note_add(actor=recruiter, application=application, body="沟通顺畅，待定")
    assert services.tags_set(actor=recruiter, application=application,
                             names=["有叉车证", "优先", "优先", " "]) == ["有叉车证", "优先"]
    assert sorted(t.name for t in selectors.tags_for(organisations=[employer])) == [
        "优先", "有叉车证"]
    assert not Notification.objects.filter(user=seeker, event__startswith="application").exists()
    with pytest.raises(ServiceError):
        services.note_add(actor=recruiter, application=application, body="   ")
    with pytest.raises(ServiceError):
        services.tags_set(actor=recruiter, application=application, names=["长" * 21])


def test_a_rejection_sends_a_courteous_template(recruiter: Any, seeker: Any,
                                                application: Any) -> None:
    services.application_reject(actor=recruiter, application=application, template="fit")
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED
    [body] = _seen(seeker, "application_rejected")
    assert "感谢您投递" in body and "祝您求职顺利" in body
    assert application.events.last().reason_code == "rejected.fit"


def test_an_organisation_writes_its_own_templates(recruiter: Any, seeker: Any, employer: Any,
                                                  application: Any) -> None:
    template = services.rejection_template_save(
        actor=recruiter, organisation=employer, title="经验不足",
        body="感谢您的关注。本岗位需要三年以上仓储经验，期待今后合作。")
    keys = [key for key, _t, _b in selectors.rejection_templates_for(organisation=employer)]
    assert keys == ["fit", "filled", "after_interview", f"org-{template.pk}"]
    services.application_reject(actor=recruiter, application=application,
                                template=f"org-{template.pk}")
    assert "三年以上仓储经验" in _seen(seeker, "application_rejected")[0]
    with pytest.raises(ServiceError) as exc:
        services.rejection_template_save(actor=recruiter, organisation=employer,
                                         title="歧视", body="很抱歉，我们只招男性。")
    assert exc.value.code == "content_refused"
    with pytest.raises(ServiceError) as exc:
        services.rejection_template_save(actor=recruiter, organisation=employer,
                                         title="经验不足", body="重复的名称")
    assert exc.value.code == "duplicate_title"


def test_another_organisations_template_cannot_be_used(recruiter: Any, application: Any,
                                                       make_user: Any,
                                                       org_reviewer: Any) -> None:
    from pinqiao.orgs import testing as org_testing

    owner = make_user(role=Role.RECRUITER)
    other = org_testing.verified_employer(owner, org_reviewer, fragment="天河餐饮")
    foreign = services.rejection_template_save(actor=owner, organisation=other, title="甲",
                                               body="感谢您的投递。")
    with pytest.raises(ServiceError) as exc:
        services.application_reject(actor=recruiter, application=application,
                                    template=f"org-{foreign.pk}")
    assert exc.value.code == "invalid_template"


def test_bulk_moves_and_rejections(recruiter: Any, posting: Any, make_seeker: Any) -> None:
    rows = [applied(make_seeker(), posting) for _ in range(4)]
    services.application_withdraw(seeker=rows[3].seeker, application=rows[3])
    result = services.applications_bulk_move(actor=recruiter,
                                             application_ids=[a.pk for a in rows],
                                             stage=Stage.SHORTLISTED)
    assert result == {"moved": 3, "skipped": 1}
    result = services.applications_bulk_reject(actor=recruiter,
                                               application_ids=[a.pk for a in rows[:2]],
                                               template="filled")
    assert result == {"moved": 2, "skipped": 0}
    for application in rows[:2]:
        application.refresh_from_db()
        assert application.stage == Stage.REJECTED
        assert Notification.objects.filter(user=application.seeker,
                                           event="application_rejected").count() == 1


def test_bulk_actions_refuse_anything_outside_the_organisation(recruiter: Any, posting: Any,
                                                               make_seeker: Any,
                                                               make_user: Any) -> None:
    mine = applied(make_seeker(), posting)
    stranger = make_user(role=Role.RECRUITER)
    with pytest.raises(NotFound):
        services.applications_bulk_reject(actor=stranger, application_ids=[mine.pk])
    denied = AuditEntry.objects.get(verb="application.access_denied", actor_id=stranger.pk)
    assert denied.data == {"reason": "bulk", "applications": [str(mine.pk)]}
    with pytest.raises(NotFound):
        services.applications_bulk_move(actor=recruiter, application_ids=[mine.pk, 999999],
                                        stage=Stage.SHORTLISTED)
    with pytest.raises(ServiceError) as exc:
        services.applications_bulk_move(actor=recruiter, application_ids=[],
                                        stage=Stage.SHORTLISTED)
    assert exc.value.code == "nothing_selected"
    mine.refresh_from_db()
    assert mine.stage == Stage.NEW


def test_opening_the_resume_marks_new_applications_viewed(recruiter: Any, seeker: Any,
                                                          employer: Any,
                                                          application: Any) -> None:
    resume_viewed.send(sender=None, resume=application.resume, organisation=employer,
                       viewer=recruiter)
    application.refresh_from_db()
    assert application.stage == Stage.VIEWED
    assert application.first_response_at is None, "a view is not a reply"
    assert "已查看" in _seen(seeker, "application_stage_changed")[0]
    resume_viewed.send(sender=None, resume=application.resume, organisation=employer,
                       viewer=recruiter)
    assert ApplicationEvent.objects.filter(application=application, to_stage="viewed").count() \
        == 1


def test_the_pipeline_filters(recruiter: Any, posting: Any, make_seeker: Any,
                              employer: Any) -> None:
    question = services.question_add(actor=recruiter, posting=posting, data={
        "kind": "yes_no", "text": "是否持有叉车证？", "knockout_answer": "yes"})
    good = applied(make_seeker(), posting, answers={str(question.pk): "yes"})
    bad = applied(make_seeker(), posting, answers={str(question.pk): "no"})
    services.tags_set(actor=recruiter, application=good, names=["优先"])
    services.application_stage_set(actor=recruiter, application=bad, stage=Stage.SHORTLISTED)
    tag = selectors.tags_for(organisations=[employer])[0]

    def ids(**filters: Any) -> list[int]:
        found = selectors.applications_for_recruiter(
            user=recruiter, filters=selectors.PipelineFilters(**filters))
        return sorted(a.pk for a in found)

    assert ids() == sorted([good.pk, bad.pk])
    assert ids(knockout="met") == [good.pk]
    assert ids(knockout="not_met") == [bad.pk]
    assert ids(stage="shortlisted") == [bad.pk]
    assert ids(tag_id=tag.pk) == [good.pk]
    assert ids(posting_id=posting.pk, stage="open") == sorted([good.pk, bad.pk])
