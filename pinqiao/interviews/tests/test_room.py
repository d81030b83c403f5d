"""APP-4: the online room through the provider interface; the local provider keeps its state."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.interviews import rooms, services, testing
from pinqiao.interviews.models import (
    CheckInMethod,
    LocalRoom,
    LocalRoomEvent,
    LocalRoomParticipant,
    Status,
)
from pinqiao.interviews.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db


def _video(recruiter: Any, application: Any) -> Any:
    return testing.book(recruiter, application, at(29), now=NOW, mode="video", location="")


def _token(url: str) -> tuple[str, str]:
    parts = url.strip("/").split("/")
    return parts[-3], parts[-1]


# --- the local provider on its own ----------------------------------------------------------

def test_the_local_provider_keeps_rooms_tokens_and_a_log(seeker: Any, recruiter: Any) -> None:
    provider = rooms.LocalRoomProvider()
    ref = provider.create_room(title="面试间", participants=[seeker, recruiter])
    room = LocalRoom.objects.get(ref=ref)
    assert room.participants.count() == 2
    url = provider.join_url(ref, seeker)
    _ref, token = _token(url)
    participant = LocalRoomParticipant.objects.get(room=room, user=seeker)
    assert participant.token_digest and token not in participant.token_digest
    with pytest.raises(rooms.RoomError):
        provider.join(ref, token, recruiter)  # another participant's token
    provider.join(ref, token, seeker)
    with pytest.raises(rooms.RoomError):
        provider.join(ref, token, seeker)  # single use
    provider.leave(ref, seeker)
    assert [(e.user_id, e.kind) for e in provider.events(ref)] == [(seeker.pk, "join"),
                                                                   (seeker.pk, "leave")]
    provider.close_room(ref)
    with pytest.raises(rooms.RoomError):
        provider.join_url(ref, seeker)


def test_a_fresh_link_replaces_the_old_one(seeker: Any, recruiter: Any) -> None:
    provider = rooms.LocalRoomProvider()
    ref = provider.create_room(title="面试间", participants=[seeker])
    _r, old = _token(provider.join_url(ref, seeker))
    _r, new = _token(provider.join_url(ref, seeker))
    with pytest.raises(rooms.RoomError):
        provider.join(ref, old, seeker)
    provider.join(ref, new, seeker)


def test_the_provider_comes_from_the_setting(settings: Any) -> None:
    assert rooms.room_provider_path() == settings.INTERVIEW_ROOM_PROVIDER
    assert isinstance(rooms.provider_for(settings.INTERVIEW_ROOM_PROVIDER),
                      rooms.LocalRoomProvider)


# --- through the services --------------------------------------------------------------------

def test_joining_records_the_seekers_check_in(recruiter: Any, seeker: Any,
                                              application: Any) -> None:
    interview = _video(recruiter, application)
    moment = at(29, 9, 45)
    url = services.room_join_url(actor=recruiter, interview=interview, now=moment)
    services.room_local_join(actor=recruiter, interview=interview, token=_token(url)[1])
    interview.refresh_from_db()
    assert not hasattr(interview, "checkin")  # the recruiter's join is no check-in
    url = services.room_join_url(actor=seeker, interview=interview, now=moment)
    services.room_local_join(actor=seeker, interview=interview, token=_token(url)[1])
    interview.refresh_from_db()
    assert interview.checkin.method == CheckInMethod.ROOM
    assert interview.checkin.recorded_by == seeker
    assert AuditEntry.objects.filter(verb="interview.room_joined").count() == 2
    assert AuditEntry.objects.filter(verb="interview.checked_in", actor_id=seeker.pk).exists()


def test_the_room_opens_half_an_hour_before_and_closes_an_hour_after(
        recruiter: Any, seeker: Any, application: Any) -> None:
    interview = _video(recruiter, application)
    for moment, code in ((at(29, 9, 29), "room_not_open"), (at(29, 12, 1), "room_closed")):
        with pytest.raises(ServiceError) as caught:
            services.room_join_url(actor=seeker, interview=interview, now=moment)
        assert caught.value.code == code
    assert services.room_join_url(actor=seeker, interview=interview, now=at(29, 9, 30))


def test_strangers_and_other_modes_get_no_link(recruiter: Any, other_seeker: Any,
                                               other_recruiter: Any, seeker: Any,
                                               application: Any, posting: Any) -> None:
    interview = _video(recruiter, application)
    for actor in (other_seeker, other_recruiter):
        with pytest.raises(NotFound):
            services.room_join_url(actor=actor, interview=interview, now=at(29, 10))
        with pytest.raises(NotFound):
            services.room_local_join(actor=actor, interview=interview, token="x")
    services.interview_cancel(actor=recruiter, interview=interview, reason="取消", now=NOW)
    interview.refresh_from_db()
    with pytest.raises(ServiceError) as caught:
        services.room_join_url(actor=seeker, interview=interview, now=at(29, 10))
    assert caught.value.code == "no_room"


def test_a_bad_token_is_refused(recruiter: Any, seeker: Any, application: Any) -> None:
    interview = _video(recruiter, application)
    with pytest.raises(ServiceError) as caught:
        services.room_local_join(actor=seeker, interview=interview, token="guessed")
    assert caught.value.status == 403
    assert not LocalRoomEvent.objects.exists()


def test_completing_closes_the_room(recruiter: Any, application: Any) -> None:
    interview = _video(recruiter, application)
    ref = interview.room_ref
    services.interview_complete(actor=recruiter, interview=interview, now=at(29, 11))
    assert LocalRoom.objects.get(ref=ref).closed_at is not None
    interview.refresh_from_db()
    assert interview.status == Status.COMPLETED and interview.room_ref == ""


# --- pages ------------------------------------------------------------------------------------

def test_both_sides_enter_the_room_page_and_see_the_log(user_client: Any, recruiter: Any,
                                                        seeker: Any, application: Any) -> None:
    from django.utils import timezone

    interview = testing.book(recruiter, application, timezone.now() + timedelta(minutes=10),
                             mode="video", location="")
    me = user_client(seeker)
    room_url = reverse("interviews:room", args=[interview.pk])
    assert "还没有人进入" in me.get(room_url).content.decode()
    entered = me.post(reverse("interviews:room_enter", args=[interview.pk]))
    assert entered.status_code == 302 and "/interviews/rooms/" in entered["Location"]
    joined = me.get(entered["Location"])
    assert joined.status_code == 302 and joined["Location"] == room_url
    assert me.get(entered["Location"]).status_code == 403  # the link works once
    page = user_client(recruiter).get(room_url).content.decode()
    assert "求职者 求职者小张 · 进入" in page
    me.post(reverse("interviews:room_leave", args=[interview.pk]))
    assert "求职者小张 · 离开" in me.get(room_url).content.decode()
    interview.refresh_from_db()
    assert interview.checkin.method == CheckInMethod.ROOM


def test_a_room_link_is_useless_to_others(user_client: Any, recruiter: Any, seeker: Any,
                                          other_seeker: Any, application: Any) -> None:
    from django.utils import timezone

    interview = testing.book(recruiter, application, timezone.now() + timedelta(minutes=10),
                             mode="video", location="")
    url = services.room_join_url(actor=seeker, interview=interview)
    assert user_client(other_seeker).get(url).status_code == 404
    assert user_client(other_seeker).get(
        reverse("interviews:room", args=[interview.pk])).status_code == 404
    assert user_client(other_seeker).get(
        reverse("interviews:local_room_join", args=["nope", "x"])).status_code == 404
    assert AuditEntry.objects.filter(actor_id=other_seeker.pk,
                                     verb__endswith=".denied").count() == 3
    assert not LocalRoomEvent.objects.exists()


def test_the_api_gives_a_link_and_the_log(user_client: Any, recruiter: Any, seeker: Any,
                                          application: Any) -> None:
    from django.utils import timezone

    interview = testing.book(recruiter, application, timezone.now() + timedelta(minutes=10),
                             mode="video", location="")
    api = user_client(seeker)
    link = api.post(f"/api/v1/interviews/{interview.pk}/room/join").json()["url"]
    assert link.startswith("http://testserver/interviews/rooms/")
    api.get(link)
    log = api.get(f"/api/v1/interviews/{interview.pk}/room/log").json()
    assert [(row["role"], row["kind"]) for row in log] == [("求职者", "进入")]
    assert api.get(f"/api/v1/interviews/{interview.pk}").json()["checked_in_at"]
