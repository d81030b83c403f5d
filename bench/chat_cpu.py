"""CPU time of one chat message in the service, in-process (MSG-1, MSG-2; issue 12).

Run from the repository root::

    python bench/chat_cpu.py [--messages 400] [--pairs 500] [--backend sqlite|postgres]
                             [--pg-db NAME] [--redis URL] [--concurrent K] [--offline]
                             [--profile N]

The companion of ``bench/chat.py``, on the same data (its template database and its seeding:
``--pairs`` conversations between a seeker and a recruiter). Each seeker in turn sends a text
exactly as a chat socket does: handed to the consumer's writer (``consumers._Writer``), which
takes it to the database thread through the consumer's ``database_sync_to_async`` and runs
``services.messages_send`` there — sender, block and ban checks, rate limit, screening with
``context="chat"`` kept as a ``ScreeningRecord``, the sequence number and the write — so the
thread hop, the batching and the push after the commit are those of the server (no sockets:
``bench/chat.py`` has them). ``--concurrent K`` hands K texts (of K senders) over at once, as
K sockets' frames arriving together: they are written in batches of up to K (1, the default:
each alone, one hop and one transaction each). ``--redis URL`` uses Redis for the cache
(presence, rate limit) and the channel layer, as the two-process servers of ``bench/chat.py
--processes 2`` do. The recipients count as online (an open socket, as in ``bench/chat.py``)
unless ``--offline``, which measures the notification path instead. Prints the CPU time of
the database thread per message (``time.thread_time``: what the database thread of a server
spends, independent of other work on the machine), the process's CPU time per message (the
event loop's part included), the wall time and the database queries per message;
``--profile N`` adds cProfile's N most expensive functions of the database thread. A sender
may send 10 messages in 10 s (the rate limit) and each sends one message first (the warm-up),
so ``--messages`` stays under eight times ``--pairs``. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import chat  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-db", default=f"{chat.PG_DB}_cpu")
    parser.add_argument("--redis", default="",
                        help="Redis URL for the cache and the channel layer (as with "
                             "bench/chat.py --processes 2)")
    parser.add_argument("--concurrent", type=int, default=1,
                        help="texts handed to the writer at once (batches of up to this)")
    parser.add_argument("--offline", action="store_true",
                        help="the recipients have no open socket: each is notified")
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pinqiao-chat-cpu-") as var:
        options = argparse.Namespace(backend=args.backend, pg_db=args.pg_db, processes=1,
                                     redis=chat.REDIS, clients=2 * args.pairs)
        env = chat._env(options, var)
        if args.redis:
            env["REDIS_URL"] = args.redis
        chat._prepare(options, env)
        os.environ.update(env)
        result = run(args, json.loads(Path(var, "pairs.json").read_text()))
    print(json.dumps(result, ensure_ascii=False))


def run(args: argparse.Namespace, pairs: list[dict]) -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pinqiao.messaging import consumers, services
    from pinqiao.messaging.models import Conversation
    from pinqiao.orgs.models import Membership

    cache.clear()  # rate-limit counters of an earlier run on the same Redis database
    conversations = Conversation.objects.select_related("seeker").in_bulk(
        [pair["conversation"] for pair in pairs])
    if not args.offline:  # as in bench/chat.py: the recipients' sockets are open
        for user_id in Membership.objects.filter(organisation_id__in={
                c.organisation_id for c in conversations.values()}).values_list("user_id",
                                                                                flat=True):
            services.presence_join(user_id)
    connection.close()
    senders = [(conversations[p["conversation"]].seeker, p["conversation"]) for p in pairs]
    spent = {"thread": 0.0, "batches": 0}
    profiler = cProfile.Profile(time.thread_time) if args.profile else None
    profiling = {"on": False}
    write = consumers._write_payloads

    def timed_write(requests: list) -> list:
        started = time.thread_time()
        if profiling["on"]:
            profiler.enable()
        try:
            return write(requests)
        finally:
            if profiling["on"]:
                profiler.disable()
            spent["thread"] += time.thread_time() - started
            spent["batches"] += 1

    consumers._write_payloads = timed_write

    def request(n: int) -> services.SendRequest:
        seeker, conversation_id = senders[n % len(senders)]
        return services.SendRequest(
            actor=seeker, conversation_id=conversation_id,
            text=f"您好，我想了解一下这个职位的工作时间和加班安排，谢谢。第{n}条",
            client_id=f"c{n}")

    def count_queries(first: int, count: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            for at in range(first, first + count, args.concurrent):
                services.messages_send([request(n) for n in range(
                    at, min(first + count, at + args.concurrent))])
        return len(queries)

    async def send_all(first: int, count: int) -> None:
        writer = consumers._writer()
        for at in range(first, first + count, args.concurrent):
            outcomes = await asyncio.gather(*(writer.send(request(n)) for n in range(
                at, min(first + count, at + args.concurrent))), return_exceptions=True)
            failed = [o for o in outcomes if isinstance(o, BaseException)]
            if failed:
                raise failed[0]

    async def drive() -> dict:
        from channels.layers import get_channel_layer

        from pinqiao.messaging import realtime

        realtime.push_from(asyncio.get_running_loop(), get_channel_layer())
        # Warm-up, one message per conversation: the screener is compiled and each
        # organisation's member list cached, as in a server that has been running.
        await send_all(args.messages, len(senders))
        spent.update(thread=0.0, batches=0)
        profiling["on"] = profiler is not None
        process0, wall0 = time.process_time(), time.perf_counter()
        await send_all(0, args.messages)
        process1, wall1 = time.process_time(), time.perf_counter()
        profiling["on"] = False
        batches = spent["batches"]
        await asyncio.sleep(0.2)  # the last pushes
        # Counted apart: capturing queries costs CPU of its own.
        counted = min(20 * args.concurrent, len(senders))
        queries = await consumers.database_sync_to_async(count_queries)(
            args.messages + len(senders), counted)
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
            print(out.getvalue(), file=sys.stderr)
        per = 1000 / args.messages
        return {"backend": args.backend, "redis": bool(args.redis), "messages": args.messages,
                "pairs": len(senders), "concurrent": args.concurrent, "batches": batches,
                "recipients": "offline" if args.offline else "online",
                "thread_cpu_ms_per_message": round(spent["thread"] * per, 2),
                "process_cpu_ms_per_message": round((process1 - process0) * per, 2),
                "wall_ms_per_message": round((wall1 - wall0) * per, 2),
                "queries_per_message": round(queries / counted, 2),
                "load": [round(x, 1) for x in os.getloadavg()]}

    return asyncio.run(drive())


if __name__ == "__main__":
    main()
