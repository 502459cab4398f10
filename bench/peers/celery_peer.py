"""Celery peer of the Steward benchmark suite (bench/run): the tasks module and the driver in one file.

Worker:  python3 -m celery -A celery_peer worker --concurrency 2   (STEWARD_BENCH_REDIS=redis://127.0.0.1:PORT/0)
Driver:  python3 celery_peer.py rtt noop|true N [WARMUP]     -> {"ms": [N round trips of task.delay().get()]}
         python3 celery_peer.py burst noop|true N [WARMUP]   -> {"per_s": N tasks submitted at once, to the last result}
WARMUP (1 by default) untimed round trips come first, on the same connections.
"""
import json
import os
import subprocess
import sys
import time

from celery import Celery

BROKER = os.environ.get("STEWARD_BENCH_REDIS", "redis://127.0.0.1:6379/0")
app = Celery("celery_peer", broker=BROKER, backend=BROKER)
app.conf.update(task_ignore_result=False, worker_prefetch_multiplier=4, broker_connection_retry_on_startup=True,
                result_expires=600, worker_hijack_root_logger=False)


@app.task(name="noop")
def noop():
    return None


@app.task(name="true")
def true():
    return subprocess.run(["/bin/true"]).returncode


def main():
    mode, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    task = noop if kind == "noop" else true
    for _ in range(max(1, warmup)):  # connections up (and the worker warm) before timing
        task.delay().get(timeout=60)
    if mode == "rtt":
        ms = []
        for _ in range(n):
            t0 = time.perf_counter()
            task.delay().get(timeout=60)
            ms.append((time.perf_counter() - t0) * 1000)
        print(json.dumps({"ms": ms}))
    else:
        t0 = time.perf_counter()
        results = [task.delay() for _ in range(n)]
        for r in results:
            r.get(timeout=300)
        print(json.dumps({"per_s": n / (time.perf_counter() - t0)}))


if __name__ == "__main__":
    main()
