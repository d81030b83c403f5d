"""ORG-7: the periodic re-verification command."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from pinqiao.core.scheduler import SCHEDULE
from pinqiao.notifications.models import Notification
from pinqiao.orgs.models import Licence, LicenceKind, Organisation, OrgStatus, ReviewStatus

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("reverify_organisations", *args, stdout=out)
    return out.getvalue().strip()


def age(org: Organisation, days: int) -> None:
    verified = timezone.now() - timedelta(days=days)
    Organisation.objects.filter(pk=org.pk).update(
        verified_at=verified, next_review_due=verified + timedelta(days=182))


def test_it_is_registered_in_the_scheduler():
    assert "reverify_organisations" in {job.command for job in SCHEDULE}


def test_it_suspends_an_organisation_verified_seven_months_ago(employer, recruiter):
    age(employer, 213)
    line = run()
    employer.refresh_from_db()
    assert employer.status == OrgStatus.SUSPENDED
    assert "复核" in employer.status_reason
    assert "suspended=1" in line and len(line.splitlines()) == 1
    assert Notification.objects.filter(user=recruiter, event="org_suspended").exists()


def test_it_reminds_at_six_months_without_suspending(employer, recruiter):
    age(employer, 184)
    assert "reminded=1" in run()
    employer.refresh_from_db()
    assert employer.status == OrgStatus.VERIFIED
    assert Notification.objects.filter(user=recruiter, event="org_reverify_due").exists()
    assert "reminded=0" in run()  # once


def test_it_leaves_recent_verifications_alone(employer):
    age(employer, 30)
    assert run().endswith("reminded=0 licence_warnings=0 licences_expired=0 suspended=0")


def test_it_changes_nothing_on_a_dry_run(employer):
    age(employer, 213)
    line = run("--dry-run")
    employer.refresh_from_db()
    assert line.startswith("[dry-run]") and "suspended=1" in line
    assert employer.status == OrgStatus.VERIFIED


def test_it_warns_of_a_licence_expiring_within_30_days(agency, agency_owner):
    Licence.objects.filter(organisation=agency, kind=LicenceKind.HR_SERVICE).update(
        valid_until=timezone.localdate() + timedelta(days=20))
    assert "licence_warnings=1" in run()
    assert Notification.objects.filter(user=agency_owner, event="org_licence_expiring").exists()


def test_it_expires_an_hr_licence_which_suspends_daizhao_visibly(agency, agency_owner):
    Licence.objects.filter(organisation=agency, kind=LicenceKind.HR_SERVICE).update(
        valid_until=timezone.localdate() - timedelta(days=1))
    assert "licences_expired=1" in run()
    lic = Licence.objects.get(organisation=agency, kind=LicenceKind.HR_SERVICE)
    assert lic.status == ReviewStatus.EXPIRED
    agency.refresh_from_db()
    assert agency.status == OrgStatus.VERIFIED  # own postings still allowed
    assert Notification.objects.filter(user=agency_owner, event="org_licence_expired").exists()


def test_it_suspends_on_an_expired_business_licence(employer):
    Licence.objects.filter(organisation=employer, kind=LicenceKind.BUSINESS).update(
        valid_until=timezone.localdate() - timedelta(days=1))
    assert "suspended=1" in run()
    employer.refresh_from_db()
    assert employer.status == OrgStatus.SUSPENDED and "营业执照" in employer.status_reason
