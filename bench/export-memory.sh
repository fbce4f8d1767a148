#!/usr/bin/env bash
# Issue 15 §5: the CSV export of bench/admin-scale.sh's biggest tenant on its own, for profiling it and
# for before/after figures: time, bytes, rows, a sha256 of the file, and the app's RSS sampled every
# 20 ms (its peak) and VmHWM after. Uses the template bench/admin-scale.sh loaded (run that first;
# BENCH_QUICK=1 uses its quick one) copied once into a database of its own, kept between runs (the
# export changes no row; it appends one SignUpsExported stream). The app runs as bench/admin-scale.sh
# starts it: Release, web role, Hangfire server off. One unmeasured export of the second tenant first
# warms up the JIT and the pools.
#   EXPORT_APP=path/to/CustomerInfo.Web.dll  another build (e.g. the one before a change)
#   EXPORT_COUNTERS=file.csv                 also records dotnet-counters (System.Runtime, 1 s) into file.csv
#   EXPORT_RUNS=n                            measured exports one after the other (default 1)
#   extra arguments are passed to the app's environment (e.g. DOTNET_gcServer=0)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  TEMPLATE=customerinfo_scale_quick_tpl RUN_DB=customerinfo_export_quick_run
else
  TEMPLATE=customerinfo_scale_tpl RUN_DB=customerinfo_export_run
fi
APP="${EXPORT_APP:-$ROOT/src/Web/bin/Release/net10.0/CustomerInfo.Web.dll}"
PORT="${BENCH_EXPORT_PORT:-5086}"
RUNS="${EXPORT_RUNS:-1}"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

eval "$(./build.sh db | grep '^export ')"
ADMIN="$CUSTOMERINFO_TEST_POSTGRES"
PGPASSWORD="$(sed -E 's/.*Password=([^;]*).*/\1/' <<<"$ADMIN")"
PGPORT="$(sed -E 's/.*Port=([0-9]*).*/\1/' <<<"$ADMIN")"
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGPASSWORD PGOPTIONS='-c client_min_messages=warning'
PASSWORD="$(cat "$ROOT/.data/bench-admin-password")"

[ -n "$(psql -d postgres -tAc "select 1 from pg_database where datname = '$TEMPLATE'")" ] || { echo "no template $TEMPLATE: run bench/admin-scale.sh first" >&2; exit 2; }
if [ -z "$(psql -d postgres -tAc "select 1 from pg_database where datname = '$RUN_DB'")" ]; then
  say "Copying $TEMPLATE into $RUN_DB (once)"
  psql -d postgres -qc "create database $RUN_DB template $TEMPLATE strategy file_copy" >/dev/null
fi

log="$ROOT/bench/export-memory-app.log"
app_pid=""
counters_pid=""
cleanup() {
  [ -n "$counters_pid" ] && kill "$counters_pid" 2>/dev/null
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
  wait 2>/dev/null || true
}
trap cleanup EXIT
say "Starting $APP on :$PORT"
env ConnectionStrings__Postgres="$ADMIN;Database=$RUN_DB" ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
  Owner__Email=owner@localhost Owner__Password=bench-only Hangfire__Server__Enabled=false \
  RateLimits__PerClientPerMinute=1000000000 RateLimits__PerStorePerMinute=1000000000 "$@" \
  dotnet "$APP" --urls "http://127.0.0.1:$PORT" >"$log" 2>&1 &
app_pid=$!
for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null || { tail -n 30 "$log" >&2; exit 1; }

jar="$(mktemp)"
# Signed in as the tenant's Owner, as a browser at scaleN.localhost is (the sign-in form, its antiforgery token, the cookie).
sign_in() {
  local host="$1.localhost" page token
  page="$(curl -fs -c "$jar" -b "$jar" --resolve "$host:$PORT:127.0.0.1" "http://$host:$PORT/admin/signin")"
  token="$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' <<<"$page" | head -n1 | sed 's/.*value="//; s/"$//')"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --resolve "$host:$PORT:127.0.0.1" \
    --data-urlencode "Command.Email=owner@$host" --data-urlencode "Command.Password=$PASSWORD" \
    --data-urlencode "__RequestVerificationToken=$token" "http://$host:$PORT/admin/signin")" = 302 ] || { echo "sign-in as owner@$host failed" >&2; exit 1; }
}
export_of() { # tenant, file to write
  curl -fs -b "$jar" --resolve "$1.localhost:$PORT:127.0.0.1" -o "$2" -w '%{time_total} %{size_download}\n' "http://$1.localhost:$PORT/admin/signups/export"
}
kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$app_pid/status"; }

say "Warming up: one export of scale2"
sign_in scale2
export_of scale2 /dev/null >/dev/null
sign_in scale1
if [ -n "${EXPORT_COUNTERS:-}" ]; then
  /tmp/dt/dotnet-counters collect -p "$app_pid" --counters System.Runtime --refresh-interval 1 --format csv -o "$EXPORT_COUNTERS" >/dev/null 2>&1 &
  counters_pid=$!
  sleep 2
fi
file="$(mktemp)"
for run in $(seq 1 "$RUNS"); do
  before="$(kb VmRSS)"
  peak="$before"
  export_of scale1 "$file" >"$file.timing" &
  curl_pid=$!
  while kill -0 "$curl_pid" 2>/dev/null; do
    rss="$(kb VmRSS)"; [ "$rss" -gt "$peak" ] && peak="$rss"
    sleep 0.02
  done
  wait "$curl_pid"
  read -r seconds bytes <"$file.timing"
  echo "export.run $run"
  echo "export.seconds $seconds"
  echo "export.bytes $bytes"
  echo "export.rows $(($(wc -l <"$file") - 1))"
  echo "export.sha256 $(sha256sum "$file" | cut -c1-64)"
  echo "export.rss_before_mb $((before / 1024))"
  echo "export.rss_peak_mb $((peak / 1024))"
  echo "export.hwm_mb $(($(kb VmHWM) / 1024))"
done
rm -f "$file" "$file.timing" "$jar"
