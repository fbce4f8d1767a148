#!/usr/bin/env bash
# Measures the shopper's sign-up path against baselines measured in the same run, on loopback:
#   POST  full sign-up (tenant, antiforgery, validation, Marten append, which triggers contact
#         linking) vs a bare endpoint doing one parameterised INSERT of the same fields (bench/BareInsert)
#   GET   the form page vs a bare GET of the same process (/health/live)
# Goals (issue 3): POST rps >= 50% of the bare INSERT, p99 <= 50 ms, every accepted POST stored;
# form GET rps >= 20% of the bare GET. Issue 15 adds yardsticks closer to the machine's limit, from the
# same bare process: a minimal INSERT (POST >= 0.5x, p99 <= 50 ms) and a fixed-string GET (>= 0.2x).
# The app runs as the web role; a single-process install is measured after it for reference, and the contact-linking daemon must then link every sign-up.
# Results go to stdout and, with --write, to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

DURATION="${BENCH_DURATION:-10s}"
ROUNDS="${BENCH_ROUNDS:-3}"
WARMUP="${BENCH_WARMUP:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
APP_PORT="${BENCH_APP_PORT:-5081}"
BARE_PORT="${BENCH_BARE_PORT:-5082}"
WRITE=false
[ "${1:-}" = "--write" ] && WRITE=true

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if ! command -v wrk >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "wrk is needed: sudo apt-get install -y wrk" >&2; exit 1; }
  say "Installing wrk (Debian package)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

eval "$(./build.sh db | grep '^export ')"
ADMIN="$CUSTOMERINFO_TEST_POSTGRES"
PGPASSWORD="$(sed -E 's/.*Password=([^;]*).*/\1/' <<<"$ADMIN")"
PGPORT="$(sed -E 's/.*Port=([0-9]*).*/\1/' <<<"$ADMIN")"
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGPASSWORD
psql -d postgres -qc "drop database if exists customerinfo_bench with (force)" -c "create database customerinfo_bench" >/dev/null
DB="$ADMIN;Database=customerinfo_bench;Maximum Pool Size=64"

say "Building (Release)"
dotnet build src/Web/CustomerInfo.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build bench/BareInsert/BareInsert.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

