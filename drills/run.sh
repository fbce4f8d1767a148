#!/usr/bin/env bash
# Fault drills (issue 15 §2): the deployed shape (web role without, worker role with the Hangfire
# server and async daemon) on the private PostgreSQL, a loopback CRM behind the signed webhook, and
# kiosk load that resubmits like the offline queue; then a fault. Every drill ends in the same check
# (drills/DrillHarness/DrillCheck.cs): each sign-up that got a success answer is in the event store
# exactly once and reached the CRM under exactly one delivery id.
#   ./build.sh drills                 every drill, in order
#   ./build.sh drills crm-down ...    the named ones
# Knobs: DRILL_LOAD_SECONDS (load before and after each fault, default 15), DRILL_RATE (sign-ups per
# second, default 20), DRILL_TABLETS (default 8), DRILL_CRM_DOWN_SECONDS (default 60),
# DRILL_DRAIN_SECONDS (wait for pushes, default 120), DRILL_PORT_BASE (default 5140).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

ALL_DRILLS=(web-kill worker-kill crm-down postgres-restart two-nodes pool-exhausted)
LOAD_SECONDS="${DRILL_LOAD_SECONDS:-15}"
RATE="${DRILL_RATE:-20}"
TABLETS="${DRILL_TABLETS:-8}"
CRM_DOWN_SECONDS="${DRILL_CRM_DOWN_SECONDS:-60}"
DRAIN_SECONDS="${DRILL_DRAIN_SECONDS:-120}"
PORT_BASE="${DRILL_PORT_BASE:-5140}"
CONTROL_PORT=$((PORT_BASE + 9))
CRM_PORT=$((PORT_BASE + 8))
LOGS="$ROOT/drills/logs"
DB_NAME=customerinfo_drills
APP_DIR="$ROOT/src/Web/bin/Release/net10.0"
APP_DLL="$APP_DIR/CustomerInfo.Web.dll"
HARNESS_DLL="$ROOT/drills/DrillHarness/bin/Release/net10.0/DrillHarness.dll"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }

