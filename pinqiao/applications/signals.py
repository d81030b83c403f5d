"""Signals of the applications app, so that other apps need not call into it."""

from django.dispatch import Signal

#: Sent inside the transaction whenever an application changes stage, with ``application``,
#: ``from_stage``, ``to_stage`` and ``actor`` (None for the platform). The interviews app, for
#: example, cancels open interview slots when an application reaches a final stage.
application_stage_changed = Signal()
