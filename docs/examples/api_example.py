#!/usr/bin/env python3
"""Steward's HTTP API from Python with only `requests`: push a script, invoke it and wait for its end,
page through its events, and read the primary's node info.

    STEWARD_URL=http://127.0.0.1:7640 STEWARD_TOKEN=... python3 docs/examples/api_example.py

The token needs the admin role (pushing scripts); every other call here needs less. Errors are JSON
({"error": {"code", "message"}}) with the fitting HTTP status: this script prints the message and exits 1.
"""
import os
import sys

import requests

URL = os.environ.get("STEWARD_URL", "http://127.0.0.1:7640").rstrip("/")
session = requests.Session()
session.headers["Authorization"] = "Bearer " + os.environ["STEWARD_TOKEN"]


def call(method, path, **kwargs):
    answer = session.request(method, URL + path, timeout=60, **kwargs)
    if answer.status_code >= 400:
        error = answer.json()["error"]
        sys.exit(f"{method} {path}: {answer.status_code} {error['code']}: {error['message']}")
    return answer.json()


pushed = call("POST", "/api/v1/scripts", json={
    "name": "examples/hello.groovy",
    "source": "log.info('greeting ' + args.who); status.set('greeted', args.who); return 'hello ' + args.who",
})
print(f"pushed {pushed['name']} version {pushed['version']} ({'new' if pushed['created'] else 'unchanged'})")

# ?wait= answers when the run has ended (or the time is up: then the run is still RUNNING).
run = call("POST", "/api/v1/runs", params={"wait": "30s"},
           json={"script": "examples/hello.groovy", "args": {"who": "python"}})
print(f"run {run['id']} {run['state']}: {run['result']!r}")

# Events come in pages; `next` is where the following page starts, `ended` says there is no more.
after, kinds = 0, []
while True:
    page = call("GET", f"/api/v1/runs/{run['id']}/events", params={"after": after, "limit": 2})
    kinds += [event["kind"] for event in page["events"]]
    after = page["next"]
    if page["ended"]:
        break
print(f"{len(kinds)} events: {', '.join(kinds)}")

server = call("GET", "/api/v1/server")
print(f"node {server['name']}: {server['os']} {server['arch']}, {server['cpus']} cpus, steward {server['version']}")
