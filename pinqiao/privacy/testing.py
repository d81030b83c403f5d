"""Builders for privacy tests, the browser test and demo data: a résumé with encrypted contact
details, and the consents an application or an accepted contact request leaves behind."""

from __future__ import annotations

import importlib
from typing import Any

from pinqiao.privacy.models import Consent, ConsentPurpose, ConsentSource
from pinqiao.privacy.services import consent_grant
from pinqiao.resumes.models import Resume, ReviewStatus, Visibility
from pinqiao.resumes.services import resume_contact_set, resume_ensure

CONTACT = {"phone": "13812345678", "email": "zhangsan@example.com", "im": "zhangsan_wx"}


def resume_for(owner: Any, *, visibility: str = Visibility.APPLIED_ONLY,
               review_status: str = ReviewStatus.APPROVED, **over: Any) -> Resume:
    """A résumé for ``owner`` with the contact details in ``CONTACT`` stored by the résumés
    service (encrypted, with masked forms); ``visibility``, review state and ``over`` set
    directly."""
    resume = resume_ensure(owner=owner)
    resume_contact_set(actor=owner, resume=resume, **CONTACT)
    Resume.objects.filter(pk=resume.pk).update(
        full_name="张三", gender="male", visibility=visibility, review_status=review_status,
        **over)
    return Resume.objects.get(pk=resume.pk)


def applied(seeker: Any, organisation: Any) -> Consent:
    """The separate consent an application gives: the résumé goes to that organisation."""
    return consent_grant(user=seeker, purpose=ConsentPurpose.RESUME_TO_EMPLOYER,
                         source=ConsentSource.APPLICATION, organisation=organisation)


def released(seeker: Any, organisation: Any) -> Consent:
    """The seeker's contact details released to ``organisation``."""
    return consent_grant(user=seeker, purpose=ConsentPurpose.CONTACT_RELEASE,
                         source=ConsentSource.APPLICATION, organisation=organisation)


def install_data_rows() -> None:
    """Transactional tests flush the tables: put back the data-migration rows that
    organisation verification and the privacy notifications need."""
    from django.apps import apps

    from pinqiao.notifications.defaults import install

    importlib.import_module("pinqiao.orgs.migrations.0002_defaults").forward(apps, None)
    for module in ("pinqiao.notifications.migrations.0002_default_templates",
                   "pinqiao.resumes.migrations.0003_notification_templates",
                   "pinqiao.privacy.migrations.0003_notification_templates",
                   "pinqiao.privacy.migrations.0005_flag_notification_templates"):
        install(apps, importlib.import_module(module).ROWS)
