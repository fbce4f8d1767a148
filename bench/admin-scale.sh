#!/usr/bin/env bash
# Issue 15 §1d, the admin at scale. Ten tenants, one with 1,000,000 sign-ups, loaded through the
# event store's own append API by bench/AdminScale (the app's composition root: its Marten
# configuration, inline SignUpSummary projection and indexes; the tenants, stores, forms and Owners
# made by the app's commands). The loaded database is kept as a template; later runs copy it
# (CREATE DATABASE ... TEMPLATE) and skip the load, unless its marker differs (the sizes, the
# loader, or a file that shapes the schema or the list's rows changed). Then, against the app in
# Release as the web role (as bench/run.sh starts it), signed in as each tenant's Owner over HTTP:
#   list, search (a common name prefix, an email), a deep page (the older link followed up to 200
#   pages) and the push-status filter: p50/p95 of BENCH_REQUESTS requests at 10k, 100k and 1M;
#   the CSV export of the 1M tenant: time, rows, peak RSS of the app process;
#   an import of 100,000 rows through the import page (app restarted with the Hangfire server,
#   the contact-linking daemon off as in bench/import.sh): time until the job says it is done.
# Targets: p95 <= 50 ms and flat (1M no more than twice 10k, or 10 ms more); export peak RSS <= 300 MB.
# BENCH_QUICK=1: the same at about 20,000 sign-ups (a template of its own), in a few minutes.
# Results go to stdout and, with --write, to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

QUICK="${BENCH_QUICK:-0}"
if [ "$QUICK" = 1 ]; then
  SIZES="${BENCH_SIZES:-10000,5000,1000,1000,500,500,500,500,500,500}"
  IMPORT_ROWS="${BENCH_IMPORT_ROWS:-5000}"
  TEMPLATE=customerinfo_scale_quick_tpl
  RUN_DB=customerinfo_scale_quick_run
  LOAD_DB=customerinfo_scale_quick_load
else
  SIZES="${BENCH_SIZES:-1000000,100000,10000,5000,5000,2000,2000,1000,1000,1000}"
  IMPORT_ROWS="${BENCH_IMPORT_ROWS:-100000}"
  TEMPLATE=customerinfo_scale_tpl
  RUN_DB=customerinfo_scale_run
  LOAD_DB=customerinfo_scale_load
fi
REQUESTS="${BENCH_REQUESTS:-50}"
APP_PORT="${BENCH_ADMIN_PORT:-5085}"
WRITE=false
[ "${1:-}" = "--write" ] && WRITE=true
IFS=, read -r -a size <<<"$SIZES"
[ "${#size[@]}" -ge 4 ] || { echo "BENCH_SIZES needs at least four tenants" >&2; exit 2; }

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
human() { awk -v n="$1" 'BEGIN { if (n >= 1000000) printf "%gM", n / 1000000; else if (n >= 1000) printf "%gk", n / 1000; else print n }'; }

eval "$(./build.sh db | grep '^export ')"
ADMIN="$CUSTOMERINFO_TEST_POSTGRES"
PGPASSWORD="$(sed -E 's/.*Password=([^;]*).*/\1/' <<<"$ADMIN")"
PGPORT="$(sed -E 's/.*Port=([0-9]*).*/\1/' <<<"$ADMIN")"
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGPASSWORD PGOPTIONS='-c client_min_messages=warning'

# Every loaded tenant's Owner (owner@scaleN.localhost) has this password, kept beside the template.
PASSWORD_FILE="$ROOT/.data/bench-admin-password"
if [ ! -s "$PASSWORD_FILE" ]; then
  (umask 077; printf 'bench-%s' "$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" >"$PASSWORD_FILE")
fi
export BENCH_ADMIN_PASSWORD
BENCH_ADMIN_PASSWORD="$(cat "$PASSWORD_FILE")"

say "Building (Release)"
dotnet build bench/AdminScale/AdminScale.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >&2 # its summary is not a figure: keep it out of the section
TOOL=(dotnet "$ROOT/bench/AdminScale/bin/Release/net10.0/AdminScale.dll")

