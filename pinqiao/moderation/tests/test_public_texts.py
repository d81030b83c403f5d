"""MOD-1 (issue 16): one registry lists every public text field and its screening context; a
user-editable text field that is in neither the registry nor the list of non-public fields
fails here, so no public text goes unscreened by oversight."""

from __future__ import annotations

import importlib
import inspect

from django.apps import apps
from django.db import models

from pinqiao.moderation.engine import CONTEXTS
from pinqiao.moderation.public_texts import NOT_PUBLIC, PUBLIC_TEXTS

#: Structured fields whose value cannot carry free text.
STRUCTURED = (models.EmailField, models.SlugField, models.GenericIPAddressField,
              models.UUIDField)


def _text_fields() -> list[str]:
    labels = []
    for model in apps.get_models():
        if not model.__module__.startswith("pinqiao."):
            continue
        for field in model._meta.get_fields():
            if (isinstance(field, (models.CharField, models.TextField))
                    and not isinstance(field, STRUCTURED)
                    and field.editable and not field.choices):
                labels.append(f"{model._meta.label}.{field.name}")
    return labels


def _classified(label: str) -> bool:
    model = label.rsplit(".", 1)[0]
    return label in PUBLIC_TEXTS or label in NOT_PUBLIC or model in NOT_PUBLIC


def test_every_user_editable_text_field_is_registered_or_explained() -> None:
    missing = [label for label in _text_fields() if not _classified(label)]
    assert not missing, (
        "text fields missing from pinqiao/moderation/public_texts.py (add them to "
        f"PUBLIC_TEXTS with a context, or to NOT_PUBLIC with the reason): {missing}")


def test_the_registry_names_real_fields_in_known_contexts() -> None:
    fields = set(_text_fields())
    for label, entry in PUBLIC_TEXTS.items():
        assert label in fields, label
        assert label not in NOT_PUBLIC and label.rsplit(".", 1)[0] not in NOT_PUBLIC, label
        assert entry.context in CONTEXTS, label


def test_every_public_field_names_a_function_that_screens_it() -> None:
    for label, entry in PUBLIC_TEXTS.items():
        module, name = entry.screened_by.rsplit(".", 1)
        function = getattr(importlib.import_module(module), name)
        source = inspect.getsource(function)
        assert "screen" in source, f"{label}: {entry.screened_by} does not screen"


def test_it_covers_the_issue_16_fields() -> None:
    assert PUBLIC_TEXTS["orgs.Organisation.benefits"].context == "profile"
    assert PUBLIC_TEXTS["orgs.Organisation.website"].context == "brand"
    assert PUBLIC_TEXTS["orgs.Organisation.seeker_fee_description"].context == "fee_statement"
    assert PUBLIC_TEXTS["jobs.Posting.seeker_fee_statement"].context == "fee_statement"
    assert PUBLIC_TEXTS["interviews.Interview.note"].context == "interview"