say "Starting the app (web role) on :$APP_PORT and the bare baseline on :$BARE_PORT"
# The measured app runs as the web role does in Kubernetes (deploy/k8s/base/web-deployment.yaml):
# no Hangfire server and no async daemon in the process; the worker role links contacts and runs
# jobs. The single-process install (everything in one process) is measured afterwards, for reference.
# Development only for its demo-store seed; logging at Warning so the console is not measured.
# Each process runs from its output folder, as the image runs from /app: its content root is then
# that folder. From the repository, the host's configuration watcher (recursive, inotify) would see
# every write of the private PostgreSQL in .data/, which cost the app 4-6% of its CPU (2026-12-04).
start_app() { # port, extra environment...
  local port=$1; shift
  (cd src/Web/bin/Release/net10.0 && exec env ConnectionStrings__Postgres="$DB" ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
    Owner__Email=owner@localhost Owner__Password=bench-only \
    RateLimits__PerClientPerMinute=1000000000 RateLimits__PerStorePerMinute=1000000000 "$@" \
    dotnet CustomerInfo.Web.dll --urls "http://127.0.0.1:$port" >>"$ROOT/bench/app.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  tail -n 30 "$ROOT/bench/app.log" >&2; exit 1
}
: >"$ROOT/bench/app.log"
start_app "$APP_PORT" Hangfire__Server__Enabled=false
app_pid=${pids[-1]}
# The baseline gets the same Npgsql settings the app gives Marten (prepared statements, ADR 8).
(cd bench/BareInsert/bin/Release/net10.0 && exec env ConnectionStrings__Postgres="$DB;Max Auto Prepare=64;Auto Prepare Min Usages=2" \
  dotnet BareInsert.dll --urls "http://127.0.0.1:$BARE_PORT" >"$ROOT/bench/bare.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$BARE_PORT/" >/dev/null 2>&1 && break; sleep 0.5; done

# One antiforgery pair serves every request of a run, as one tablet's session would.
export BENCH_TOKEN BENCH_COOKIE BENCH_HOST=demo.localhost
antiforgery() { # port
  local jar page
  jar="$(mktemp)"
  page="$(curl -fs -c "$jar" -H 'Host: demo.localhost' "http://127.0.0.1:$1/")"
  BENCH_TOKEN="$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' <<<"$page" | head -n1 | sed -E 's/.*value="([^"]*)"/\1/')"
  BENCH_COOKIE="$(awk '$6 ~ /Antiforgery/ { printf "%s=%s", $6, $7 }' "$jar")"
  rm -f "$jar"
  [ -n "$BENCH_TOKEN" ] && [ -n "$BENCH_COOKIE" ] || { echo "could not read the antiforgery token from the form" >&2; exit 1; }
}
antiforgery "$APP_PORT"

stored() { psql -d customerinfo_bench -tAc "select count(*) from customerinfo.mt_events where type = 'sign_up_submitted'"; }
run() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency -s "$2" "$3" 2>&1; }
metric() { grep -E "^$1 " <<<"$2" | awk '{print $2}'; }
requests() { grep -oE '[0-9]+ requests in' <<<"$1" | awk '{print $1}'; }

say "Warming up ($WARMUP each)"
run "$WARMUP" bench/signup.lua "http://127.0.0.1:$BARE_PORT/" >/dev/null
run "$WARMUP" bench/signup.lua "http://127.0.0.1:$APP_PORT/" >/dev/null
run "$WARMUP" bench/get.lua "http://127.0.0.1:$APP_PORT/" >/dev/null

# Baseline and app alternate in ROUNDS rounds, and each figure is the median of its rounds, so a
# noisy moment on a shared machine (another VM, a checkpoint) hits one round, not one side.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
bare_rounds=(); full_rounds=(); bare_get_rounds=(); form_rounds=(); minimal_rounds=(); kestrel_rounds=()
before="$(stored)"
for round in $(seq 1 "$ROUNDS"); do
  say "Round $round of $ROUNDS: POST bare INSERT, POST full sign-up, GET /health/live, GET the form ($DURATION each)"
  bare_rounds+=("$(run "$DURATION" bench/signup.lua "http://127.0.0.1:$BARE_PORT/")")
  full_rounds+=("$(run "$DURATION" bench/signup.lua "http://127.0.0.1:$APP_PORT/")")
  bare_get_rounds+=("$(BENCH_HOST=localhost run "$DURATION" bench/get.lua "http://127.0.0.1:$APP_PORT/health/live")")
  form_check="$(curl -s -w '\n%{http_code}' -H "Host: $BENCH_HOST" "http://127.0.0.1:$APP_PORT/")"
  grep -q 'name="Command.SubmissionId"' <<<"$form_check" \
    || { echo "GET / on $BENCH_HOST is not the sign-up form: HTTP $(tail -n1 <<<"$form_check"), $(head -c 300 <<<"$form_check" | tr '\n' ' ')" >&2; tail -n 20 "$ROOT/bench/app.log" >&2; exit 1; }
  form_rounds+=("$(run "$DURATION" bench/get.lua "http://127.0.0.1:$APP_PORT/")")
  # Issue 15's second yardsticks, closer to the machine's limit: a minimal INSERT (id, tenant, name,
  # email) and a fixed string from bare Kestrel, both from the BareInsert process.
  minimal_rounds+=("$(BENCH_PATH=/minimal run "$DURATION" bench/signup.lua "http://127.0.0.1:$BARE_PORT/")")
  kestrel_rounds+=("$(BENCH_HOST=localhost run "$DURATION" bench/get.lua "http://127.0.0.1:$BARE_PORT/")")
done
after="$(stored)"
# Latency against load, for the chart of ./build.sh bench (BENCH_SWEEP_OUT names the file): each
# endpoint at 1 to 128 connections, a short run each, as tab-separated rows.
if [ -n "${BENCH_SWEEP_OUT:-}" ]; then
  say "Latency against load: 1 to 128 connections, ${BENCH_SWEEP_DURATION:-5s} each"
  printf 'series\tconnections\trps\tp50_ms\tp99_ms\n' >"$BENCH_SWEEP_OUT"
  for c in 1 4 16 32 64 128; do
    t=$((c < THREADS ? c : THREADS))
    sweep_row() { # series, wrk output
      printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$c" "$(metric RPS "$2")" "$(metric P50_MS "$2")" "$(metric P99_MS "$2")" >>"$BENCH_SWEEP_OUT"
    }
    sweep_run() { wrk -t"$t" -c"$c" -d"${BENCH_SWEEP_DURATION:-5s}" --latency -s "$1" "$2" 2>&1; }
    sweep_row "sign-up POST" "$(sweep_run bench/signup.lua "http://127.0.0.1:$APP_PORT/")"
    sweep_row "minimal INSERT POST" "$(BENCH_PATH=/minimal sweep_run bench/signup.lua "http://127.0.0.1:$BARE_PORT/")"
    sweep_row "form GET" "$(sweep_run bench/get.lua "http://127.0.0.1:$APP_PORT/")"
    sweep_row "bare Kestrel GET" "$(BENCH_HOST=localhost sweep_run bench/get.lua "http://127.0.0.1:$BARE_PORT/")"
  done
fi
each() { local name=$1; shift; for r in "$@"; do metric "$name" "$r"; done; }
total() { local name=$1; shift; for r in "$@"; do metric "$name" "$r"; done | awk '{ t += $1 } END { print t + 0 }'; }
total_requests() { for r in "$@"; do requests "$r"; done | awk '{ t += $1 } END { print t + 0 }'; }
rounds() { each "$@" | paste -sd/ | sed 's|/| / |g'; }

say "Single-process install (web, daemon and Hangfire in one process), for reference"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
start_app "$APP_PORT" Hangfire__Server__Enabled=true
antiforgery "$APP_PORT"
run "$WARMUP" bench/signup.lua "http://127.0.0.1:$APP_PORT/" >/dev/null
single="$(run "$DURATION" bench/signup.lua "http://127.0.0.1:$APP_PORT/")"
say "Waiting for the contact-linking daemon to link every sign-up"
linked() { psql -d customerinfo_bench -tAc "select count(*) from customerinfo.mt_events where type = 'sign_up_linked_to_contact'"; }
waited=0
until [ "$(linked)" -ge "$(stored)" ] || [ "$waited" -ge 600 ]; do sleep 1; waited=$((waited + 1)); done
linked_n="$(linked)"; stored_total="$(stored)"

bare_rps="$(each RPS "${bare_rounds[@]}" | median)"; full_rps="$(each RPS "${full_rounds[@]}" | median)"
bare_p99="$(each P99_MS "${bare_rounds[@]}" | median)"; full_p99="$(each P99_MS "${full_rounds[@]}" | median)"
accepted="$(total ACCEPTED "${full_rounds[@]}")"; stored_n=$((after - before))
bare_get_rps="$(each RPS "${bare_get_rounds[@]}" | median)"; form_rps="$(each RPS "${form_rounds[@]}" | median)"
form_p99="$(each P99_MS "${form_rounds[@]}" | median)"
form_ok_n="$(total OK "${form_rounds[@]}")"; form_n="$(total_requests "${form_rounds[@]}")"
bare_get_ok_n="$(total OK "${bare_get_rounds[@]}")"; bare_get_n="$(total_requests "${bare_get_rounds[@]}")"
post_ratio="$(awk -v a="$full_rps" -v b="$bare_rps" 'BEGIN { printf "%.1f", 100 * a / b }')"
get_ratio="$(awk -v a="$form_rps" -v b="$bare_get_rps" 'BEGIN { printf "%.1f", 100 * a / b }')"
minimal_rps="$(each RPS "${minimal_rounds[@]}" | median)"; minimal_p99="$(each P99_MS "${minimal_rounds[@]}" | median)"
kestrel_rps="$(each RPS "${kestrel_rounds[@]}" | median)"
post_minimal="$(awk -v a="$full_rps" -v b="$minimal_rps" 'BEGIN { printf "%.2f", a / b }')"
get_kestrel="$(awk -v a="$form_rps" -v b="$kestrel_rps" 'BEGIN { printf "%.2f", a / b }')"
verdict() { [ "$1" = 1 ] && echo pass || echo FAIL; }
post_ok="$(awk -v r="$post_ratio" 'BEGIN { print (r >= 50) }')"
p99_ok="$(awk -v p="$full_p99" 'BEGIN { print (p <= 50) }')"
# wrk stops counting responses when its time is up, so requests still in flight are stored but not
# counted: every accepted POST is stored when stored >= accepted and nothing was refused.
refused="$(for r in "${full_rounds[@]}"; do grep -oE 'Non-2xx or 3xx responses: [0-9]+' <<<"$r" | grep -oE '[0-9]+$' || echo 0; done | awk '{ t += $1 } END { print t + 0 }')"
minimal_ok="$(awk -v r="$post_minimal" -v p="$full_p99" 'BEGIN { print (r >= 0.5 && p <= 50) }')"
kestrel_ok="$(awk -v r="$get_kestrel" 'BEGIN { print (r >= 0.2) }')"
stored_ok=$([ "$stored_n" -ge "$accepted" ] && [ "${refused:-0}" = 0 ] && echo 1 || echo 0)
get_ok="$(awk -v r="$get_ratio" -v ok="$form_ok_n" -v n="$form_n" 'BEGIN { print (r >= 20 && ok == n) }')"

report="$(cat <<EOF
### $(date -u +%Y-%m-%d) — $(nproc) cores, wrk $THREADS threads × $CONNECTIONS connections, $ROUNDS rounds × $DURATION, loopback

Medians of the rounds; the rounds themselves in brackets.

| measure | result | goal | |
|---|---|---|---|
| bare INSERT POST (baseline) | $bare_rps req/s, p99 $bare_p99 ms [$(rounds RPS "${bare_rounds[@]}") req/s] | | |
| full sign-up POST | $full_rps req/s, p99 $full_p99 ms [$(rounds RPS "${full_rounds[@]}") req/s; p99 $(rounds P99_MS "${full_rounds[@]}") ms] | | |
| sign-up POST vs bare INSERT | $post_ratio% | ≥ 50% | $(verdict "$post_ok") |
| sign-up POST p99 | $full_p99 ms | ≤ 50 ms | $(verdict "$p99_ok") |
| accepted POSTs stored | $accepted accepted of $(total_requests "${full_rounds[@]}"), $stored_n stored, ${refused:-0} refused | all | $(verdict "$stored_ok") |
| bare GET /health/live (baseline) | $bare_get_rps req/s, $bare_get_ok_n of $bare_get_n answered 200 [$(rounds RPS "${bare_get_rounds[@]}") req/s] | | |
| form GET | $form_rps req/s, p99 $form_p99 ms, $form_ok_n of $form_n answered 200 [$(rounds RPS "${form_rounds[@]}") req/s] | | |
| form GET vs bare GET | $get_ratio% | ≥ 20% | $(verdict "$get_ok") |
| minimal INSERT POST (id, tenant, name, email; second yardstick) | $minimal_rps req/s, p99 $minimal_p99 ms [$(rounds RPS "${minimal_rounds[@]}") req/s] | | |
| sign-up POST vs minimal INSERT | ${post_minimal}× | ≥ 0.5×, p99 ≤ 50 ms | $(verdict "$minimal_ok") |
| bare Kestrel GET, fixed string (second yardstick) | $kestrel_rps req/s [$(rounds RPS "${kestrel_rounds[@]}") req/s] | | |
| form GET vs bare Kestrel GET | ${get_kestrel}× | ≥ 0.2× | $(verdict "$kestrel_ok") |
| single-process install POST (reference) | $(metric RPS "$single") req/s, p99 $(metric P99_MS "$single") ms, $(metric ACCEPTED "$single") of $(requests "$single") accepted | | |
| sign-ups linked to contacts afterwards | $linked_n of $stored_total, ${waited} s after the last run | all | $([ "$linked_n" -ge "$stored_total" ] && echo pass || echo FAIL) |
EOF
)"
# The figures other scripts read (bench/all.sh: the rate of the CRM scenario is half the POST's).
if [ -n "${BENCH_SUMMARY_OUT:-}" ]; then
  printf 'full_rps=%s\nfull_p99=%s\nform_rps=%s\nminimal_rps=%s\nkestrel_rps=%s\npost_minimal=%s\nget_kestrel=%s\n' \
    "$full_rps" "$full_p99" "$form_rps" "$minimal_rps" "$kestrel_rps" "$post_minimal" "$get_kestrel" >"$BENCH_SUMMARY_OUT"
fi
echo
echo "$report"
if $WRITE; then
  printf '\n%s\n' "$report" >> "$ROOT/docs/benchmarks.md"
  say "Appended to docs/benchmarks.md"
fi
