-- wrk script of bench/run: POST /api/v1/runs?wait=30s with the body and token from the environment
-- (STEWARD_BENCH_BODY, STEWARD_BENCH_TOKEN); counts answers that are not 201 with the run SUCCEEDED, across wrk's
-- threads, and prints one JSON line at the end:
--   {"requests": N, "seconds": S, "per_s": R, "failed": F, "errors": E}
-- wrk keeps its connections alive and sets TCP_NODELAY on each (wrk.c, connect_socket).
wrk.method = "POST"
wrk.body = os.getenv("STEWARD_BENCH_BODY")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("STEWARD_BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

failed = 0

function response(status, headers, body)
    if status ~= 201 or not string.find(body, '"SUCCEEDED"', 1, true) then
        failed = failed + 1
    end
end

function done(summary, latency, requests)
    local f = 0
    for _, t in ipairs(threads) do
        f = f + t:get("failed")
    end
    local e = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format('{"requests": %d, "seconds": %.6f, "per_s": %.3f, "failed": %d, "errors": %d}\n',
        summary.requests, seconds, summary.requests / seconds, f,
        e.connect + e.read + e.write + e.status + e.timeout))
end
