"""ORG-4, ORG-5, ORG-8, ORG-12: ``posting_permission_check`` decides who may post what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pinqiao.core.errors import NotPermitted
from pinqiao.core.models import AuditEntry
from pinqiao.orgs import testing
from pinqiao.orgs.models import Licence, LicenceKind, Membership
from pinqiao.orgs.selectors import posting_permission_check as check
from pinqiao.orgs.services import (
    licence_add,
    licence_review,
    member_invite,
    organisation_suspend,
)

pytestmark = pytest.mark.django_db


def test_it_lets_a_verified_employer_post_its_own_jobs(recruiter, employer):
    check(user=recruiter, organisation=employer, mode="own")


def test_it_refuses_an_unverified_organisation_and_audits_it(recruiter):
    """ORG-8: unverified organisations cannot publish anything."""
    org = testing.register(recruiter, "聘桥示范科技")
    with pytest.raises(NotPermitted) as exc:
        check(user=recruiter, organisation=org, mode="own")
    assert "认证" in exc.value.message
    assert AuditEntry.objects.filter(verb="orgs.posting_refused", target_id=str(org.pk)).exists()


def test_it_refuses_a_suspended_organisation_with_the_reason(recruiter, employer, reviewer):
    organisation_suspend(actor=reviewer, organisation=employer, reason="证照过期")
    with pytest.raises(NotPermitted) as exc:
        check(user=recruiter, organisation=employer, mode="own")
    assert "证照过期" in exc.value.message


def test_it_refuses_a_member_without_the_post_permission(employer, recruiter, recruiter2):
    member_invite(actor=recruiter, organisation=employer, phone=recruiter2.test_phone,
                  perms={"can_chat": True})
    with pytest.raises(NotPermitted):
        check(user=recruiter2, organisation=employer, mode="own")
    Membership.objects.filter(user=recruiter2).update(can_post_jobs=True)
    check(user=recruiter2, organisation=employer, mode="own")


def test_it_refuses_an_outsider(employer, recruiter2):
    with pytest.raises(NotPermitted):
        check(user=recruiter2, organisation=employer, mode="own")


def test_it_refuses_an_expired_business_licence(recruiter, employer):
    Licence.objects.filter(organisation=employer, kind=LicenceKind.BUSINESS).update(
        valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(NotPermitted) as exc:
        check(user=recruiter, organisation=employer, mode="own")
    assert "营业执照" in exc.value.message


def test_it_gives_an_agency_daizhao_for_its_verified_client_only(agency, agency_owner, reviewer):
    """ORG-5: 代招 only against this agency's verified, unexpired 委托证明."""
    client = testing.client_for(agency, agency_owner, reviewer)
    check(user=agency_owner, organisation=agency, mode="agency", client=client)
    with pytest.raises(NotPermitted):
        check(user=agency_owner, organisation=agency, mode="agency", client=None)
    pending = testing.client_for(agency, agency_owner, None, fragment="浦江物流")
    with pytest.raises(NotPermitted) as exc:
        check(user=agency_owner, organisation=agency, mode="agency", client=pending)
    assert "委托证明" in exc.value.message


def test_it_refuses_another_agencys_client(agency, agency_owner, reviewer, make_user):
    from pinqiao.core.permissions import Role

    other_owner = make_user(role=Role.RECRUITER)
    other = testing.approve(reviewer, testing.register(other_owner, "海珠人力", kind="agency",
                                                       person=6))
    foreign = testing.client_for(other, other_owner, reviewer)
    with pytest.raises(NotPermitted):
        check(user=agency_owner, organisation=agency, mode="agency", client=foreign)


def test_it_refuses_daizhao_to_an_employer(recruiter, employer):
    with pytest.raises(NotPermitted) as exc:
        check(user=recruiter, organisation=employer, mode="agency")
    assert "人力资源服务机构" in exc.value.message


def test_it_refuses_daizhao_when_the_licence_scope_lacks_online_recruitment(
        agency, agency_owner, reviewer):
    client = testing.client_for(agency, agency_owner, reviewer)
    Licence.objects.filter(organisation=agency, kind=LicenceKind.HR_SERVICE).update(
        scope="职业中介活动；人力资源外包。")
    with pytest.raises(NotPermitted) as exc:
        check(user=agency_owner, organisation=agency, mode="agency", client=client)
    assert "网络招聘" in exc.value.message


