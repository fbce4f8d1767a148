#!/usr/bin/env bash
# The two commands a developer needs:
#   ./build.sh run    set up what is missing, start a private PostgreSQL, serve the app on :8080
#   ./build.sh test   build (warnings are errors), check formatting, run every test, enforce coverage
#   ./build.sh bench  run every benchmark against its baseline and append the results to docs/benchmarks.md
#   ./build.sh drills [name...]  fault drills (drills/run.sh): kill, restart and cut off parts under load;
#                     nothing may be lost or doubled. Not part of test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

DATA_DIR="$ROOT/.data"
PG_DIR="$DATA_DIR/postgres"
PG_RUN="$DATA_DIR/run"
PG_PORT="${CUSTOMERINFO_PG_PORT:-55432}"
PG_PASSWORD_FILE="$DATA_DIR/postgres-password"
OWNER_PASSWORD_FILE="$DATA_DIR/owner-password"
STAFF_PIN_FILE="$DATA_DIR/staff-pin"
DEMO_OWNER_PASSWORD_FILE="$DATA_DIR/demo-owner-password"
OWNER_TOTP_FILE="$DATA_DIR/owner-totp-secret"
DEMO_KIOSK_TOKENS_FILE="$DATA_DIR/demo-kiosk-tokens"
MAIL_DIR="$DATA_DIR/mail"
COVERAGE_MIN="${COVERAGE_MIN:-90}"
APP_PORT="${CUSTOMERINFO_PORT:-8080}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Runs a PostgreSQL server binary as the user that owns the cluster (initdb refuses root).
as_pg_owner() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

