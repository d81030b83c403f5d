"""Rule sets (MOD-6): the bundled rules installed on deploy, the live version compiled once per
process, and the editor's drafts, replays on the labelled sets and recent screenings, and
publication."""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.moderation.engine import CATEGORIES, DEFAULT_RULES_PATH, RuleSetError, Screener
from pinqiao.moderation.learned import default_model
from pinqiao.moderation.models import RuleSet, ScreeningRecord
from pinqiao.moderation.scoring import screen_and_score
from pinqiao.moderation.services.categories import CATEGORY_CLAUSES

#: Screenings replayed with a draft before it is published (MOD-6).
REPLAY_RECENT = 1_000
#: The labelled sets replayed with a draft (the app's ``tests/labelled``).
LABELLED_DIR = Path(__file__).resolve().parent.parent / "tests" / "labelled"


_cache_lock = threading.Lock()
_screeners: dict[tuple[int, str], Screener] = {}


def _screener(rule_set: RuleSet) -> Screener:
    """The compiled screener of ``rule_set``, built once per process per version."""
    key = (rule_set.pk, rule_set.version)
    screener = _screeners.get(key)
    if screener is None:
        with _cache_lock:
            screener = _screeners.get(key)
            if screener is None:
                screener = Screener.from_rules(rule_set.data, model=default_model())
                if len(_screeners) > 8:
                    _screeners.clear()
                _screeners[key] = screener
    return screener


@lru_cache(maxsize=4)
def _bundle(mtime_ns: int) -> tuple[dict[str, Any], str]:
    raw = Path(DEFAULT_RULES_PATH).read_bytes()
    return json.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest()


def bundled_rules() -> tuple[dict[str, Any], str]:
    """The rule set shipped with the code (``rules/default.json``) and its SHA-256."""
    return _bundle(Path(DEFAULT_RULES_PATH).stat().st_mtime_ns)


_installed_digests: set[str] = set()

#: The live rule sets this process has read, by (id, version): every message in chat and every
#: posting is screened, and building the ORM query for the live row cost more CPU than the
#: screening itself (issue 12). Each call still asks the database which row is live, in one
#: plain statement on the partial unique index, so a publication or a deploy by any process is
#: seen by the next screening, and a rolled-back one is never used.
_live: dict[tuple[int, str], RuleSet] = {}


@lru_cache(maxsize=1)
def _live_sql() -> str:
    return f"SELECT id, version FROM {RuleSet._meta.db_table} WHERE status = %s"


def _live_key() -> tuple[int, str] | None:
    with connections[router.db_for_read(RuleSet)].cursor() as cursor:
        cursor.execute(_live_sql(), [RuleSet.Status.LIVE.value])
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def live_rule_set() -> RuleSet:
    """The rule set in force (MOD-6).

    A deploy is a release: the first time a process sees bundled rules whose content is not yet
    in the database, they become the live version (the previous one is retired and kept). Staff
    versions made in the rule editor stay live until the next deploy ships different rules.
    """
    data, digest = bundled_rules()
    if digest not in _installed_digests:
        if not RuleSet.objects.filter(source_digest=digest).exists():
            _install_bundle(data, digest)
        _installed_digests.add(digest)
    key = _live_key()
    if key is None:
        _installed_digests.discard(digest)
        return _install_bundle(data, digest)
    rule_set = _live.get(key)
    if rule_set is None:
        # The rules JSON is loaded only when this process compiles the version (_screener).
        rule_set = RuleSet.objects.defer("data", "replay").get(pk=key[0])
        if len(_live) > 8:
            _live.clear()
        _live[key] = rule_set
    return copy.copy(rule_set)


def _install_bundle(data: dict[str, Any], digest: str) -> RuleSet:
    version = str(data.get("version") or "bundled")
    if RuleSet.objects.filter(version=version).exclude(source_digest=digest).exists():
        version = f"{version}+{digest[:8]}"
    try:
        with transaction.atomic():
            RuleSet.objects.filter(status=RuleSet.Status.LIVE).exclude(
                source_digest=digest).update(status=RuleSet.Status.RETIRED)
            rule_set, _created = RuleSet.objects.get_or_create(
                source_digest=digest,
                defaults={"version": version, "data": {**data, "version": version},
                          "status": RuleSet.Status.LIVE, "published_at": timezone.now(),
                          "note": "随系统发布的默认规则"})
            if rule_set.status != RuleSet.Status.LIVE:
                rule_set.status = RuleSet.Status.LIVE
                rule_set.save(update_fields=["status"])
            log_action(None, "ruleset.deploy", rule_set, {"version": version})
    except IntegrityError:  # another process installed it at the same moment
        rule_set = RuleSet.objects.get(status=RuleSet.Status.LIVE)
    return rule_set


def _validate_rules(data: Any) -> Screener:
    if not isinstance(data, dict):
        raise ServiceError("invalid_rules", _("规则必须是 JSON 对象。"),
                           fields={"data": [_("规则必须是 JSON 对象。")]})
    try:
        return Screener.from_rules(data)
    except (RuleSetError, KeyError, TypeError, ValueError) as exc:
        message = _("规则有误：%(e)s") % {"e": exc}
        raise ServiceError("invalid_rules", message, fields={"data": [message]}) from exc


