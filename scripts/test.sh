#!/usr/bin/env bash
# The README's test command: build, bring up the loopback servers, run unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
if [ -f scripts/services.sh ]; then
  bash scripts/services.sh up
  # shellcheck disable=SC1091
  set -a && . .services/env && set +a
fi
npx vitest run "$@"
