#!/usr/bin/env bash
# Run one benchmark against throwaway PostgreSQL/Redis (same servers as the tests):
#   benchmarks/run.sh incentives_month [--marketers N --visits N --signings N]
# Results are appended to benchmarks/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/.venv/bin
[ -x "$bin/python" ] || scripts/bootstrap.sh python3 .venv
# The load benchmark drives the server with locust (pyproject's `bench` extra, not in `dev`).
[ -x "$bin/locust" ] || "$bin/python" -m pip install -q -e '.[bench]'
name=${1:?which benchmark? e.g. incentives_month}; shift
# shellcheck source=scripts/servers.sh
source "$root/scripts/servers.sh"
export DJANGO_SECURE_SSL=0  # loopback over plain http, as in the tests
python manage.py migrate --noinput -v0
python "benchmarks/$name.py" "$@"
