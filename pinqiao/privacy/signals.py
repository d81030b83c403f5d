"""Signals of the privacy app."""

from django.dispatch import Signal

#: Sent after a recruiter opened a résumé (RES-6), with ``resume``, ``organisation`` and
#: ``viewer``. The applications app marks that organisation's new applications as viewed.
resume_viewed = Signal()
