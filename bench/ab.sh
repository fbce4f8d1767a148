#!/usr/bin/env bash
# A/B of the form GET and the sign-up POST: an earlier build (a worktree at OLD_TREE, built in Release)
# against this one, on the same PostgreSQL, alternating in rounds. Usage: OLD_TREE=../old bench/ab.sh
# Each figure: requests per second, p99, and the app's CPU time per request (utime + stime of its
# process from /proc, before and after the run), which a shared machine disturbs far less.
# Knobs: AB_ROUNDS (2), AB_DURATION (8s), AB_PORT_BASE (5091: the earlier build there, this one on the next port).
set -u
cd "$(dirname "$0")/.."; ROOT="$(pwd)"
ROUNDS="${AB_ROUNDS:-2}"; DURATION="${AB_DURATION:-8s}"; OLD_PORT="${AB_PORT_BASE:-5091}"; NEW_PORT=$((OLD_PORT + 1))
eval "$(./build.sh db | grep '^export ')"
ADMIN="$CUSTOMERINFO_TEST_POSTGRES"
PGPASSWORD="$(sed -E 's/.*Password=([^;]*).*/\1/' <<<"$ADMIN")"
PGPORT="$(sed -E 's/.*Port=([0-9]*).*/\1/' <<<"$ADMIN")"
export PGPASSWORD PGPORT PGHOST=127.0.0.1 PGUSER=postgres
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
start() { # dir port db
  psql -d postgres -qc "drop database if exists $3 with (force)" -c "create database $3" >/dev/null
  # From its output folder, as bench/run.sh (the content root's watcher must not see PostgreSQL's writes).
  (cd "$1/src/Web/bin/Release/net10.0" && exec env ConnectionStrings__Postgres="$ADMIN;Database=$3;Maximum Pool Size=64" ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
    Owner__Email=owner@localhost Owner__Password=bench-only Hangfire__Server__Enabled=false \
    RateLimits__PerClientPerMinute=1000000000 RateLimits__PerStorePerMinute=1000000000 \
    dotnet CustomerInfo.Web.dll --urls "http://127.0.0.1:$2" >"$ROOT/bench/ab-$2.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "no start $2"; tail "$ROOT/bench/ab-$2.log"; exit 1
}
token() { local jar page; jar="$(mktemp)"; page="$(curl -fs -c "$jar" -H 'Host: demo.localhost' "http://127.0.0.1:$1/")"
  BENCH_TOKEN="$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' <<<"$page" | head -n1 | sed -E 's/.*value="([^"]*)"/\1/')"
  BENCH_COOKIE="$(awk '$6 ~ /Antiforgery/ { printf "%s=%s", $6, $7 }' "$jar")"; rm -f "$jar"; export BENCH_TOKEN BENCH_COOKIE BENCH_HOST=demo.localhost; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# rps, p99 and CPU ms per request of one wrk run: pid script url
measure() {
  local t0 out t1 n
  t0="$(ticks "$1")"; out="$(wrk -t2 -c32 -d"$DURATION" --latency -s "$2" "$3" 2>&1)"; t1="$(ticks "$1")"
  n="$(grep -oE '[0-9]+ requests in' <<<"$out" | awk '{ print $1 }')"
  awk -v rps="$(grep Requests/sec <<<"$out" | awk '{ print $2 }')" -v p99="$(grep -E '^ +99%' <<<"$out" | awk '{ print $2 }')" \
    -v ticks="$((t1 - t0))" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%s req/s, p99 %s, %.3f ms CPU/request", rps, p99, ticks * 1000 / hz / n }'
}
start "${OLD_TREE:?set OLD_TREE to a worktree of the earlier build}" "$OLD_PORT" ab_old; old_pid=${pids[-1]}
start "$ROOT" "$NEW_PORT" ab_new; new_pid=${pids[-1]}
for p in "$OLD_PORT" "$NEW_PORT"; do token "$p"; wrk -t2 -c32 -d8s -s bench/get.lua "http://127.0.0.1:$p/" >/dev/null; wrk -t2 -c32 -d8s -s bench/signup.lua "http://127.0.0.1:$p/" >/dev/null; done
for round in $(seq 1 "$ROUNDS"); do
  for p in "$OLD_PORT" "$NEW_PORT"; do
    token "$p"; pid=$([ "$p" = "$OLD_PORT" ] && echo "$old_pid" || echo "$new_pid")
    g="$(measure "$pid" bench/get.lua "http://127.0.0.1:$p/")"
    s="$(measure "$pid" bench/signup.lua "http://127.0.0.1:$p/")"
    echo "round $round $([ "$p" = "$OLD_PORT" ] && echo earlier || echo this) build: form GET $g; sign-up POST $s; load $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