def test_it_refuses_an_expired_client_authorisation(agency, agency_owner, reviewer):
    client = testing.client_for(agency, agency_owner, reviewer)
    client.valid_until = timezone.localdate() - timedelta(days=1)
    client.valid_from = client.valid_until - timedelta(days=30)
    client.save()
    with pytest.raises(NotPermitted):
        check(user=agency_owner, organisation=agency, mode="agency", client=client)


def test_it_needs_a_dispatch_licence_for_dispatch_postings(recruiter, employer, reviewer):
    with pytest.raises(NotPermitted) as exc:
        check(user=recruiter, organisation=employer, mode="dispatch")
    assert "劳务派遣" in exc.value.message
    lic = licence_add(actor=recruiter, organisation=employer, kind=LicenceKind.LABOUR_DISPATCH,
                      number="PQ-DISPATCH-1", authority="广州市人社局",
                      valid_until=timezone.localdate() + timedelta(days=400),
                      upload=testing.pdf("d.pdf", "dispatch"))
    licence_review(actor=reviewer, licence=lic, approve=True)
    check(user=recruiter, organisation=employer, mode="dispatch")


def test_it_needs_the_special_permit_for_a_special_permit_industry(recruiter, employer,
                                                                  reviewer):
    """ORG-12: catering jobs need a verified 食品经营许可证."""
    with pytest.raises(NotPermitted) as exc:
        check(user=recruiter, organisation=employer, mode="own", industry_code="catering")
    assert "食品经营许可证" in exc.value.message
    lic = licence_add(actor=recruiter, organisation=employer, kind=LicenceKind.SPECIAL_PERMIT,
                      permit="food_business", number="JY14401060000001",
                      authority="广州市天河区市场监督管理局",
                      valid_until=timezone.localdate() + timedelta(days=400),
                      upload=testing.pdf("food.pdf", "food"))
    with pytest.raises(NotPermitted):
        check(user=recruiter, organisation=employer, mode="own", industry_code="catering")
    licence_review(actor=reviewer, licence=lic, approve=True)
    check(user=recruiter, organisation=employer, mode="own", industry_code="catering")
    check(user=recruiter, organisation=employer, mode="own", industry_code="software")


def test_it_refuses_an_unknown_mode(recruiter, employer):
    with pytest.raises(NotPermitted):
        check(user=recruiter, organisation=employer, mode="magic")


def test_it_counts_the_hr_licence_as_the_permit_of_the_hr_industry(agency, agency_owner):
    check(user=agency_owner, organisation=agency, mode="own", industry_code="hr_services")


def test_it_needs_the_clients_permit_for_daizhao_in_a_special_permit_industry(
        agency, agency_owner, reviewer):
    """ORG-12 for 代招: the hiring client's permit, filed against its authorisation."""
    client = testing.client_for(agency, agency_owner, reviewer, fragment="天河餐饮")
    other = testing.client_for(agency, agency_owner, reviewer, fragment="示范零售")
    with pytest.raises(NotPermitted) as exc:
        check(user=agency_owner, organisation=agency, mode="agency", client=client,
              industry_code="catering")
    assert "委托单位" in exc.value.message and "食品经营许可证" in exc.value.message
    permit = licence_add(actor=agency_owner, organisation=agency,
                         kind=LicenceKind.SPECIAL_PERMIT, permit="food_business",
                         number="JY1440106", authority="天河区市场监管局",
                         valid_until=timezone.localdate() + timedelta(days=300),
                         upload=testing.pdf("f.pdf", "client-food"), client=client)
    licence_review(actor=reviewer, licence=permit, approve=True)
    check(user=agency_owner, organisation=agency, mode="agency", client=client,
          industry_code="catering")
    with pytest.raises(NotPermitted):
        check(user=agency_owner, organisation=agency, mode="agency", client=other,
              industry_code="catering")
    with pytest.raises(NotPermitted):  # the client's permit is not the agency's own
        check(user=agency_owner, organisation=agency, mode="own", industry_code="catering")
