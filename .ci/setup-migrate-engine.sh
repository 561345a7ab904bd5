#!/usr/bin/env bash
# What the migration engine's tests (tests/Migrations/Database*) and bench/migrations.sh need, installed only when
# missing: a PostgreSQL server package with initdb/pg_ctl (Debian 12: postgresql-15) and psql, the `postgres` system
# user that initdb runs as when the tests run as root, runuser (util-linux) and python3 (the benchmark).
# The Supabase CLI and the embedded PostgreSQL 17.4 fallback come from `npm ci` (.ci/run does it).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
have_server() { has initdb && has pg_ctl || ls /usr/lib/postgresql/*/bin/initdb; }
need postgresql have_server
need postgresql-client has psql
need util-linux has runuser
need python3 has python3
install_needed

# PostGIS for the replay (a real extension where Debian serves one; pgvector, pg_net, http and pg_cron get stand-ins,
# see docs/migrations.md). Only for Debian's server: the npm PostgreSQL 17 cannot load Debian's PostgreSQL 15 modules.
for bin in /usr/lib/postgresql/*/bin; do
  major=$(basename "$(dirname "$bin")")
  [[ "$major" =~ ^[0-9]+$ ]] || continue
  need "postgresql-$major-postgis-3" test -f "/usr/share/postgresql/$major/extension/postgis.control"
done
install_needed

# initdb refuses to run as root: the tests and the scratch server run it as `postgres` (the package creates it;
# with only the npm embedded PostgreSQL there may be none).
if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

echo "setup-migrate-engine: ready (psql $(psql --version | awk '{print $3}'))"
