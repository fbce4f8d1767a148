#!/usr/bin/env bash
# A/B of the form GET and the sign-up POST: an earlier build (a worktree at OLD_TREE, built in Release)
# against this one, on the same PostgreSQL, alternating in rounds. Usage: OLD_TREE=../old bench/ab.sh
set -u
cd "$(dirname "$0")/.."; ROOT="$(pwd)"
eval "$(./build.sh db | grep '^export ')"
ADMIN="$CUSTOMERINFO_TEST_POSTGRES"
PGPASSWORD="$(sed -E 's/.*Password=([^;]*).*/\1/' <<<"$ADMIN")"
PGPORT="$(sed -E 's/.*Port=([0-9]*).*/\1/' <<<"$ADMIN")"
export PGPASSWORD PGPORT PGHOST=127.0.0.1 PGUSER=postgres
start() { # dir port db
  psql -d postgres -qc "drop database if exists $3 with (force)" -c "create database $3" >/dev/null
  (cd "$1" && env ConnectionStrings__Postgres="$ADMIN;Database=$3;Maximum Pool Size=64" ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
    Owner__Email=owner@localhost Owner__Password=bench-only Hangfire__Server__Enabled=false \
    RateLimits__PerClientPerMinute=1000000000 RateLimits__PerStorePerMinute=1000000000 \
    dotnet src/Web/bin/Release/net10.0/CustomerInfo.Web.dll --urls "http://127.0.0.1:$2" >"$ROOT/bench/ab-$2.log" 2>&1 &)
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "no start $2"; tail "$ROOT/bench/ab-$2.log"
}
token() { local jar page; jar="$(mktemp)"; page="$(curl -fs -c "$jar" -H 'Host: demo.localhost' "http://127.0.0.1:$1/")"
  BENCH_TOKEN="$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' <<<"$page" | head -n1 | sed -E 's/.*value="([^"]*)"/\1/')"
  BENCH_COOKIE="$(awk '$6 ~ /Antiforgery/ { printf "%s=%s", $6, $7 }' "$jar")"; export BENCH_TOKEN BENCH_COOKIE BENCH_HOST=demo.localhost; }
start "${OLD_TREE:?set OLD_TREE to a worktree of the earlier build}" 5091 ab_old
start "$ROOT" 5092 ab_new
for p in 5091 5092; do token $p; wrk -t2 -c32 -d8s -s bench/get.lua http://127.0.0.1:$p/ >/dev/null; wrk -t2 -c32 -d8s -s bench/signup.lua http://127.0.0.1:$p/ >/dev/null; done
for round in 1 2; do
  for p in 5091 5092; do
    token $p
    g=$(wrk -t2 -c32 -d8s -s bench/get.lua http://127.0.0.1:$p/ | grep Requests/sec | awk '{print $2}')
    s=$(wrk -t2 -c32 -d8s -s bench/signup.lua http://127.0.0.1:$p/ | grep Requests/sec | awk '{print $2}')
    echo "round $round $([ $p = 5091 ] && echo earlier || echo this) build: form GET $g req/s, sign-up POST $s req/s"
  done
done
pkill -f "urls http://127.0.0.1:509" || true
