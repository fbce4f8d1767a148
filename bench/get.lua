-- wrk script for GETs with a Host header (BENCH_HOST); prints RPS, p99 and how many answered 200.
local threads = {}
local host = os.getenv("BENCH_HOST") or "bench.localhost"
-- A kiosk tablet has its antiforgery cookie from the first form it loaded; send it when given.
local cookie = os.getenv("BENCH_COOKIE")

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok = 0
end

function request()
  local headers = { ["Host"] = host, ["Accept-Encoding"] = "br, gzip" }
  if cookie and cookie ~= "" then
    headers["Cookie"] = cookie
  end
  return wrk.format("GET", nil, headers)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("ok")
  end
  io.write(string.format("OK %d\n", total))
  io.write(string.format("P50_MS %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("P99_MS %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("RPS %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("ERRORS %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
