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
drills=("$@")
[ ${#drills[@]} -gt 0 ] || drills=("${ALL_DRILLS[@]}")
for name in "${drills[@]}"; do
  [[ " ${ALL_DRILLS[*]} " == *" $name "* ]] || { echo "unknown drill '$name' (drills: ${ALL_DRILLS[*]})" >&2; exit 2; }
done

DB_NAME=customerinfo_drills
LOGS="$ROOT/drills/logs"
# shellcheck source=drills/shape.sh
source "$ROOT/drills/shape.sh"

# The shape, then the kiosk load every drill runs under.
setup() { # name:role[:extra connection settings] ...
  start_shape "$@"
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
