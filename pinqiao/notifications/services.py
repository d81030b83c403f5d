"""The notification service (MSG-3): ``notify(user, event, context)``.

One call renders the event's staff-edited templates, writes the in-site inbox entry, and queues
one delivery per outside channel the user can receive and has not switched off. Deliveries are
sent by a background task and retried with back-off; SMS and push wait for the end of the
user's quiet hours unless the event is urgent.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.crypto import decrypt
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.notifications.models import (
    Channel,
    Delivery,
    Notification,
    NotificationPreference,
    NotificationTemplate,
)
from pinqiao.notifications.providers import push_provider, sms_provider

logger = logging.getLogger(__name__)


SUBJECT_MAX = Notification._meta.get_field("subject").max_length


@lru_cache(maxsize=256)
def _compiled(source: str) -> Template:
    """A template compiled once per process and text (a staff edit is a new text)."""
    return Template("{% autoescape off %}" + source + "{% endautoescape %}")


def render(source: str, context: dict[str, Any]) -> str:
    """Render a template body; plain text, so no HTML escaping."""
    return _compiled(source).render(Context(context)).strip()


def _templates(event: str, language: str) -> dict[str, NotificationTemplate]:
    found: dict[str, NotificationTemplate] = {}
    rows = NotificationTemplate.objects.filter(event=event, is_active=True,
                                               language__in=[language, "zh-hans"])
    for template in sorted(rows, key=lambda t: t.language != language):
        found.setdefault(template.channel, template)
    return found


def _in_quiet_hours(now: datetime, start: time | None, end: time | None) -> datetime | None:
    """The end of the quiet period if ``now`` (local time) falls inside it, else None."""
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    current = local.time()
    inside = start <= current < end if start < end else (current >= start or current < end)
    if not inside:
        return None
    end_at = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return end_at if end_at > local else end_at + timedelta(days=1)


def _channels_for(user: Any, preference: NotificationPreference | None) -> set[str]:
    channels = {Channel.PUSH} if preference is None or preference.push_enabled else set()
    if user.email and (preference is None or preference.email_enabled):
        channels.add(Channel.EMAIL)
    if user.phone_ciphertext and (preference is None or preference.sms_enabled):
        channels.add(Channel.SMS)
    return channels


@transaction.atomic
def notify(user: Any, event: str, context: dict[str, Any] | None = None, *, link: str = "",
           urgent: bool = False) -> Notification:
    """Notify one user of ``event``. Raises ``LookupError`` when the event has no inbox template:
    every event must be readable in the site inbox."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    templates = _templates(event, language)
    if Channel.INBOX not in templates:
        raise LookupError(f"no active inbox template for event {event!r}")
    context = {"user": user, **(context or {})}
    inbox = templates[Channel.INBOX]
    notification = Notification.objects.create(
        user=user, event=event, subject=render(inbox.subject, context)[:SUBJECT_MAX],
        body=render(inbox.body, context), link=link,
    )
    preference = NotificationPreference.objects.filter(user=user).first()
    now = timezone.now()
    quiet_until = None if urgent or preference is None else _in_quiet_hours(
        now, preference.quiet_start, preference.quiet_end)
    deliveries = []
    for channel in sorted(_channels_for(user, preference) & templates.keys()):
        template = templates[channel]
        not_before = quiet_until if quiet_until and channel != Channel.EMAIL else now
        deliveries.append(Delivery.objects.create(
            notification=notification, channel=channel, not_before=not_before,
            subject=render(template.subject, context)[:SUBJECT_MAX],
            body=render(template.body, context),
        ))
    due = [d.pk for d in deliveries if d.not_before <= now]
    if due:
        transaction.on_commit(lambda: _enqueue_deliveries(due))
    return notification


def _enqueue_deliveries(pks: list[int]) -> None:
    """The delivery tasks of one notification, in one write transaction."""
    from pinqiao.notifications.tasks import deliver

    with transaction.atomic():
        for pk in pks:
            deliver.enqueue(pk)


def _has_address(delivery: Delivery) -> bool:
    """Whether the recipient can still be reached on the delivery's channel (the e-mail address
    is released when an account is closed)."""
    user = delivery.notification.user
    if delivery.channel == Channel.EMAIL:
        return bool(user.email)
    if delivery.channel == Channel.SMS:
        return bool(user.phone_ciphertext)
    return True


def _send(delivery: Delivery) -> str:
    user = delivery.notification.user
    if delivery.channel == Channel.EMAIL:
        send_mail(delivery.subject, delivery.body, None, [user.email])
        return "email"
    if delivery.channel == Channel.SMS:
        phone = decrypt(user.phone_ciphertext, context="phone")
        return sms_provider().send(phone=phone, text=delivery.body)
    return push_provider().send(user=user, title=delivery.subject, text=delivery.body)


