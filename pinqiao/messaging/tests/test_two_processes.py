"""The scale path (MSG-1): with ``REDIS_URL`` set, two ASGI (uvicorn) processes deliver to each
other's clients through ``channels-redis``. Every pair's seeker socket is on one process and the
recruiter socket on the other, so every delivery crosses processes. Runs ``bench/chat.py`` at a
small load on ports 8130–8131 with ``redis://127.0.0.1:6379/2``; skipped when Redis is not
reachable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pinqiao.messaging.tests.redis_check import needs_redis

ROOT = Path(__file__).resolve().parents[3]


@needs_redis
def test_two_processes_deliver_to_each_others_clients() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "chat.py"), "--clients", "8", "--rate", "4",
         "--seconds", "2", "--processes", "2", "--grace", "60"],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["processes"] == 2 and result["messages"] == 8
    assert result["delivered"] == 8 and result["lost"] == 0 and result["reordered"] == 0