# What the template was loaded from: a change to any of these loads it again.
marker="$( {
  echo "$SIZES"; sha256sum <<<"$BENCH_ADMIN_PASSWORD"
  cat bench/AdminScale/*.cs bench/AdminScale/*.csproj Directory.Packages.props \
    src/Infrastructure/Persistence/MartenConfiguration.cs src/Infrastructure/Accounts/AccountsConfiguration.cs \
    src/Application/SignUps/ListSignUps/SignUpSummary.cs src/Domain/SignUps/SignUpEvents.cs src/Domain/SignUps/CrmEvents.cs
} | sha256sum | cut -c1-16)"
comment() { psql -d postgres -tAc "select shobj_description(oid, 'pg_database') from pg_database where datname = '$1'"; }
stored="$(comment "$TEMPLATE")"
load_note=""
if [[ "$stored" == "admin-scale $marker "* ]]; then
  load_note="template $TEMPLATE reused (${stored#admin-scale $marker })"
  say "Reusing the template $TEMPLATE (${stored#admin-scale $marker })"
else
  say "Loading $SIZES sign-ups into $LOAD_DB (the template is missing or its marker differs)"
  psql -d postgres -qc "drop database if exists $LOAD_DB with (force)" -c "create database $LOAD_DB" >/dev/null
  started=$SECONDS
  # From its own directory, where the app host finds its content root (as the tests run).
  (cd bench/AdminScale/bin/Release/net10.0 && ConnectionStrings__Postgres="$ADMIN;Database=$LOAD_DB" "${TOOL[@]}" load "$SIZES" scale) | tee "$ROOT/bench/admin-scale-load.log" | grep -E '^(scale[0-9]+|total) ' >&2
  seconds=$((SECONDS - started))
  psql -d "$LOAD_DB" -qc "vacuum analyze" >/dev/null
  psql -d postgres -qc "drop database if exists $TEMPLATE with (force)" -c "alter database $LOAD_DB rename to $TEMPLATE" \
    -c "comment on database $TEMPLATE is 'admin-scale $marker loaded $(date -u +%Y-%m-%d) in $seconds s on $(nproc) cores'" >/dev/null
  load_note="loaded in this run: $seconds s on $(nproc) cores, vacuum analyze included"
fi

say "Copying the template into $RUN_DB"
copy_started=$SECONDS
psql -d postgres -qc "drop database if exists $RUN_DB with (force)" -c "create database $RUN_DB template $TEMPLATE strategy file_copy" >/dev/null
copy_seconds=$((SECONDS - copy_started))
DB="$ADMIN;Database=$RUN_DB"

app_pid=""
cleanup() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
# As bench/run.sh starts it: Release, Development, logging at Warning; extra settings after the port.
start_app() {
  env ConnectionStrings__Postgres="$DB" ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
    Owner__Email=owner@localhost Owner__Password=bench-only \
    RateLimits__PerClientPerMinute=1000000000 RateLimits__PerStorePerMinute=1000000000 "$@" \
    dotnet src/Web/bin/Release/net10.0/CustomerInfo.Web.dll --urls "http://127.0.0.1:$APP_PORT" >>"$ROOT/bench/admin-scale-app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$APP_PORT/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  tail -n 30 "$ROOT/bench/admin-scale-app.log" >&2; exit 1
}
stop_app() { kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""; }
: >"$ROOT/bench/admin-scale-app.log"
out="$(mktemp)"

say "Starting the app (web role) on :$APP_PORT"
start_app Hangfire__Server__Enabled=false
# One unmeasured pass first, so the JIT's and the caches' warm-up is not charged to the first tenant measured.
say "Warming up: one pass over the same pages"
"${TOOL[@]}" list "http://127.0.0.1:$APP_PORT" scale3,scale2,scale1 10 >/dev/null
sleep 5 # the tiered JIT recompiles the hot methods in the background meanwhile
say "List, search, deep page and push filter at $(human "${size[2]}"), $(human "${size[1]}") and $(human "${size[0]}") ($REQUESTS requests each)"
"${TOOL[@]}" list "http://127.0.0.1:$APP_PORT" scale3,scale2,scale1 "$REQUESTS" | tee -a "$out" >&2
say "CSV export of the $(human "${size[0]}") tenant"
"${TOOL[@]}" export "http://127.0.0.1:$APP_PORT" scale1 "$app_pid" | tee -a "$out" >&2
stop_app

say "Import of $IMPORT_ROWS rows (the app with its Hangfire server, the contact-linking daemon off)"
start_app Hangfire__Server__Enabled=true Marten__Daemon__Enabled=false
"${TOOL[@]}" import "http://127.0.0.1:$APP_PORT" scale4 "$IMPORT_ROWS" | tee -a "$out" >&2
stop_app

get() { awk -v k="$1" '$1 == k { print $2 }' "$out"; }
verdict() { [ "$1" = 1 ] && echo pass || echo FAIL; }
row() { # label, measure key
  local small mid big ok
  small="$(get "scale3.$2.p95")"; mid="$(get "scale2.$2.p95")"; big="$(get "scale1.$2.p95")"
  ok="$(awk -v a="$small" -v b="$mid" -v c="$big" 'BEGIN { m = a; if (b > m) m = b; if (c > m) m = c; f = 2 * a; if (a + 10 > f) f = a + 10; print (m <= 50 && c <= f) }')"
  echo "| $1 | $(get "scale3.$2.p50") / $small | $(get "scale2.$2.p50") / $mid | $(get "scale1.$2.p50") / $big | ≤ 50 ms, flat | $(verdict "$ok") |"
}
rows_ok=$([ "$(get export.rows)" = "${size[0]}" ] && echo 1 || echo 0)
rss_ok="$(awk -v r="$(get export.rss_peak_mb)" 'BEGIN { print (r <= 300) }')"
import_ok="$(awk -v s="$(get import.seconds)" -v p="$(get import.progress)" 'BEGIN { print (s <= 120 && p ~ /"status":"Completed"/) }')"
mem_gb="$(awk '/MemTotal/ { printf "%.0f", $2 / 1024 / 1024 }' /proc/meminfo)"

report="$(cat <<EOF
### $(date -u +%Y-%m-%d) — admin at scale: $(nproc) cores, ${mem_gb} GB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end

\`$( [ "$QUICK" = 1 ] && printf 'BENCH_QUICK=1 ' )bench/admin-scale.sh\`: ten tenants ($SIZES sign-ups) through Marten's append API and the app's own projections; $load_note; copied from the template in $copy_seconds s. Release, web role, one client, $REQUESTS requests per figure after one unmeasured pass over every page and 5 warm-up requests; p50 / p95 in ms. Name search "jans" matches 4% of a tenant's rows, the email one row; the deep page is the older link followed $(get scale1.deep_pages) pages down (at $(human "${size[0]}")); push filter "failed" matches 1%.

| measure | $(human "${size[2]}") | $(human "${size[1]}") | $(human "${size[0]}") | target | |
|---|---|---|---|---|---|
$(row "first page" first)
$(row "search, name prefix" search_name)
$(row "search, email" search_email)
$(row "deep page" deep)
$(row "push status filter" push_failed)
| CSV export of $(human "${size[0]}") | $(get export.seconds) s, $(get export.rows) data rows, $(get export.bytes) bytes | | | all $(human "${size[0]}") rows | $(verdict "$rows_ok") |
| app RSS during the export | peak $(get export.rss_peak_mb) MB (before: $(get export.rss_before_mb) MB; VmHWM after: $(get export.hwm_mb) MB) | | | ≤ 300 MB | $(verdict "$rss_ok") |
| import of $IMPORT_ROWS rows | $(get import.seconds) s until done, upload $(get import.upload_seconds) s | | | ≤ 2 min (issue 11) | $(verdict "$import_ok") |
EOF
)"
echo
echo "$report"
rm -f "$out"
if $WRITE; then
  printf '\n%s\n' "$report" >>"$ROOT/docs/benchmarks.md"
  say "Appended to docs/benchmarks.md"
fi
