#!/usr/bin/env bash
# Measures the CRM push (issue 12 §5): sign-ups through the kiosk at a steady rate, each pushed by
# the Hangfire worker to a loopback webhook receiver that checks its signature. Prints the time
# from the kiosk's answer to the push's arrival (p50, p95, p99) and pushes per second against
# sign-ups per second (a last push long after the last sign-up means a growing backlog).
# It runs the functional test that does exactly that, bigger: CRM_BENCH_SIGNUPS (default 3000) at
# CRM_BENCH_RATE per second (default 50), against the private PostgreSQL of ./build.sh db.
# Goals (issue 12): p95 <= 2 s, and no growing backlog.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(./build.sh db | grep '^export ')"
export CRM_BENCH_SIGNUPS="${CRM_BENCH_SIGNUPS:-3000}" CRM_BENCH_RATE="${CRM_BENCH_RATE:-50}"
dotnet build tests/CustomerInfo.FunctionalTests -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet test tests/CustomerInfo.FunctionalTests -c Release --no-build \
  --filter "FullyQualifiedName~CrmPushLatencyTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "crm-push:|Passed |Failed " || { echo "the CRM push scenario failed" >&2; exit 1; }