install_postgres() {
  if pg_bin_dir >/dev/null && command -v psql >/dev/null 2>&1; then return 0; fi
  if ! is_root; then
    die "PostgreSQL is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y postgresql), or set ConnectionStrings__Postgres to a server you have."
  fi
  say "Installing PostgreSQL (Debian package 'postgresql')"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# A private cluster under .data/ on its own port, never the system service.
start_private_postgres() {
  install_postgres
  local bin
  bin="$(pg_bin_dir)" || die "pg_ctl not found after installing PostgreSQL."
  mkdir -p "$DATA_DIR" "$PG_RUN"
  chmod 755 "$DATA_DIR"
  if [ ! -s "$PG_PASSWORD_FILE" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$PG_PASSWORD_FILE")
  fi
  if is_root; then
    id postgres >/dev/null 2>&1 || die "the 'postgres' user is missing; reinstall the postgresql package."
    chown postgres "$PG_RUN"
  fi

  if [ ! -f "$PG_DIR/PG_VERSION" ]; then
    say "Creating a private PostgreSQL cluster in .data/postgres"
    rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"
    local pwfile="$PG_RUN/initdb-pw"
    cp "$PG_PASSWORD_FILE" "$pwfile"
    if is_root; then chown -R postgres "$PG_DIR" "$pwfile"; fi
    as_pg_owner "$bin/initdb" -D "$PG_DIR" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    cat >> "$PG_DIR/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 300
shared_buffers = 256MB
CONF
  fi

  if ! as_pg_owner "$bin/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
    say "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg_owner "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_RUN/postgres.log" -w -t 60 start >/dev/null \
      || { tail -n 20 "$PG_RUN/postgres.log" >&2; die "PostgreSQL did not start (log above)."; }
  fi

  export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGPASSWORD
  PGPASSWORD="$(cat "$PG_PASSWORD_FILE")"
  ADMIN_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PGPASSWORD"
}

ensure_database() {
  local name="$1"
  if [ "$(psql -d postgres -tAc "select 1 from pg_database where datname = '$name'")" != 1 ]; then
    psql -d postgres -qc "create database \"$name\"" >/dev/null
  fi
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  if ! is_root; then
    die "Chromium is needed for the browser tests. Install it (Debian: sudo apt-get install -y chromium)."
  fi
  say "Installing Chromium (Debian package 'chromium') for the browser tests"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

cmd_run() {
  local connection
  if [ -n "${ConnectionStrings__Postgres:-}" ]; then
    say "Using the PostgreSQL in ConnectionStrings__Postgres"
    connection="$ConnectionStrings__Postgres"
  else
    start_private_postgres
    ensure_database customerinfo
    connection="$ADMIN_CONNECTION;Database=customerinfo"
  fi
  mkdir -p "$DATA_DIR"
  if [ ! -s "$OWNER_PASSWORD_FILE" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$OWNER_PASSWORD_FILE")
  fi
  # The platform owner's authenticator key (base32, 160 bits), as Production has one (ADR 25).
  if ! grep -qE '^[A-Z2-7]{32}$' "$OWNER_TOTP_FILE" 2>/dev/null; then
    (umask 077; head -c 20 /dev/urandom | base32 | tr -d '=\n' > "$OWNER_TOTP_FILE")
  fi
  local totp="${Owner__TotpSecret:-$(cat "$OWNER_TOTP_FILE")}"
  if [ ! -s "$DEMO_OWNER_PASSWORD_FILE" ]; then
    (umask 077; printf 'demo-%s' "$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" > "$DEMO_OWNER_PASSWORD_FILE")
  fi
  # Six random digits, drawn again while they are the kind the app refuses (0000, 123456, 1212...).
  local pin=""
  [ -s "$STAFF_PIN_FILE" ] && pin="$(cat "$STAFF_PIN_FILE")"
  while ! [[ "$pin" =~ ^[0-9]{6}$ ]] || echo "$pin" | grep -qE '^(.)\1+$|^(..)\2+$' \
      || [[ "0123456789" == *"$pin"* ]] || [[ "9876543210" == *"$pin"* ]]; do
    pin="$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
    pin="$(printf '%06d' $((pin % 1000000)))"
  done
  (umask 077; printf '%s' "$pin" > "$STAFF_PIN_FILE")
  # The demo stores' kiosk link tokens: 16 random bytes each, base64url, as the app makes them.
  if ! grep -qE '^[A-Za-z0-9_-]{22},[A-Za-z0-9_-]{22}$' "$DEMO_KIOSK_TOKENS_FILE" 2>/dev/null; then
    (umask 077; printf '%s,%s' "$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')" \
      "$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')" > "$DEMO_KIOSK_TOKENS_FILE")
  fi
  local tokens
  tokens="$(cat "$DEMO_KIOSK_TOKENS_FILE")"

  say "Building"
  dotnet build src/Web/CustomerInfo.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

  cat <<EOF

  Platform (landing):   http://localhost:$APP_PORT
  Demo store:           http://demo.localhost:$APP_PORT
  Unknown store (404):  http://nowhere.localhost:$APP_PORT
  Owner console:        http://localhost:$APP_PORT/owner
  Background jobs:      http://localhost:$APP_PORT/hangfire
  Caught mail:          http://localhost:$APP_PORT/dev/mail  (nothing is sent: mail is written to .data/mail)
  Owner sign-in:        owner@localhost / $(cat "$OWNER_PASSWORD_FILE")  (the platform owner, at /owner)
  Owner's second factor: key $totp  (add it to an authenticator app, or: oathtool --totp -b $totp)
                        otpauth://totp/CustomerInfo:owner%40localhost?secret=$totp&issuer=CustomerInfo
  Start a free trial:   http://localhost:$APP_PORT/start  (then confirm from the caught mail)
  Demo store admin:     http://demo.localhost:$APP_PORT/admin
  Demo store Owner:     owner@demo.localhost / $(cat "$DEMO_OWNER_PASSWORD_FILE")
  Demo staff PIN:       $(cat "$STAFF_PIN_FILE")  (opens the tablet's list of held sign-ups, in both demo stores)
  Demo kiosk links:     http://demo.localhost:$APP_PORT/k/${tokens%%,*}  (Demo Store City Centre)
                        http://demo.localhost:$APP_PORT/k/${tokens##*,}  (Demo Store Station)
  (data stays in .data/ between runs; Ctrl+C stops the app)

EOF
  ConnectionStrings__Postgres="$connection" \
  ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
  Owner__Email="${Owner__Email:-owner@localhost}" \
  Owner__Password="$(cat "$OWNER_PASSWORD_FILE")" \
  Owner__TotpSecret="$totp" \
  Seed__StaffPin="$(cat "$STAFF_PIN_FILE")" \
  Seed__DemoOwnerPassword="$(cat "$DEMO_OWNER_PASSWORD_FILE")" \
  Seed__DemoKioskTokens="$tokens" \
  Smtp__PickupDirectory="${Smtp__PickupDirectory:-$MAIL_DIR}" \
  App__PublicOrigin="${App__PublicOrigin:-http://localhost:$APP_PORT}" \
    exec dotnet run --project src/Web/CustomerInfo.Web.csproj -c Release --no-build --no-launch-profile -- --urls "http://localhost:$APP_PORT"
}

cmd_test() {
  local started=$SECONDS
  say "Restoring"
  dotnet tool restore >/dev/null
  dotnet restore CustomerInfo.sln -nologo -v quiet

  say "Building (warnings are errors)"
  dotnet build CustomerInfo.sln -c Release --no-restore -nologo -v quiet -warnaserror -clp:ErrorsOnly

  say "Checking formatting (dotnet format --verify-no-changes)"
  dotnet format CustomerInfo.sln --verify-no-changes --no-restore -v quiet \
    || die "formatting differs: run 'dotnet format CustomerInfo.sln' and commit the result."

  # CI (or anyone with a server) gives an admin connection; otherwise the private cluster.
  # Either way the account must be allowed to CREATE DATABASE: each test class makes its own.
  if [ -n "${CUSTOMERINFO_TEST_POSTGRES:-}" ]; then
    say "Using the PostgreSQL in CUSTOMERINFO_TEST_POSTGRES"
  elif [ -n "${ConnectionStrings__Postgres:-}" ]; then
    say "Using the PostgreSQL in ConnectionStrings__Postgres"
    export CUSTOMERINFO_TEST_POSTGRES="$ConnectionStrings__Postgres"
  else
    start_private_postgres
    export CUSTOMERINFO_TEST_POSTGRES="$ADMIN_CONNECTION"
  fi
  # The apps under test get their own databases' connection strings, never this one.
  unset ConnectionStrings__Postgres
  ensure_chromium

  drop_test_templates
  say "Running tests"
  rm -rf "$ROOT/TestResults" "$ROOT/coverage"
  local status=0
  dotnet test CustomerInfo.sln -c Release --no-build -nologo \
    --settings "$ROOT/tests/coverage.runsettings" \
    --collect:"XPlat Code Coverage" \
    --results-directory "$ROOT/TestResults" \
    --logger "trx" --logger "console;verbosity=minimal" || status=$?

  local passed failed skipped
  passed=$(grep -ho 'passed="[0-9]*"' "$ROOT"/TestResults/*.trx 2>/dev/null | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}')
  failed=$(grep -ho 'failed="[0-9]*"' "$ROOT"/TestResults/*.trx 2>/dev/null | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}')
  skipped=$(grep -ho 'notExecuted="[0-9]*"' "$ROOT"/TestResults/*.trx 2>/dev/null | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}')
  [ "$status" = 0 ] || { echo "$passed passed, $failed failed, $skipped skipped"; die "tests failed."; }
  [ "$passed" -gt 0 ] || die "no test ran."
  [ -d "$ROOT/TestResults/screenshots" ] && echo "Browser screenshots: TestResults/screenshots/"

  say "Coverage of src/ (minimum $COVERAGE_MIN%)"
  dotnet reportgenerator \
    "-reports:$ROOT/TestResults/*/coverage.cobertura.xml" \
    "-targetdir:$ROOT/coverage" \
    "-reporttypes:Cobertura;TextSummary;Html" \
    "-assemblyfilters:+CustomerInfo.Domain;+CustomerInfo.Application;+CustomerInfo.Infrastructure;+CustomerInfo.Web" \
    "-filefilters:-*/obj/*;-*.g.cs" \
    -verbosity:Warning >/dev/null
  local coverage
  coverage=$(grep -m1 -E '^ *Line coverage:' "$ROOT/coverage/Summary.txt" | grep -oE '[0-9]+(\.[0-9]+)?')
  echo "Line coverage: $coverage%"
  awk -v c="$coverage" -v m="$COVERAGE_MIN" 'BEGIN { exit !(c + 0 >= m + 0) }' \
    || die "line coverage $coverage% is under $COVERAGE_MIN% (report: coverage/index.html)."

  if [ -x "$ROOT/deploy/check.sh" ]; then
    say "Checking deployment files offline (deploy/check.sh)"
    "$ROOT/deploy/check.sh"
  fi

  echo "$passed passed, $failed failed, $skipped skipped"
  say "All checks passed in $((SECONDS - started)) s"
}

# The test databases are copied from one schema template per build (tests/CustomerInfo.TestSupport/
# SchemaTemplate.cs), which never drops another build's: this run is the only one, so it drops them all.
drop_test_templates() {
  command -v psql >/dev/null || return 0
  local host port user password
  host=$(echo "$CUSTOMERINFO_TEST_POSTGRES" | tr ';' '\n' | sed -n 's/^Host=//p')
  port=$(echo "$CUSTOMERINFO_TEST_POSTGRES" | tr ';' '\n' | sed -n 's/^Port=//p')
  user=$(echo "$CUSTOMERINFO_TEST_POSTGRES" | tr ';' '\n' | sed -n 's/^Username=//p')
  password=$(echo "$CUSTOMERINFO_TEST_POSTGRES" | tr ';' '\n' | sed -n 's/^Password=//p')
  PGPASSWORD="$password" psql -h "${host:-127.0.0.1}" -p "${port:-5432}" -U "${user:-postgres}" -d postgres -Atq \
    -c "select format('drop database if exists %I with (force);', datname) from pg_database where datname like 'test\\_template\\_%'" \
    | PGPASSWORD="$password" psql -h "${host:-127.0.0.1}" -p "${port:-5432}" -U "${user:-postgres}" -d postgres -q >/dev/null || true
}

# For working on the tests by hand: starts the private PostgreSQL and prints what to export.
cmd_db() {
  start_private_postgres
  echo "export CUSTOMERINFO_TEST_POSTGRES='$ADMIN_CONNECTION'"
}

case "${1:-}" in
  run) cmd_run ;;
  test) cmd_test ;;
  db) cmd_db ;;
  bench) exec "$ROOT/bench/all.sh" ;;
  drills) shift; exec "$ROOT/drills/run.sh" "$@" ;;
  *) echo "usage: ./build.sh run | test | bench | drills [name...] | db" >&2; exit 2 ;;
esac
