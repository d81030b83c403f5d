"""Consent records (PRIV-3, RES-5): one live consent per purpose and organisation, withdrawal
stamps the record and takes effect at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.privacy import selectors, services
from pinqiao.privacy.models import Consent, ConsentPurpose, ConsentSource

pytestmark = pytest.mark.django_db


def test_contact_released_only_while_consent_is_live(seeker: Any, employer: Any) -> None:
    assert not selectors.contact_released_to(user=seeker, organisation=employer)
    consent = services.consent_grant(user=seeker, purpose=ConsentPurpose.CONTACT_RELEASE,
                                     source=ConsentSource.APPLICATION, organisation=employer)
    assert selectors.contact_released_to(user=seeker, organisation=employer)
    again = services.consent_grant(user=seeker, purpose=ConsentPurpose.CONTACT_RELEASE,
                                   source=ConsentSource.CONTACT_REQUEST, organisation=employer)
    assert again.pk == consent.pk
    services.consent_withdraw(user=seeker, consent_id=consent.pk)
    assert not selectors.contact_released_to(user=seeker, organisation=employer)
    assert Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=False).exists()


def test_the_database_allows_one_live_consent(seeker: Any, employer: Any) -> None:
    Consent.objects.create(user=seeker, purpose=ConsentPurpose.CONTACT_RELEASE,
                           source=ConsentSource.APPLICATION, organisation=employer)
    with pytest.raises(IntegrityError):
        Consent.objects.create(user=seeker, purpose=ConsentPurpose.CONTACT_RELEASE,
                               source=ConsentSource.APPLICATION, organisation=employer)


def test_scope_must_match_the_purpose(seeker: Any, employer: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        services.consent_grant(user=seeker, purpose=ConsentPurpose.CONTACT_RELEASE,
                               source=ConsentSource.SETTINGS)
    assert exc.value.code == "invalid_consent_scope"
    with pytest.raises(ServiceError):
        services.consent_grant(user=seeker, purpose=ConsentPurpose.PERSONALISATION,
                               source=ConsentSource.SETTINGS, organisation=employer)


def test_nobody_withdraws_another_users_consent(seeker: Any, make_user: Any) -> None:
    consent = services.consent_grant(user=seeker, purpose=ConsentPurpose.PERSONALISATION,
                                     source=ConsentSource.SETTINGS)
    stranger = make_user()
    with pytest.raises(NotFound):
        services.consent_withdraw(user=stranger, consent_id=consent.pk)
    assert selectors.consent_active(user=seeker, purpose=ConsentPurpose.PERSONALISATION)
    denied = AuditEntry.objects.get(verb="privacy.consent_denied")
    assert (denied.actor_id, denied.target_id) == (stranger.pk, str(consent.pk))
    with pytest.raises(NotFound):
        services.consent_withdraw(user=stranger, consent_id=consent.pk + 1000)
    assert AuditEntry.objects.filter(verb="privacy.consent_denied").count() == 1
