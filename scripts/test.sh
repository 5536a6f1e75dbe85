#!/usr/bin/env bash
# The whole test suite, as `make test` runs it: lint, migrations check (once), then pytest
# on SQLite and again on PostgreSQL for what depends on the database. Outside CI a
# missing PostgreSQL, Redis or Chromium skips what needs it; with CI set, nothing may be
# skipped for a missing piece.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=yunfu.settings.test

ensure_browser() {
    # Debian's Chromium and a CJK font, so the browser tests render Chinese. Playwright
    # drives this binary; it never downloads a browser of its own.
    if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "CJK"; then
        return
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing Chromium and CJK fonts from Debian's packages..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    else
        echo "Chromium or CJK fonts missing and cannot install them: browser tests will skip."
    fi
}

postgres_up() {
    "$BIN/python" - <<'PY'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
except OSError:
    sys.exit(1)
PY
}

ensure_browser

echo "== ruff"
"$BIN/ruff" check .
"$BIN/ruff" format --check .

echo "== migrations up to date"
"$BIN/python" manage.py makemigrations --check --dry-run

echo "== pytest on SQLite"
"$BIN/pytest" "$@"

PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/yunfu}
if postgres_up; then
    # Again, only what a change of database can affect (tests/conftest.py).
    echo "== pytest on PostgreSQL (--database-only)"
    DATABASE_URL=$PG_URL "$BIN/pytest" --database-only "$@"
elif [ -n "${CI:-}" ]; then
    echo "PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it." >&2
    exit 1
else
    echo "PostgreSQL not reachable on 127.0.0.1:5432: skipped the PostgreSQL run."
fi