drills=("$@")
[ ${#drills[@]} -gt 0 ] || drills=("${ALL_DRILLS[@]}")
for name in "${drills[@]}"; do
  [[ " ${ALL_DRILLS[*]} " == *" $name "* ]] || { echo "unknown drill '$name' (drills: ${ALL_DRILLS[*]})" >&2; exit 2; }
done

eval "$(./build.sh db | grep '^export ')"
ADMIN="$CUSTOMERINFO_TEST_POSTGRES"
PGPASSWORD="$(sed -E 's/.*Password=([^;]*).*/\1/' <<<"$ADMIN")"
PGPORT="$(sed -E 's/.*Port=([0-9]*).*/\1/' <<<"$ADMIN")"
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGPASSWORD
DB="$ADMIN;Database=$DB_NAME"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r | head -n1)"
as_pg_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
DEMO_PASSWORD="demo-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"

say "Building (Release)"
dotnet build src/Web/CustomerInfo.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build drills/DrillHarness/DrillHarness.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log

# name -> pid, port, role and extra environment of the app processes of the current drill.
declare -A PID PORT ROLE EXTRA
HARNESS_PID=""

# The app as a Kubernetes pod runs it: web role (no Hangfire server, no daemon) or worker role.
# Development only for its demo-store seed (the demo Owner's password is this run's); the schema
# comes from the migration step, never from start-up; CRM retries are quick so drains are short.
# The web role's database limits, as deploy/k8s/base/web-deployment.yaml sets them.
WEB_LIMITS=(Database__PoolWaitSeconds=3 Database__CommandTimeoutSeconds=3)
start_app() { # name
  local name=$1 role=${ROLE[$1]} server=false limits=("${WEB_LIMITS[@]}")
  [ "$role" = worker ] && { server=true; limits=(); }
  # From its output folder, so its content root holds appsettings.Development.json (Crm:AllowPrivateTargets).
  cd "$APP_DIR"
  env ConnectionStrings__Postgres="$DB;Application Name=drill-$name${EXTRA[$name]:-}" \
    ASPNETCORE_ENVIRONMENT=Development Database__ApplySchemaOnStartup=false \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
    Hangfire__Server__Enabled=$server "${limits[@]}" \
    Owner__Email=owner@localhost Owner__Password=drills-only Seed__DemoOwnerPassword="$DEMO_PASSWORD" \
    RateLimits__PerClientPerMinute=1000000000 RateLimits__PerStorePerMinute=1000000000 \
    Smtp__PickupDirectory="$LOGS/mail" Crm__FirstRetryDelaySeconds=2 Crm__MaxRetryDelaySeconds=10 Crm__MaxAttempts=100 \
    dotnet "$APP_DLL" --urls "http://127.0.0.1:${PORT[$name]}" >>"$LOGS/$name.log" 2>&1 &
  PID[$name]=$!
  cd "$ROOT"
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:${PORT[$name]}/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "${PID[$name]}" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 30 "$LOGS/$name.log" >&2
  echo "$name did not become ready" >&2
  return 1
}

kill9() { # name
  kill -9 "${PID[$1]}" 2>/dev/null || true
  wait "${PID[$1]}" 2>/dev/null || true
  PID[$1]=""
  note "kill -9 $1"
}

ctl() { # path (POST), prints the answer; fails (saying why) on a non-2xx
  local answer status=0
  answer="$(curl -sS --fail-with-body -X POST "http://127.0.0.1:$CONTROL_PORT/$1")" || status=$?
  echo "$answer"
  [ "$status" = 0 ] || { [[ "$1" == check* ]] || echo "harness: $1: $answer" >&2; return "$status"; }
}

stop_all() {
  if [ -n "$HARNESS_PID" ]; then
    curl -s -X POST "http://127.0.0.1:$CONTROL_PORT/quit" >/dev/null 2>&1 || true
    wait "$HARNESS_PID" 2>/dev/null || true
    HARNESS_PID=""
  fi
  local name
  for name in "${!PID[@]}"; do
    if [ -n "${PID[$name]}" ]; then kill "${PID[$name]}" 2>/dev/null || true; wait "${PID[$name]}" 2>/dev/null || true; fi
  done
  PID=(); PORT=(); ROLE=(); EXTRA=()
}
trap stop_all EXIT

# A fresh database with its schema from the migration step (deploy/k8s/base/migrate-job.yaml), the
# apps started one after the other (the first seeds the demo store), the harness, and the demo store
# connected to the loopback CRM through its admin's CRM page.
setup() { # name:role[:extra connection settings] ...
  psql -d postgres -qc "drop database if exists $DB_NAME with (force)" -c "create database $DB_NAME" >/dev/null
  (cd "$APP_DIR" && ConnectionStrings__Postgres="$DB" ASPNETCORE_ENVIRONMENT=Development Hangfire__Server__Enabled=false \
    dotnet "$APP_DLL" resources setup >>"$LOGS/migrate.log" 2>&1) || { tail -n 30 "$LOGS/migrate.log" >&2; return 1; }
  local spec i=0 webs=()
  for spec in "$@"; do
    local name=${spec%%:*} rest=${spec#*:}
    ROLE[$name]=${rest%%:*}
    [[ "$rest" == *:* ]] && EXTRA[$name]=";${rest#*:}"
    PORT[$name]=$((PORT_BASE + i)); i=$((i + 1))
    [ "${ROLE[$name]}" = web ] && webs+=("http://127.0.0.1:${PORT[$name]}")
    start_app "$name"
  done
  dotnet "$HARNESS_DLL" --control "$CONTROL_PORT" --crm "$CRM_PORT" --db "$DB" --web "$(IFS=,; echo "${webs[*]}")" >>"$LOGS/harness.log" 2>&1 &
  HARNESS_PID=$!
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$CONTROL_PORT/stats" >/dev/null 2>&1 && break; sleep 0.5; done
  ctl "connect?password=$DEMO_PASSWORD" >/dev/null
  ctl "load/start?tablets=$TABLETS&rate=$RATE" >/dev/null
}

# Stops the load (sign-ups being resubmitted get 90 s), runs the check, records the verdict.
RESULTS=()
finish() { # drill, extra check query, recovery note
  local drill=$1 query=${2:-} recovered=${3:-} answer status=0
  ctl "load/stop?settle=90" >/dev/null
  answer="$(ctl "check?drain=$DRAIN_SECONDS$query")" || status=$?
  echo "$answer" | grep -v '^RESULT' >&2
  local result; result="$(grep '^RESULT' <<<"$answer" | sed 's/^RESULT //')"
  [ -n "$recovered" ] && note "recovery: $recovered"
  if [ "$status" = 0 ] && [ "$(head -n1 <<<"$answer")" = PASS ]; then
    RESULTS+=("PASS $drill $result recovered=${recovered:--}")
  else
    RESULTS+=("FAIL $drill $result recovered=${recovered:--}")
  fi
  stop_all
}

wait_ready() { # name, prints seconds until /health/ready answers
  local started=$SECONDS
  until curl -fs "http://127.0.0.1:${PORT[$1]}/health/ready" >/dev/null 2>&1; do sleep 0.2; done
  echo $((SECONDS - started))
}

drill_web_kill() {
  setup web:web worker:worker
  sleep "$LOAD_SECONDS"
  kill9 web
  sleep 5
  local started=$SECONDS
  start_app web
  local back=$((SECONDS - started))
  sleep "$LOAD_SECONDS"
  finish web-kill "" "web down 5 s, ready ${back} s after its restart"
}

processing_jobs() { psql -d "$DB_NAME" -tAc "select count(*) from hangfire.job where statename = 'Processing'"; }

drill_worker_kill() {
  setup web:web worker:worker
  sleep "$LOAD_SECONDS"
  # In the middle of jobs: the CRM answers slowly, so pushes are in flight; kill once one is running.
  ctl crm/slow >/dev/null
  for _ in $(seq 1 100); do [ "$(processing_jobs)" -gt 0 ] && break; sleep 0.1; done
  sleep 1
  local running; running="$(processing_jobs)"
  kill9 worker
  note "$running jobs were processing when the worker was killed"
  ctl crm/up >/dev/null
  sleep 5
  start_app worker
  sleep "$LOAD_SECONDS"
  finish worker-kill "" "$running jobs in flight at the kill; worker down 5 s"
}

drill_crm_down() {
  setup web:web worker:worker
  sleep "$LOAD_SECONDS"
  local half=$((CRM_DOWN_SECONDS / 2))
  ctl crm/refusing >/dev/null; note "CRM refuses connections for ${half} s"
  sleep "$half"
  ctl crm/unavailable >/dev/null; note "CRM answers 503 for $((CRM_DOWN_SECONDS - half)) s"
  sleep $((CRM_DOWN_SECONDS - half))
  ctl crm/up >/dev/null; note "CRM back"
  sleep "$LOAD_SECONDS"
  finish crm-down "" "CRM down ${CRM_DOWN_SECONDS} s (refusing, then 503)"
}

drill_postgres_restart() {
  setup web:web worker:worker
  sleep "$LOAD_SECONDS"
  local started=$SECONDS
  as_pg_owner "$PG_BIN/pg_ctl" -D "$ROOT/.data/postgres" -m fast -w restart >>"$LOGS/postgres-restart.log" 2>&1
  note "PostgreSQL restarted (-m fast) in $((SECONDS - started)) s"
  local ready; ready="$(wait_ready web)"
  sleep "$LOAD_SECONDS"
  # In-flight requests must fail with a clear 503, never a 500 or a hang.
  finish postgres-restart "&max500=0&maxfailms=10000" "web ready again ${ready} s after the restart"
}

# Which app process holds the async daemon's leadership (Marten's advisory lock), by application name.
daemon_holders() {
  psql -d "$DB_NAME" -tAc "select distinct a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and l.granted and a.datname = '$DB_NAME' and a.application_name like 'drill-%' order by 1" | paste -sd, -
}
linking_progress() { psql -d "$DB_NAME" -tAc "select coalesce(max(last_seq_id), 0) from customerinfo.mt_event_progression where name like 'ContactLinking%'"; }

drill_two_nodes() {
  setup web1:web worker1:worker web2:web worker2:worker
  local holders seen_two=0 i
  for i in $(seq 1 "$LOAD_SECONDS"); do
    holders="$(daemon_holders)"
    [[ "$holders" == *,* ]] && seen_two=1
    sleep 1
  done
  holders="$(daemon_holders)"
  note "the contact-linking daemon runs on: ${holders:-nobody}"
  [ "$seen_two" = 0 ] || note "PROBLEM: two nodes held the daemon's lock at once"
  local holder=${holders#drill-} moved=-1 before
  if [ -z "$holders" ] || [[ "$holders" == *,* ]] || [ -z "${PID[$holder]:-}" ]; then
    note "PROBLEM: no single daemon holder to kill"
  else
    kill9 "$holder"
    before="$(linking_progress)"
    local started=$SECONDS other
    other="$(daemon_holders)"
    while [ $((SECONDS - started)) -lt 60 ]; do
      other="$(daemon_holders)"
      if [ -n "$other" ] && [ "$other" != "drill-$holder" ] && [ "$(linking_progress)" -gt "$before" ]; then moved=$((SECONDS - started)); break; fi
      sleep 0.5
    done
    note "the daemon moved to ${other:-nobody} and linked again ${moved} s after the kill"
  fi
  sleep "$LOAD_SECONDS"
  local verdict_note="daemon on ${holders:-nobody}; moved in ${moved} s"
  finish two-nodes "" "$verdict_note"
  if [ "$seen_two" = 1 ] || [ "$moved" -lt 0 ] || [ "$moved" -gt 30 ]; then
    RESULTS[-1]="FAIL ${RESULTS[-1]#* }"
  fi
}

drill_pool_exhausted() {
  # The web's pool (4) is smaller than the tablets (8); a session that locks the sign-up path's table
  # makes the app's own inserts slow, so they hold every pooled connection, as slow queries would.
  # With Npgsql's defaults (a 15 s wait for a pooled connection, 30 s per command) the app hangs past
  # the kiosk's 15 s (DRILL_POOL_DEFAULTS=1 shows it); with the web role's limits from deploy/k8s
  # (a 3 s wait, 3 s commands: WEB_LIMITS) it answers 503.
  [ "${DRILL_POOL_DEFAULTS:-0}" = 1 ] && WEB_LIMITS=()
  setup "web:web:Maximum Pool Size=4" worker:worker
  sleep "$LOAD_SECONDS"
  local hold="${DRILL_POOL_HOLD_SECONDS:-20}"
  psql -d "$DB_NAME" -qc "begin; lock table customerinfo.mt_events in exclusive mode; select pg_sleep($hold); commit;" >/dev/null &
  local locker=$!
  note "mt_events locked for ${hold} s"
  wait "$locker" || true
  sleep "$LOAD_SECONDS"
  finish pool-exhausted "&max500=0&maxfailms=10000" "lock held ${hold} s"
}

started_all=$SECONDS
for name in "${drills[@]}"; do
  say "Drill $name"
  : >"$LOGS/harness.log"
  "drill_${name//-/_}"
done

echo
say "Drills done in $((SECONDS - started_all)) s"
failed=0
for line in "${RESULTS[@]}"; do
  echo "$line"
  [[ "$line" == PASS* ]] || failed=1
done
exit "$failed"
