#!/usr/bin/env bash
# Measures the customer-list import (issue 11): a 100,000-row CSV file (semicolons, Dutch headers,
# a consent column with dates) is uploaded into PostgreSQL in 256 KB chunks and counted, then the
# import job (RunImportCommand, the handler the Hangfire worker runs) turns every row into a
# sign-up in batches of 500. It runs the integration test that does exactly that against the
# private PostgreSQL of ./build.sh db, with the contact-linking daemon off so the job is measured
# alone, and prints the upload's and the job's wall-clock times.
# Goal (issue 11): the job completes 100,000 rows in under 2 minutes on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(./build.sh db | grep '^export ')"
dotnet build tests/CustomerInfo.IntegrationTests -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet test tests/CustomerInfo.IntegrationTests -c Release --no-build \
  --filter "FullyQualifiedName~ImportJobTests.A_hundred_thousand_rows_complete" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "100k (upload|job)|Passed |Failed " || { echo "the import scenario failed" >&2; exit 1; }
