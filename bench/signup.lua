-- wrk script: each request is a new shopper posting the demo-shaped sign-up form.
-- Environment: BENCH_HOST (Host header), BENCH_TOKEN and BENCH_COOKIE (antiforgery pair),
-- BENCH_PATH (default /). Counts accepted (303/302) responses per thread and prints the total.
local threads = {}
local host = os.getenv("BENCH_HOST") or "bench.localhost"
local token = os.getenv("BENCH_TOKEN") or ""
local cookie = os.getenv("BENCH_COOKIE") or ""
local path = os.getenv("BENCH_PATH") or "/"
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function init(args)
  math.randomseed(os.time() * 1000 + tid * 7919)
  n = 0
  accepted = 0
end

function request()
  n = n + 1
  local body = "__RequestVerificationToken=" .. token
    .. "&Command.SubmissionId=" .. uuid()
    .. "&Command.FormVersion=1&Command.Language=en"
    .. "&Command.FirstName=Bench&Command.LastName=Shopper"
    .. "&Command.Email=shopper-" .. tid .. "-" .. n .. "-" .. math.random(0, 1000000000) .. "%40example.com"
    .. "&Command.EmailConsent=true"
  return wrk.format("POST", path, {
    ["Host"] = host,
    ["Cookie"] = cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

function response(status, headers, body)
  if status == 302 or status == 303 then
    accepted = accepted + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("accepted")
  end
  io.write(string.format("ACCEPTED %d\n", total))
  io.write(string.format("P50_MS %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("P99_MS %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("RPS %.1f\n", summary.requests / (summary.duration / 1e6)))
end
