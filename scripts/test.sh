#!/usr/bin/env bash
# The whole test suite, from a fresh clone after `npm install`:
#   installs the real parts the tests use (Tryton and Chromium from Debian's packages), type-checks,
#   lints, builds the backend and the preview (tests start them as real child processes), then runs
#   every jest project.
# Needs PostgreSQL on 127.0.0.1:5432 (TEST_POSTGRES_URL to point elsewhere).
# Extra arguments go to jest, e.g. `npm test -- server/test/booking`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/tryton/install.sh
bash scripts/preview/install-chromium.sh
npm run --silent typecheck
npm run --silent lint
# npm audit gate: a high/critical advisory in what ships, not excepted in security/, fails (exit 1).
# Exit 2 = the audit could not run (this workplace's registry answers no audit request): printed and
# recorded in results/gates/npm-audit.json, fatal only with CLOSELOOP_REQUIRE_AUDIT=1.
audit=0 && node scripts/gates/npm-audit.mjs || audit=$?
if [ "$audit" -eq 1 ] || { [ "$audit" -ne 0 ] && [ "${CLOSELOOP_REQUIRE_AUDIT:-0}" = 1 ]; }; then exit "$audit"; fi
npm run --silent build
npm run --silent test:jest -- "$@"
