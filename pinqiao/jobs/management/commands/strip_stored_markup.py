"""Clean text stored before ``clean_text`` stripped entity-encoded markup (SEC-3, finding 5).

Until then ``&lt;script&gt;`` typed into a form was stored as a raw ``<script>``. This walks
the user-written text fields that pass through ``clean_text`` and, in every value holding a
``<``, strips markup with ``strip_markup``; plain text such as ``a < b`` stays as it is. Each
changed row is audited and changed postings and résumés are queued for the search indexes.
Prints one summary line; ``--dry-run`` changes nothing.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q

from pinqiao.core.audit import log_action
from pinqiao.jobs.services import strip_markup
from pinqiao.search.services import outbox_record

#: (model, user-written fields, search index fed by the model or "").
FIELDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("jobs.Posting", ("title", "requirements", "work_content", "working_hours",
                      "social_insurance", "housing", "address", "seeker_fee_statement"),
     "postings"),
    ("resumes.Resume", ("full_name", "self_introduction", "skills", "interests"), "resumes"),
    ("resumes.Education", ("school", "major", "description"), ""),
    ("resumes.WorkExperience", ("company", "title", "description", "achievements"), ""),
    ("resumes.Certificate", ("name", "issuer"), ""),
    ("resumes.Honour", ("title", "awarder", "summary"), ""),
    ("applications.ApplicationNote", ("body",), ""),
    ("applications.RejectionTemplate", ("title", "body"), ""),
    ("applications.Offer", ("note",), ""),
)


class Command(BaseCommand):
    help = "Strip markup from text stored before entity-encoded HTML was cleaned (SEC-3)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        rows = values = 0
        for label, fields, index in FIELDS:
            model = apps.get_model(label)
            suspects = model.objects.filter(reduce(or_, (Q(**{f"{f}__contains": "<"})
                                                         for f in fields)))
            for obj in suspects.iterator():
                changed = {f: strip_markup(getattr(obj, f)) for f in fields
                           if "<" in getattr(obj, f) and strip_markup(getattr(obj, f))
                           != getattr(obj, f)}
                if not changed:
                    continue
                rows += 1
                values += len(changed)
                if dry_run:
                    continue
                with transaction.atomic():
                    model.objects.filter(pk=obj.pk).update(**changed)
                    log_action(None, "core.markup_stripped", obj, {"fields": sorted(changed)})
                    if index:
                        outbox_record(index=index, object_ids=[obj.pk])
        verb = "would clean" if dry_run else "cleaned"
        self.stdout.write(f"strip_stored_markup: {verb} {values} values in {rows} rows")
