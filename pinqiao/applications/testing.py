"""Builders for the applications tests, the browser tests and the demo data."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps as django_apps

from pinqiao.applications import services
from pinqiao.applications.models import Application
from pinqiao.resumes import testing as resumes_testing
from pinqiao.resumes.models import Resume


def approved_resume(seeker: Any, *, review_status: str = "") -> Resume:
    """The seeker's résumé, built and approved through the résumé services (MOD-8) the first
    time; ``review_status`` then puts it in another review state for refusal tests."""
    resume = Resume.objects.filter(owner=seeker).first() or resumes_testing.approved_resume(
        seeker)
    if review_status:
        Resume.objects.filter(pk=resume.pk).update(review_status=review_status)
        resume.refresh_from_db()
    return resume


def applied(seeker: Any, posting: Any, *, contact: bool = False,
            answers: dict[str, Any] | None = None) -> Application:
    """``seeker`` applies to ``posting`` with an approved résumé and the résumé consent."""
    approved_resume(seeker)
    return services.application_submit(seeker=seeker, posting_id=posting.pk,
                                       answers=answers or {}, resume_consent=True,
                                       contact_consent=contact)


#: Data migrations whose rows the flows here need (notification templates, defaults).
DATA_MIGRATIONS = (
    "pinqiao.notifications.migrations.0002_default_templates",
    "pinqiao.jobs.migrations.0002_notification_templates",
    "pinqiao.jobs.migrations.0003_in_review_template",
    "pinqiao.resumes.migrations.0003_notification_templates",
    "pinqiao.privacy.migrations.0003_notification_templates",
    "pinqiao.applications.migrations.0004_notification_templates",
    "pinqiao.applications.migrations.0006_notification_templates",
)


def reinstall_data_migrations() -> None:
    """Transactional tests flush every table: put the data migrations' rows back."""
    from pinqiao.notifications.defaults import install

    importlib.import_module("pinqiao.orgs.migrations.0002_defaults").forward(django_apps, None)
    for module in DATA_MIGRATIONS:
        migration = importlib.import_module(module)
        if hasattr(migration, "forward"):
            migration.forward(django_apps, None)
        else:
            install(django_apps, migration.ROWS)
