"""Signals other apps listen to, so that jobs need not know about them."""

from django.dispatch import Signal

#: Sent inside the posting's transaction whenever its status changes (JOB-2), just before the
#: posting row is saved, with
#: ``posting``, ``from_status``, ``to_status``, ``actor`` and ``reason_code``. Receivers that
#: talk to the outside world should defer that work with ``transaction.on_commit``.
posting_status_changed = Signal()
