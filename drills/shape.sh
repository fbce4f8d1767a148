# The deployed shape, shared by the fault drills (drills/run.sh) and the CRM push benchmark
# (bench/crm-push.sh): the app's Release build on the private PostgreSQL of ./build.sh db, in its
# Kubernetes roles (web: no Hangfire server, no async daemon; worker: both), a fresh database per
# start_shape with its schema from the migration step, and the harness (drills/DrillHarness: the
# loopback CRM behind the signed webhook, the kiosk load, the checks) driven over its control port.
# Sourced, after ROOT, DB_NAME and LOGS are set; DRILL_PORT_BASE (default 5140) is the first of ten ports.
# SHAPE_APP_ENV adds NAME=value settings to every app process (to profile: DOTNET_PerfMapEnabled=1);
# SHAPE_APP_DIR runs another build of the app (a copy of an earlier one, to measure before and after).
PORT_BASE="${DRILL_PORT_BASE:-5140}"
CONTROL_PORT=$((PORT_BASE + 9))
CRM_PORT=$((PORT_BASE + 8))
APP_DIR="${SHAPE_APP_DIR:-$ROOT/src/Web/bin/Release/net10.0}"
APP_DLL="$APP_DIR/CustomerInfo.Web.dll"
HARNESS_DLL="$ROOT/drills/DrillHarness/bin/Release/net10.0/DrillHarness.dll"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }

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
    ${SHAPE_APP_ENV:-} dotnet "$APP_DLL" --urls "http://127.0.0.1:${PORT[$name]}" >>"$LOGS/$name.log" 2>&1 &
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
start_shape() { # name:role[:extra connection settings] ...
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
}