def delivery_attempt(delivery_id: int) -> str:
    """Try one delivery that is due. On failure it stays pending with a later ``not_before``
    (1, 2, 4, 8 … minutes) until ``NOTIFICATION_MAX_ATTEMPTS``, then it is marked failed.

    Any error while sending counts as a failed attempt (a vendor adapter may raise anything),
    so one bad delivery cannot stop ``send_due_notifications`` from sending the others."""
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update().select_related("notification__user")
                    .filter(pk=delivery_id).first())
        now = timezone.now()
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return "gone"
        if delivery.not_before > now:
            return "not_due"
        delivery.attempts += 1
        if not _has_address(delivery):
            delivery.status = Delivery.Status.FAILED
            delivery.last_error = "recipient has no address on this channel"
            delivery.save()
            return "failed"
        try:
            with transaction.atomic():  # a savepoint: the provider's own writes roll back alone
                delivery.provider_ref = _send(delivery)[:64]
        except Exception as exc:
            logger.warning("delivery %s attempt %s failed: %r", delivery.pk, delivery.attempts,
                           exc)
            delivery.last_error = (str(exc) or type(exc).__name__)[:300]
            if delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
            else:
                delivery.not_before = now + timedelta(minutes=2 ** (delivery.attempts - 1))
            delivery.save()
            return "retry" if delivery.status == Delivery.Status.PENDING else "failed"
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = now
        delivery.save()
        return "sent"


def notify_before_erasure(user: Any, event: str, context: dict[str, Any] | None = None
                          ) -> Notification:
    """Notify ``user`` and attempt every outside delivery at once, while the user's phone and
    e-mail are still held: for the last notice before an erasure releases them (ACC-5)."""
    notification = notify(user, event, context, urgent=True)
    for delivery_id in notification.deliveries.values_list("pk", flat=True):
        delivery_attempt(delivery_id)
    return notification


def deliveries_due(limit: int = 500) -> list[int]:
    return list(Delivery.objects.filter(status=Delivery.Status.PENDING,
                                        not_before__lte=timezone.now())
                .order_by("not_before").values_list("pk", flat=True)[:limit])


def inbox_mark_read(*, user: Any, notification_ids: list[int] | None = None) -> int:
    rows = Notification.objects.filter(user=user, read_at=None)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def preference_update(*, user: Any, email_enabled: bool, sms_enabled: bool, push_enabled: bool,
                      quiet_start: time | None, quiet_end: time | None) -> NotificationPreference:
    if (quiet_start is None) != (quiet_end is None):
        raise ServiceError("invalid_quiet_hours", _("免打扰时段需要同时填写开始和结束时间。"),
                           fields={"quiet_end": [_("请同时填写开始和结束时间。")]})
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled, "sms_enabled": sms_enabled,
                             "push_enabled": push_enabled, "quiet_start": quiet_start,
                             "quiet_end": quiet_end})
    log_action(user, "notifications.preferences_updated", preference,
               {"email": email_enabled, "sms": sms_enabled, "push": push_enabled})
    return preference


SAMPLE_CONTEXT: dict[str, Any] = {
    "code": "123456", "organisation": "示例科技有限公司", "posting": "Java开发工程师",
    "reason": "示例原因", "time": "2026-12-01 10:00", "document": "用户协议",
}


def template_check(subject: str, body: str, *, user: Any = None) -> tuple[str, str]:
    """Refuse a template that does not compile, or that fails when rendered with sample data
    (an unknown URL name, a missing include): it would fail every ``notify`` of its event.
    Returns the sample rendering for the editor's preview."""
    try:
        Template(subject)
        Template(body)
    except TemplateSyntaxError as exc:
        msg = _("模板语法错误：%(error)s") % {"error": exc}
        raise ServiceError("template_syntax", msg, fields={"body": [msg]}) from exc
    context = {"user": user, **SAMPLE_CONTEXT}
    try:
        return render(subject, context), render(body, context)
    except Exception as exc:  # whatever a tag or filter raises while rendering
        msg = _("模板无法渲染：%(error)s") % {"error": exc}
        raise ServiceError("template_render", msg, fields={"body": [msg]}) from exc


@transaction.atomic
def template_update(*, actor: Any, template: NotificationTemplate, subject: str, body: str,
                    is_active: bool) -> NotificationTemplate:
    """Staff edit a template; each change bumps its version and is audited."""
    require_perm(actor, "manage.templates")
    template_check(subject, body, user=actor)
    template.subject, template.body, template.is_active = subject, body, is_active
    template.version += 1
    template.updated_by = actor
    template.save()
    log_action(actor, "notifications.template_updated", template,
               {"event": template.event, "channel": template.channel,
                "version": template.version})
    return template


def template_preview(*, subject: str, body: str, user: Any) -> tuple[str, str]:
    return template_check(subject, body, user=user)
