"""Stopping ``make run`` (RET-3; issue 11 finding 14): a SIGTERM to make's process group reaches
the web server, the task worker and the scheduler exactly once each, they are waited for, and
none is left over.

The probe saw "Segmentation fault" when it stopped ``make run`` this way: the old recipe's
``trap 'kill 0' EXIT INT TERM`` made the recipe's shell signal its own process group, itself
included, from inside its TERM trap: the trap ran again and again until bash overflowed its
stack, and make reported its shell's death as "Segmentation fault" — no native library
involved (the stand-ins below reproduce it with the old recipe). It also gave the web server,
worker and scheduler a second SIGTERM, and the task worker answers a second SIGTERM with
``sys.exit(1)``, cutting its current task short.

The recipe's shell must also ignore the signals after the first: make forwards the SIGTERM it
got to the shell, and a shell that took it with the default action died before waiting, so
make returned while the worker was still finishing its task.

This test runs the real ``run`` recipe of the Makefile with stand-ins for Python and uvicorn
(no Django, no database: about a second): each stand-in records the signals it
gets, lingers a moment as the worker does to finish its task, and exits. A full stop of the
real processes is ``python bench/run_shutdown.py`` (minutes: migrations and demo data)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

STAND_IN = """#!{python}
import os, signal, sys, time
log = os.environ["STAND_IN_LOG"]
words = sys.argv[1:]
name = "uvicorn" if sys.argv[0].endswith("uvicorn") else next(
    (w for w in words if w in ("db_worker", "run_scheduler")), None)
if name is None:  # migrate, load_demo, collectstatic, record_maintenance
    sys.exit(0)
signals = []
def record(signum, frame):
    signals.append(signum)
    with open(os.path.join(log, name + ".signals"), "a") as out:
        out.write(signal.Signals(signum).name + "\\n")
signal.signal(signal.SIGTERM, record)
signal.signal(signal.SIGINT, record)
with open(os.path.join(log, name + ".pid.new"), "w") as out:
    out.write(str(os.getpid()))
os.replace(os.path.join(log, name + ".pid.new"), os.path.join(log, name + ".pid"))
while not signals:
    signal.pause()
time.sleep(0.3)  # finishing the current task: a second signal would arrive now
sys.exit(0)
"""


def _stand_ins(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    for name in ("python", "uvicorn"):
        script = venv / "bin" / name
        script.write_text(STAND_IN.format(python=sys.executable))
        script.chmod(0o755)
    (venv / ".base-installed").touch()  # newer than requirements/base.txt: no install
    return venv


def _wait_for(paths: list[Path], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not all(p.exists() for p in paths) and time.monotonic() < deadline:
        time.sleep(0.02)


def test_a_sigterm_to_make_run_stops_each_process_once_and_leaves_none(tmp_path: Path) -> None:
    venv = _stand_ins(tmp_path)
    log = tmp_path / "log"
    log.mkdir()
    env = {**os.environ, "STAND_IN_LOG": str(log)}
    for name in ("REDIS_URL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # not the outer `make test`'s
        env.pop(name, None)
    make = subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(ROOT), "run", f"VENV={venv}",
         f"PY={venv / 'bin' / 'python'}", "PORT=8129"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, process_group=0)
    names = ["db_worker", "run_scheduler", "uvicorn"]
    _wait_for([log / f"{name}.pid" for name in names], 30)
    pids = {name: int((log / f"{name}.pid").read_text()) for name in names}
    os.killpg(make.pid, signal.SIGTERM)  # what an operator's stop (or the probe) does
    output, _ = make.communicate(timeout=30)
    left = []
    for name, pid in pids.items():
        assert (log / f"{name}.signals").read_text().split() == ["SIGTERM"], name
        if Path(f"/proc/{pid}").exists():  # running, or a zombie nobody waited for
            left.append(name)
            os.kill(pid, signal.SIGKILL)
    assert not left, f"make returned before these ended: {left}"
    assert b"Segmentation fault" not in output, output.decode()[-300:]
