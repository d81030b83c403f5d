"""ORG-6, ACC-2: the owner invites members by phone, sets permissions, removes them; audited."""

from __future__ import annotations

import pytest

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.notifications.models import Notification
from pinqiao.orgs.models import Membership
from pinqiao.orgs.services import member_invite, member_remove, member_update

pytestmark = pytest.mark.django_db


def test_it_invites_a_recruiter_by_phone_with_the_chosen_permissions(employer, recruiter,
                                                                    recruiter2):
    m = member_invite(actor=recruiter, organisation=employer, phone=recruiter2.test_phone,
                      perms={"can_post_jobs": True, "can_chat": True})
    assert (m.can_post_jobs, m.can_chat, m.can_view_resumes, m.can_manage_booths) == (
        True, True, False, False)
    entry = AuditEntry.objects.get(verb="orgs.member_added")
    assert recruiter2.test_phone not in str(entry.data)
    assert Notification.objects.filter(user=recruiter2, event="org_member_added").exists()


def test_it_refuses_a_member_invited_twice(employer, recruiter, recruiter2):
    member_invite(actor=recruiter, organisation=employer, phone=recruiter2.test_phone, perms={})
    with pytest.raises(ServiceError) as exc:
        member_invite(actor=recruiter, organisation=employer, phone=recruiter2.test_phone,
                      perms={"can_post_jobs": True})
    assert exc.value.code == "already_member"
    assert Membership.objects.filter(user=recruiter2).count() == 1


def test_it_refuses_unknown_phones_and_seekers(employer, recruiter, seeker):
    with pytest.raises(ServiceError) as exc:
        member_invite(actor=recruiter, organisation=employer, phone="13700000000", perms={})
    assert exc.value.code == "not_recruiter"
    with pytest.raises(ServiceError):
        member_invite(actor=recruiter, organisation=employer, phone=seeker.test_phone, perms={})


def test_it_lets_only_the_owner_manage_members(employer, recruiter, recruiter2, make_user):
    from pinqiao.core.permissions import Role

    third = make_user(role=Role.RECRUITER)
    member_invite(actor=recruiter, organisation=employer, phone=recruiter2.test_phone, perms={})
    with pytest.raises(NotPermitted):
        member_invite(actor=recruiter2, organisation=employer, phone=third.test_phone, perms={})


def test_it_changes_permissions_and_audits_before_and_after(employer, recruiter, recruiter2):
    m = member_invite(actor=recruiter, organisation=employer, phone=recruiter2.test_phone,
                      perms={})
    member_update(actor=recruiter, membership=m, perms={"can_view_resumes": True})
    m.refresh_from_db()
    assert m.can_view_resumes
    entry = AuditEntry.objects.get(verb="orgs.member_perms_changed")
    assert entry.data["before"]["can_view_resumes"] is False
    assert entry.data["after"]["can_view_resumes"] is True


def test_it_removes_a_member_but_never_the_owner(employer, recruiter, recruiter2):
    m = member_invite(actor=recruiter, organisation=employer, phone=recruiter2.test_phone,
                      perms={})
    member_remove(actor=recruiter, membership=m)
    assert not Membership.objects.filter(user=recruiter2).exists()
    owner = Membership.objects.get(user=recruiter)
    with pytest.raises(ServiceError):
        member_remove(actor=recruiter, membership=owner)
    assert AuditEntry.objects.filter(verb="orgs.member_removed").exists()
