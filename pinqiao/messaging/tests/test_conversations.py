"""MSG-1: 「立即沟通」 opens or resumes one conversation per (seeker, organisation, posting);
recruiters start only with seekers who applied or made their résumé public, one message until
the seeker replies, a daily limit on new conversations; blocks cover the whole organisation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError

from pinqiao.applications import testing as app_testing
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.messaging import services
from pinqiao.messaging.models import Conversation, Message
from pinqiao.messaging.tests.conftest import say
from pinqiao.resumes.models import Resume, Visibility

pytestmark = pytest.mark.django_db


def test_it_opens_once_and_resumes(seeker: Any, posting: Any) -> None:
    first, created = services.conversation_open(actor=seeker, posting_id=posting.pk)
    again, created_again = services.conversation_open(actor=seeker, posting_id=posting.pk)
    assert created and not created_again and first.pk == again.pk
    assert AuditEntry.objects.filter(verb="chat.opened", target_id=str(first.pk)).count() == 1


def test_the_database_refuses_a_second_conversation(conversation: Any) -> None:
    with pytest.raises(IntegrityError):
        Conversation.objects.create(seeker=conversation.seeker,
                                    organisation=conversation.organisation,
                                    posting=conversation.posting, started_by=conversation.seeker,
                                    started_side="seeker")


def test_it_refuses_a_posting_that_is_not_published(seeker: Any, posting: Any) -> None:
    type(posting).objects.filter(pk=posting.pk).update(status="closed")
    with pytest.raises(NotFound):
        services.conversation_open(actor=seeker, posting_id=posting.pk)


def test_a_recruiter_needs_an_application_or_a_public_resume(recruiter: Any, seeker: Any,
                                                              posting: Any) -> None:
    with pytest.raises(NotPermitted) as refused:
        services.conversation_open(actor=recruiter, posting_id=posting.pk, seeker_id=seeker.pk)
    assert refused.value.code == "seeker_not_open"
    resume = app_testing.approved_resume(seeker)
    Resume.objects.filter(pk=resume.pk).update(visibility=Visibility.PUBLIC)
    conversation, created = services.conversation_open(actor=recruiter, posting_id=posting.pk,
                                                       seeker_id=seeker.pk)
    assert created and conversation.started_side == "org"


def test_a_recruiter_may_start_with_an_applicant(recruiter: Any, seeker: Any, posting: Any
                                                 ) -> None:
    app_testing.applied(seeker, posting)
    conversation, _ = services.conversation_open(actor=recruiter, posting_id=posting.pk,
                                                 seeker_id=seeker.pk)
    assert conversation.seeker == seeker


def test_one_message_until_the_seeker_replies(recruiter: Any, seeker: Any, posting: Any) -> None:
    """DB4401 6.1.4.2: anti-harassment."""
    app_testing.applied(seeker, posting)
    conversation, _ = services.conversation_open(actor=recruiter, posting_id=posting.pk,
                                                 seeker_id=seeker.pk)
    say(recruiter, conversation, "您好，看到您的投递，方便聊聊吗？")
    with pytest.raises(ServiceError) as refused:
        say(recruiter, conversation, "在吗？")
    assert refused.value.code == "await_reply"
    say(seeker, conversation, "您好，方便的。")
    say(recruiter, conversation, "好的，我们约个时间。")
    assert list(conversation.messages.values_list("seq", flat=True)) == [1, 2, 3]


def test_daily_limit_on_new_conversations(recruiter: Any, seeker: Any, posting: Any,
                                          settings: Any) -> None:
    settings.CHAT_RECRUITER_NEW_CONVERSATIONS_PER_DAY = 0
    app_testing.applied(seeker, posting)
    with pytest.raises(ServiceError) as refused:
        services.conversation_open(actor=recruiter, posting_id=posting.pk, seeker_id=seeker.pk)
    assert refused.value.code == "daily_limit" and refused.value.status == 429


def test_a_block_covers_every_member_now_and_later(seeker: Any, recruiter: Any, colleague: Any,
                                                   conversation: Any, make_user: Any,
                                                   employer: Any) -> None:
    say(seeker, conversation, "您好")
    say(recruiter, conversation, "您好，请问有什么问题？")
    services.organisation_block(actor=seeker, conversation_id=conversation.pk)
    from pinqiao.orgs.models import Membership

    later = make_user(role="recruiter", display_name="新同事")
    Membership.objects.create(organisation=employer, user=later, can_chat=True)
    for member in (recruiter, colleague, later):
        with pytest.raises(NotPermitted) as refused:
            say(member, conversation, "还在考虑吗？")
        assert refused.value.code == "recipient_unavailable"
        assert refused.value.message == "对方暂时无法接收您的消息。"
    assert Message.objects.filter(conversation=conversation).count() == 2


def test_a_non_participant_is_refused_and_audited(outsider: Any, conversation: Any) -> None:
    with pytest.raises(NotFound):
        say(outsider, conversation, "你好")
    assert AuditEntry.objects.filter(verb="chat.access_denied", actor_id=outsider.pk).exists()
    assert not conversation.messages.exists()


def test_a_member_without_chat_permission_is_not_a_party(make_user: Any, employer: Any,
                                                         conversation: Any) -> None:
    from pinqiao.orgs.models import Membership

    clerk = make_user(role="recruiter", display_name="行政")
    Membership.objects.create(organisation=employer, user=clerk, can_chat=False)
    with pytest.raises(NotFound):
        say(clerk, conversation, "你好")


def test_read_receipts_refuse_a_forged_sequence_number(seeker: Any, recruiter: Any,
                                                       conversation: Any) -> None:
    say(seeker, conversation, "您好")
    say(recruiter, conversation, "您好")
    for forged in (3, -1, 99):
        with pytest.raises(ServiceError) as refused:
            services.conversation_read(actor=seeker, conversation_id=conversation.pk, seq=forged)
        assert refused.value.code == "invalid_seq"
    services.conversation_read(actor=seeker, conversation_id=conversation.pk, seq=2)
    conversation.refresh_from_db()
    assert conversation.seeker_read_seq == 2 and conversation.org_read_seq == 2


def test_unread_counts_per_side(seeker: Any, recruiter: Any, colleague: Any,
                                conversation: Any) -> None:
    from pinqiao.messaging.selectors import conversations_for, unread_total

    say(seeker, conversation, "您好")
    say(seeker, conversation, "请问还招人吗")
    assert unread_total(viewer=recruiter) == 2 == unread_total(viewer=colleague)
    assert unread_total(viewer=seeker) == 0
    say(recruiter, conversation, "招的")
    assert unread_total(viewer=colleague) == 0 and unread_total(viewer=seeker) == 1
    assert conversations_for(viewer=seeker).get().unread == 1


def test_mute_stops_notifications_for_the_seeker(seeker: Any, recruiter: Any,
                                                 conversation: Any,
                                                 django_capture_on_commit_callbacks: Any) -> None:
    from pinqiao.notifications.models import Notification

    say(seeker, conversation, "您好")
    services.conversation_mute(actor=seeker, conversation_id=conversation.pk, muted=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        say(recruiter, conversation, "您好，请问什么时候方便面试？")
    assert callbacks
    assert not Notification.objects.filter(user=seeker, event="chat_message").exists()


def test_an_offline_party_is_notified_once(seeker: Any, recruiter: Any, conversation: Any,
                                           django_capture_on_commit_callbacks: Any) -> None:
    from pinqiao.messaging.services.messages import presence_join
    from pinqiao.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        say(seeker, conversation, "您好")
        say(recruiter, conversation, "您好，请问什么时候方便面试？")
        say(recruiter, conversation, "明天上午可以吗？")
    presence_join(seeker.pk)
    with django_capture_on_commit_callbacks(execute=True):
        say(seeker, conversation, "可以")
    assert Notification.objects.filter(user=seeker, event="chat_message").count() == 1
    assert Notification.objects.filter(user=recruiter, event="chat_message").count() == 1
    presence_join(recruiter.pk)
    with django_capture_on_commit_callbacks(execute=True):
        say(recruiter, conversation, "好的")
    assert Notification.objects.filter(user=seeker, event="chat_message").count() == 1
