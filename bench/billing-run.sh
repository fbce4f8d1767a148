#!/usr/bin/env bash
# Measures the recurring billing run (issue 13 §6, §10): BILLING_BENCH_TENANTS subscribed tenants
# (default 10000), each with two stores and two kiosk sign-ups yesterday, against the loopback Stripe
# fake with the real Stripe.net client. Prints the seeding time, the first run's time (every tenant
# reconciled, its quantity set and its day reported), the second run's (no Stripe write), and the
# peak RSS of the test process (app, fake and runner together), against the private PostgreSQL of
# ./build.sh db. Record the figures in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(./build.sh db | grep '^export ')"
export BILLING_BENCH_TENANTS="${BILLING_BENCH_TENANTS:-10000}"
dotnet build tests/CustomerInfo.IntegrationTests -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet test tests/CustomerInfo.IntegrationTests -c Release --no-build \
  --filter "FullyQualifiedName~BillingRunBenchmarkTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "^billing-run:|Passed |Failed " || { echo "the billing run scenario failed" >&2; exit 1; }
