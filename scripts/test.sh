#!/usr/bin/env bash
# The whole test suite, from a fresh clone after `npm install`:
#   installs the real parts the tests use (Tryton from Debian's packages), type-checks, lints,
#   builds the backend (tests start it as a real child process), then runs every jest project.
# Needs PostgreSQL on 127.0.0.1:5432 (TEST_POSTGRES_URL to point elsewhere).
# Extra arguments go to jest, e.g. `npm test -- server/test/booking`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/tryton/install.sh
npm run --silent typecheck
npm run --silent lint
npm run --silent build
npm run --silent test:jest -- "$@"
