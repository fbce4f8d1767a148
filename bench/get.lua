-- wrk script for GETs with a Host header (BENCH_HOST); prints RPS and p99 like signup.lua.
local host = os.getenv("BENCH_HOST") or "bench.localhost"

function request()
  return wrk.format("GET", nil, { ["Host"] = host, ["Accept-Encoding"] = "br, gzip" })
end

function done(summary, latency, requests)
  io.write(string.format("P99_MS %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("RPS %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("ERRORS %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