def add_words(data: dict[str, Any], *, category: str, words: Iterable[str]) -> dict[str, Any]:
    """A copy of ``data`` with ``words`` added as a term rule of ``category``."""
    if category not in CATEGORIES:
        raise ServiceError("invalid_category", _("未知的类别。"),
                           fields={"category": [_("未知的类别。")]})
    words = [w.strip() for w in words if w.strip()]
    data = json.loads(json.dumps(data))
    rule_id = f"staff.{category}"
    rule = next((r for r in data["rules"] if r.get("id") == rule_id), None)
    if rule is None:
        rule = {"id": rule_id, "category": category, "type": "term", "patterns": [],
                "note": str(CATEGORY_CLAUSES.get(category, ""))}
        data["rules"].append(rule)
    rule["patterns"] = list(dict.fromkeys(list(rule["patterns"]) + words))
    return data


@transaction.atomic
def rule_set_draft_create(*, actor: Any, data: dict[str, Any], note: str = "",
                          version: str = "") -> RuleSet:
    """Save a new draft rule-set version (MOD-6); validated by compiling it."""
    require_perm(actor, "manage.rules")
    base = live_rule_set()
    data = dict(data)
    version = (version or "").strip() or timezone.localtime().strftime("%Y.%m.%d-%H%M%S")
    if RuleSet.objects.filter(version=version).exists():
        raise ServiceError("version_taken", _("版本号已存在。"),
                           fields={"version": [_("版本号已存在。")]})
    data["version"] = version
    _validate_rules(data)
    rule_set = RuleSet.objects.create(version=version, data=data, note=note[:500],
                                      based_on=base, created_by=actor)
    log_action(actor, "ruleset.draft", rule_set, {"version": version, "based_on": base.version})
    return rule_set


def labelled_items() -> list[dict[str, Any]]:
    """The labelled sets replayed before a rule change goes live (MOD-6)."""
    paths = sorted(LABELLED_DIR.glob("*.jsonl"))
    extra = getattr(settings, "MODERATION_EXTRA_LABELLED", None)
    if extra is None:
        extra = [Path(settings.BASE_DIR).parent / "shared" / "moderation" / "dev.jsonl"]
    paths += [Path(p) for p in extra]
    items: list[dict[str, Any]] = []
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for line in lines:
            if line.strip():
                row = json.loads(line)
                row["id"] = f"{path.stem}:{row['id']}"
                items.append(row)
    return items


@dataclass
class Replay:
    labelled_before: dict[str, Any]
    labelled_after: dict[str, Any]
    recent_total: int
    recent_changed: list[dict[str, Any]]
    recent_matrix: dict[str, int]


def _score_with(screener: Screener, items: list[dict[str, Any]]) -> dict[str, Any]:
    report = screen_and_score(screener, items)
    report["errors"] = report["errors"][:50]
    return report


@transaction.atomic
def rule_set_replay(*, actor: Any, rule_set: RuleSet) -> dict[str, Any]:
    """Replay a draft on the labelled sets and the last 1,000 screenings (MOD-6) and keep the
    before/after figures on the draft."""
    require_perm(actor, "manage.rules")
    live = live_rule_set()
    draft = _validate_rules(rule_set.data)
    items = labelled_items()
    before = _score_with(_screener(live), items) if items else None
    after = _score_with(draft, items) if items else None
    recent = list(ScreeningRecord.objects.order_by("-created_at", "-id")[:REPLAY_RECENT])
    matrix: dict[str, int] = {}
    changed: list[dict[str, Any]] = []
    for record in recent:
        result = draft.screen(record.text, record.context)
        key = f"{record.decision}→{result.decision}"
        matrix[key] = matrix.get(key, 0) + 1
        if (result.decision != record.decision or set(result.categories) != set(
                record.categories)) and len(changed) < 30:
            changed.append({"id": record.pk, "text": record.text[:120],
                            "before": record.decision, "after": result.decision,
                            "before_categories": record.categories,
                            "after_categories": list(result.categories)})
    report = {"live_version": live.version, "labelled_items": len(items),
              "before": before, "after": after, "recent_total": len(recent),
              "recent_matrix": matrix, "recent_changed": changed,
              "recent_changed_count": sum(v for k, v in matrix.items()
                                          if k.split("→")[0] != k.split("→")[1])}
    rule_set.replay, rule_set.replayed_at = report, timezone.now()
    rule_set.save(update_fields=["replay", "replayed_at"])
    log_action(actor, "ruleset.replay", rule_set, {"version": rule_set.version})
    return report


@transaction.atomic
def rule_set_publish(*, actor: Any, rule_set: RuleSet) -> RuleSet:
    """Make a replayed draft the live rule set; the previous one is retired (MOD-6)."""
    require_perm(actor, "manage.rules")
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if rule_set.status != RuleSet.Status.DRAFT:
        raise ServiceError("not_draft", _("只能发布草稿版本。"))
    if rule_set.replayed_at is None:
        raise ServiceError("not_replayed", _("发布前必须先在标注集和近期记录上回放。"))
    previous = live_rule_set()
    RuleSet.objects.filter(status=RuleSet.Status.LIVE).update(status=RuleSet.Status.RETIRED)
    rule_set.status = RuleSet.Status.LIVE
    rule_set.published_by, rule_set.published_at = actor, timezone.now()
    rule_set.save(update_fields=["status", "published_by", "published_at"])
    log_action(actor, "ruleset.publish", rule_set,
               {"version": rule_set.version, "previous": previous.version})
    return rule_set
