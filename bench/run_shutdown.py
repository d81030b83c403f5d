"""Stop `make run` the way the probe did and report how each process ended.

    python bench/run_shutdown.py [--port 8110] [--after 10] [--var-dir DIR]

Runs `make run` (migrations, demo data, then the web server, task worker and scheduler) with
PINQIAO_VAR_DIR in a temporary directory (or DIR, to reuse a migrated one), waits until the
home page answers and a few more seconds, sends SIGTERM to make's process group, and prints one
JSON object: make's exit status, whether any output says "Segmentation fault", and whether a
process of the run is left over.
Exits 1 on a segmentation fault or a leftover process.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _left_over(var_dir: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if f"PINQIAO_VAR_DIR={var_dir}".encode() in environ.split(b"\0"):
            found.append(int(proc.name))
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--after", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--var-dir", default="")
    args = parser.parse_args()
    var_dir = args.var_dir or tempfile.mkdtemp(prefix="pinqiao-run-")
    env = {**os.environ, "PINQIAO_VAR_DIR": var_dir, "PORT": str(args.port)}
    log = Path(var_dir) / "make-run.log"
    with log.open("w") as out:
        make = subprocess.Popen(["make", "run", f"PORT={args.port}"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, process_group=0)
    deadline = time.monotonic() + args.timeout
    up = False
    while time.monotonic() < deadline and make.poll() is None and not up:
        try:
            up = urllib.request.urlopen(f"http://127.0.0.1:{args.port}/", timeout=10).status == 200
        except OSError:
            time.sleep(2)
    time.sleep(args.after)
    os.killpg(make.pid, signal.SIGTERM)
    try:
        status = make.wait(timeout=120)
    except subprocess.TimeoutExpired:
        status = None
    time.sleep(2)
    left = _left_over(var_dir)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    text = log.read_text(errors="replace")
    result = {"served": up, "make_status": status, "segfault": "Segmentation fault" in text,
              "left_over": left, "log": str(log)}
    print(json.dumps(result))
    return 1 if result["segfault"] or left or not up else 0


if __name__ == "__main__":
    raise SystemExit(main())
