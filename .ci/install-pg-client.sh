#!/usr/bin/env bash
# Installs pg_dump/pg_restore of PostgreSQL $PG_MAJOR (default 17, the Supabase server's major) from the PostgreSQL
# project's apt repository, for deploy jobs: a pg_dump older than the server refuses to dump it. Ubuntu/Debian only.
set -euo pipefail
major="${PG_MAJOR:-17}"
[[ "$major" =~ ^[0-9]+$ ]] || { echo "error: PG_MAJOR=$major is not a major version such as 17" >&2; exit 1; }
if command -v "/usr/lib/postgresql/$major/bin/pg_dump" >/dev/null 2>&1; then
  echo "pg_dump $major is already installed"; exit 0
fi
. /etc/os-release
install -d /usr/share/postgresql-common/pgdg
key=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc
curl -fsSL -o "$key" https://www.postgresql.org/media/keys/ACCC4CF8.asc
echo "deb [signed-by=$key] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
  > /etc/apt/sources.list.d/pgdg.list
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-client-$major" >/dev/null
"/usr/lib/postgresql/$major/bin/pg_dump" --version
