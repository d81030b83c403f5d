"""Schemathesis over every operation of ``/api/v1/openapi.json``, in-process through WSGI.

Each operation gets ``examples`` generated requests in each generation mode (valid and invalid
input); every response must be no 5xx and match the documented schema (status code, content
type, body). ``fuzz_api`` returns the failures as text so a test can show them all at once.
The test suite runs a few examples per operation and role (``test_fuzz.py``); ``make fuzz``
sets ``PINQIAO_FUZZ_EXAMPLES`` for a longer, randomised run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@dataclass
class FuzzReport:
    operations: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)


def load_schema() -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def fuzz_api(*, headers: dict[str, str], examples: int, derandomize: bool = True) -> FuzzReport:
    """Every operation, valid and invalid input, ``examples`` requests each, as ``headers``."""
    report = FuzzReport()
    # As Django's test client does: requests made inside a test must not close the test's
    # database connection (with CONN_MAX_AGE=0 on PostgreSQL every request would end it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for result in load_schema().get_all_operations():
            operation = result.ok()
            report.operations += 1
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz_operation(operation, mode, headers, examples, derandomize, report)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return report


def _fuzz_operation(operation: Any, mode: GenerationMode, headers: dict[str, str],
                    examples: int, derandomize: bool, report: FuzzReport) -> None:
    seen: set[str] = set()

    @settings(max_examples=examples, deadline=None, database=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        report.requests += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # every failure is collected
            text = f"{operation.label} [{mode.value}]: {str(exc)[:1500]}"
            key = f"{operation.label}{type(exc).__name__}{str(exc)[:200]}"
            if key not in seen:
                seen.add(key)
                report.failures.append(text)

    try:
        run()
    except Unsatisfiable:  # nothing to vary (no parameters): the negative mode has no cases
        return
