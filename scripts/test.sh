#!/usr/bin/env bash
# Sets everything up the same way as serve.sh, then runs the whole test suite in its tiers: lint,
# types, the layer contracts, Django's checks, the unit tier (in process, seconds), the
# integration tier (server processes, PDFs, catalogs, then the races of concurrent writes on
# PostgreSQL), and the browser journeys in their own run.
#
# The PostgreSQL and scale-out tests use PostgreSQL and Redis at their standard local ports unless
# SCALEOUT_DATABASE_URL / SCALEOUT_REDIS_URL say otherwise; they skip when those do not answer,
# and fail instead when GYAKUSAN_REQUIRE_SERVICES=true (as .ci/run sets).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests

export SCALEOUT_DATABASE_URL="${SCALEOUT_DATABASE_URL-postgres://postgres@127.0.0.1:5432/test}"
export SCALEOUT_REDIS_URL="${SCALEOUT_REDIS_URL-redis://127.0.0.1:6379/0}"
py=.venv/bin/python
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "ruff"
$py -m ruff check .
$py -m ruff format --check .
step "mypy"
$py -m mypy .
step "Layer contracts (import-linter)"
.venv/bin/lint-imports --no-cache
step "Django checks"
$py manage.py check --fail-level WARNING
$py manage.py makemigrations --check --dry-run -v0
step "Deployment checks with the production settings of .env.example"
env $(grep -v '^#' .env.example | grep -v '^$' | xargs) $py manage.py check --deploy --fail-level WARNING
step "Unit tier: services, views, consumers, rules (in process)"
$py -m pytest tests/unit -q
step "Integration tier: server processes, PDFs, catalogs"
# Two workers: most of these tests wait on their servers (sockets held idle, PDFs laid out).
$py -m pytest tests/integration -m "not postgres" -q -n 2
step "Integration tier: concurrent writes on PostgreSQL"
DATABASE_URL="$SCALEOUT_DATABASE_URL" $py -m pytest tests/integration -m postgres -q -p no:cacheprovider
step "Browser tier: the journeys (Chromium)"
$py -m pytest tests/browser -q
