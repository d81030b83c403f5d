"""``manage.py moderate INPUT.jsonl [--score LABELLED.jsonl]`` (MOD-1, MOD-6).

Reads ``{"id", "text"}`` lines and writes one ``{"id", "decision", "categories"}`` line per
input to stdout, in the moderation contract's format. With ``--score`` it compares the
decisions with a labelled set and prints decision accuracy, per-category precision and recall
and the false-positive rate on clean items instead of the per-line output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from pinqiao.moderation.engine import Screener, default_screener
from pinqiao.moderation.scoring import format_report, score


def _read_jsonl(path: str) -> list[dict[str, Any]]:
    source = sys.stdin if path == "-" else None
    try:
        text = source.read() if source else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc}") from exc
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or "id" not in row or not isinstance(row.get("text"), str):
            raise CommandError(f"{path}:{number}: expected an object with 'id' and 'text'")
        rows.append(row)
    return rows


class Command(BaseCommand):
    help = "Screen JSON Lines {id, text}; print {id, decision, categories} per line."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("input", help="JSON Lines file with id and text ('-' for stdin)")
        parser.add_argument("--score", metavar="LABELLED.jsonl",
                            help="labelled set to score the decisions against")
        parser.add_argument("--rules", metavar="RULES.json",
                            help="a rule-set file instead of the live rule set")
        parser.add_argument("--context", default="posting")

    def _screener(self, rules: str | None) -> Screener:
        if rules:
            return Screener.from_file(rules)
        try:
            from pinqiao.moderation.services.rule_sets import _screener, live_rule_set

            return _screener(live_rule_set())
        except DatabaseError:
            return default_screener()

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._run(options)
        except BrokenPipeError:  # e.g. piped into `head`
            sys.stderr.close()

    def _run(self, options: dict[str, Any]) -> None:
        screener = self._screener(options["rules"])
        items = _read_jsonl(options["input"])
        predicted = []
        for item in items:
            result = screener.screen(item["text"], options["context"])
            row = {"id": item["id"], "decision": result.decision,
                   "categories": list(result.categories)}
            predicted.append(row)
            if not options["score"]:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
        if options["score"]:
            labelled = _read_jsonl(options["score"])
            by_id = {row["id"]: row for row in predicted}
            missing = [row for row in labelled if row["id"] not in by_id]
            for row in missing:
                result = screener.screen(row["text"], options["context"])
                predicted.append({"id": row["id"], "decision": result.decision,
                                  "categories": list(result.categories)})
            wanted = {row["id"] for row in labelled}
            report = score(labelled, [p for p in predicted if p["id"] in wanted])
            self.stdout.write(f"rule set {screener.version}")
            self.stdout.write(format_report(report))
