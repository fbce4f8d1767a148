#!/usr/bin/env bash
# Measures the shopper's sign-up path against baselines measured in the same run, on loopback:
#   POST  full sign-up (tenant, antiforgery, validation, Marten append, which triggers contact
#         linking) vs a bare endpoint doing one parameterised INSERT of the same fields (bench/BareInsert)
#   GET   the form page vs a bare GET of the same process (/health/live)
# Goals (issue 3): POST rps >= 50% of the bare INSERT, p99 <= 50 ms, every accepted POST stored;
# form GET rps >= 20% of the bare GET. The app runs as the web role; a single-process install is
# measured after it for reference, and the contact-linking daemon must then link every sign-up.
# Results go to stdout and, with --write, to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

DURATION="${BENCH_DURATION:-20s}"
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
start_app() { # port, extra environment...
  local port=$1; shift
  env ConnectionStrings__Postgres="$DB" ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
    Owner__Email=owner@localhost Owner__Password=bench-only \
    RateLimits__PerClientPerMinute=1000000000 RateLimits__PerStorePerMinute=1000000000 "$@" \
    dotnet src/Web/bin/Release/net10.0/CustomerInfo.Web.dll --urls "http://127.0.0.1:$port" >>"$ROOT/bench/app.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  tail -n 30 "$ROOT/bench/app.log" >&2; exit 1
}
: >"$ROOT/bench/app.log"
start_app "$APP_PORT" Hangfire__Server__Enabled=false
app_pid=${pids[-1]}
# The baseline gets the same Npgsql settings the app gives Marten (prepared statements, ADR 8).
ConnectionStrings__Postgres="$DB;Max Auto Prepare=64;Auto Prepare Min Usages=2" \
  dotnet bench/BareInsert/bin/Release/net10.0/BareInsert.dll --urls "http://127.0.0.1:$BARE_PORT" >"$ROOT/bench/bare.log" 2>&1 &
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

say "POST: bare INSERT baseline ($DURATION, $CONNECTIONS connections)"
bare="$(run "$DURATION" bench/signup.lua "http://127.0.0.1:$BARE_PORT/")"
say "POST: full sign-up"
before="$(stored)"
full="$(run "$DURATION" bench/signup.lua "http://127.0.0.1:$APP_PORT/")"
after="$(stored)"
say "GET: bare (/health/live) baseline"
bare_get="$(BENCH_HOST=localhost run "$DURATION" bench/get.lua "http://127.0.0.1:$APP_PORT/health/live")"
say "GET: the form page"
curl -fs -H "Host: $BENCH_HOST" "http://127.0.0.1:$APP_PORT/" | grep -q 'name="Command.SubmissionId"' \
  || { echo "GET / on $BENCH_HOST is not the sign-up form" >&2; exit 1; }
form_get="$(run "$DURATION" bench/get.lua "http://127.0.0.1:$APP_PORT/")"

say "Single-process install (web, daemon and Hangfire in one process), for reference"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
start_app "$APP_PORT" Hangfire__Server__Enabled=true
antiforgery "$APP_PORT"
run "$WARMUP" bench/signup.lua "http://127.0.0.1:$APP_PORT/" >/dev/null
single="$(run "$DURATION" ${BENCH_SINGLE_SCRIPT:-bench/signup.lua} "http://127.0.0.1:$APP_PORT/")"; [ -n "${BENCH_DEBUG:-}" ] && echo "$single" >&2
say "Waiting for the contact-linking daemon to link every sign-up"
linked() { psql -d customerinfo_bench -tAc "select count(*) from customerinfo.mt_events where type = 'sign_up_linked_to_contact'"; }
waited=0
until [ "$(linked)" -ge "$(stored)" ] || [ "$waited" -ge 300 ]; do sleep 1; waited=$((waited + 1)); done
linked_n="$(linked)"; stored_total="$(stored)"

bare_rps="$(metric RPS "$bare")"; full_rps="$(metric RPS "$full")"; full_p99="$(metric P99_MS "$full")"
accepted="$(metric ACCEPTED "$full")"; stored_n=$((after - before))
bare_get_rps="$(metric RPS "$bare_get")"; form_rps="$(metric RPS "$form_get")"; form_p99="$(metric P99_MS "$form_get")"
post_ratio="$(awk -v a="$full_rps" -v b="$bare_rps" 'BEGIN { printf "%.1f", 100 * a / b }')"
get_ratio="$(awk -v a="$form_rps" -v b="$bare_get_rps" 'BEGIN { printf "%.1f", 100 * a / b }')"
verdict() { [ "$1" = 1 ] && echo pass || echo FAIL; }
post_ok="$(awk -v r="$post_ratio" 'BEGIN { print (r >= 50) }')"
p99_ok="$(awk -v p="$full_p99" 'BEGIN { print (p <= 50) }')"
# wrk stops counting responses when its time is up, so requests still in flight are stored but not
# counted: every accepted POST is stored when stored >= accepted and nothing was refused.
refused="$(grep -oE 'Non-2xx or 3xx responses: [0-9]+' <<<"$full" | grep -oE '[0-9]+$' || echo 0)"
stored_ok=$([ "$stored_n" -ge "$accepted" ] && [ "${refused:-0}" = 0 ] && echo 1 || echo 0)
get_ok="$(awk -v r="$get_ratio" -v ok="$(metric OK "$form_get")" -v n="$(requests "$form_get")" 'BEGIN { print (r >= 20 && ok == n) }')"

report="$(cat <<EOF
### $(date -u +%Y-%m-%d) — $(nproc) cores, wrk $THREADS threads × $CONNECTIONS connections × $DURATION, loopback

| measure | result | goal | |
|---|---|---|---|
| bare INSERT POST (baseline) | $bare_rps req/s, p99 $(metric P99_MS "$bare") ms, $(metric ACCEPTED "$bare") of $(requests "$bare") accepted | | |
| full sign-up POST | $full_rps req/s, p99 $full_p99 ms, $accepted of $(requests "$full") accepted | | |
| sign-up POST vs bare INSERT | $post_ratio% | ≥ 50% | $(verdict "$post_ok") |
| sign-up POST p99 | $full_p99 ms | ≤ 50 ms | $(verdict "$p99_ok") |
| accepted POSTs stored | $accepted accepted, $stored_n stored, ${refused:-0} refused | all | $(verdict "$stored_ok") |
| bare GET /health/live (baseline) | $bare_get_rps req/s, $(metric OK "$bare_get") of $(requests "$bare_get") answered 200 | | |
| form GET | $form_rps req/s, p99 $form_p99 ms, $(metric OK "$form_get") of $(requests "$form_get") answered 200 | | |
| form GET vs bare GET | $get_ratio% | ≥ 20% | $(verdict "$get_ok") |
| single-process install POST (reference) | $(metric RPS "$single") req/s, p99 $(metric P99_MS "$single") ms, $(metric ACCEPTED "$single") of $(requests "$single") accepted | | |
| sign-ups linked to contacts afterwards | $linked_n of $stored_total, ${waited} s after the last run | all | $([ "$linked_n" -ge "$stored_total" ] && echo pass || echo FAIL) |
EOF
)"
echo
echo "$report"
if $WRITE; then
  printf '\n%s\n' "$report" >> "$ROOT/docs/benchmarks.md"
  say "Appended to docs/benchmarks.md"
fi
