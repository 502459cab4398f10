"""Round trips to a Steward primary from outside its JVM: one keep-alive HTTP/1.1 connection, TCP_NODELAY set (as
`requests` does), standard library only. Part of bench/run (io.steward.bench.OutsideClient starts it).

    python3 rtt.py URL TOKEN BODY WARMUP N   -> {"ms": [N round trips], "nodelay": 1, "warmup": WARMUP}

Each call is POST /api/v1/runs?wait=30s with BODY (JSON); a call counts only if it answered 201 with the run
SUCCEEDED, else the client exits 1 with the answer on standard error. WARMUP calls first, untimed, on the same
connection.
"""
import http.client
import json
import socket
import sys
import time
import urllib.parse


def main():
    url, token, body, warmup, n = sys.argv[1], sys.argv[2], sys.argv[3].encode(), int(sys.argv[4]), int(sys.argv[5])
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    conn.connect()
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    nodelay = conn.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json", "Connection": "keep-alive"}
    path = "/api/v1/runs?wait=30s"

    def call():
        conn.request("POST", path, body=body, headers=headers)
        r = conn.getresponse()
        answer = r.read()
        if r.status != 201 or b'"SUCCEEDED"' not in answer:
            sys.stderr.write("invoke failed: %d %s\n" % (r.status, answer[:300].decode("utf-8", "replace")))
            sys.exit(1)
        if r.will_close:  # a closed connection would put a TCP handshake into the figures
            sys.stderr.write("the server closed the keep-alive connection\n")
            sys.exit(1)

    for _ in range(warmup):
        call()
    ms = []
    for _ in range(n):
        t0 = time.perf_counter()
        call()
        ms.append((time.perf_counter() - t0) * 1000)
    conn.close()
    print(json.dumps({"ms": ms, "nodelay": 1 if nodelay else 0, "warmup": warmup}))


if __name__ == "__main__":
    main()
