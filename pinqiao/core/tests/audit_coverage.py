"""Which service functions change data without writing an audit entry (SEC-1).

A static walk over every ``services`` module (``pinqiao/*/services.py`` and the modules of
``services`` packages): a public function *writes* when it (or a private helper of its module)
saves, creates, updates or deletes rows; it *audits* when it (or anything it calls, across the
project, by name) calls ``log_action``. Names are matched loosely, so the walk errs towards
"audits" for helpers that share a name; the allow-list in the test names every exception and why.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
AUDIT_CALLS = {"log_action"}
ALWAYS_WRITES = {"save", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERY_WRITES = {"create", "update", "delete"}
QUERY_HINTS = ("objects", "filter(", "exclude(", "select_for_update", "_set", "all()")


@dataclass
class Function:
    module: str
    name: str
    calls: set[str] = field(default_factory=set)
    writes: bool = False

    @property
    def label(self) -> str:
        return f"{self.module}.{self.name}"


def service_modules() -> list[Path]:
    base = ROOT / "pinqiao"
    files = [*base.glob("*/services.py"), *base.glob("*/*/services.py"),
             *base.glob("*/services/*.py")]
    return sorted(p for p in files if "tests" not in p.parts and p.name != "__init__.py")


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    attr = call.func.attr
    if attr in ALWAYS_WRITES:
        return True
    if attr in QUERY_WRITES:
        receiver = ast.unparse(call.func.value)
        return any(hint in receiver for hint in QUERY_HINTS) or attr == "delete"
    return False


def _functions(path: Path) -> list[Function]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        fn = Function(module, node.name)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                if isinstance(sub.func, ast.Name):
                    fn.calls.add(sub.func.id)
                elif isinstance(sub.func, ast.Attribute):
                    fn.calls.add(sub.func.attr)
                fn.writes = fn.writes or _is_write(sub)
        found.append(fn)
    return found


def _all_project_functions() -> dict[str, list[Function]]:
    by_name: dict[str, list[Function]] = {}
    for path in (ROOT / "pinqiao").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for fn in _functions(path):
            by_name.setdefault(fn.name, []).append(fn)
    return by_name


def unaudited_writers() -> list[str]:
    """Labels of public service functions that write and never reach ``log_action``."""
    by_name = _all_project_functions()
    auditing = set(AUDIT_CALLS)
    changed = True
    while changed:
        changed = False
        for name, fns in by_name.items():
            if name not in auditing and any(fn.calls & auditing for fn in fns):
                auditing.add(name)
                changed = True
    offenders = []
    for path in service_modules():
        fns = {fn.name: fn for fn in _functions(path)}
        writers = {n for n, fn in fns.items() if fn.writes}
        changed = True
        while changed:
            changed = False
            for n, fn in fns.items():
                if n not in writers and fn.calls & {w for w in writers if w.startswith("_")}:
                    writers.add(n)
                    changed = True
        for n in sorted(writers):
            if n.startswith("_") or n in auditing:
                continue
            offenders.append(fns[n].label)
    return offenders
