#!/usr/bin/env bash
# Migration benchmark, from one command: 300 small migration files (each a table and 10 inserted rows) applied to an
# empty database, side by side:
#   ours      MigrationRunner, the engine of ApplyMigrations (one transaction, each file + its history row pipelined)
#   dbup      DbUp's UpgradeEngine with our Supabase journal (DbUp out of the box, statement by statement)
#   psql      psql -1 -f of the concatenated files (the floor: one transaction, no history at all)
#   supabase  supabase db push --db-url (the CLI, 2.117.0 from npm)
#   dbmate    dbmate up (from npm, installed into the temp folder when the registry has it)
#   apply     ./build.sh --target=ApplyMigrations --env=local --exclusive: the suite as a whole process (host, config,
#             secrets, the runner), the built Build.dll run directly as build.sh does
#   safe      ./build.sh --target=ApplyMigrations --env=staging: the whole safe path (history check, replay on the warm
#             scratch server from its template, backup beside the replay, apply); SCRATCH_WARM=1, so the warm-up round
#             builds the server and the template that the measured rounds reuse
#   apply-r2r the same as apply, from a ReadyToRun publish (BENCH_R2R=1; what BUILD_READY_TO_RUN=1 ./build.sh runs)
#   apply-before, safe-before  apply and safe from the suite as built at another commit (BENCH_BEFORE=<rev>, e.g.
#             BENCH_BEFORE=HEAD~3): a change's effect, before and after, side by side under the same load
# BENCH_TOOLS=psql,apply,safe,supabase runs only those (psql is always kept: it is the floor).
# BENCH_RUNS rounds (default 5, after a warm-up round); in each round every tool applies the set to a fresh empty
# database, tools taking turns; prints median times and ratios vs psql. Every run is checked to leave all tables.
#
#   bench/migrations.sh                       # ~1-2 minutes
#   BENCH_FILES=100 BENCH_RUNS=3 bench/migrations.sh
#   SCRATCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres bench/migrations.sh   # use an existing server
#
# Without SCRATCH_DATABASE_URL it starts its own PostgreSQL (initdb/pg_ctl from PATH or /usr/lib/postgresql/*/bin,
# as the postgres user when run as root; fsync off like the scratch server of CheckMigrations) on a free loopback port
# and stops exactly that server on exit. Needs: psql, python3, the .NET SDK, npm ci (supabase CLI).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILES="${BENCH_FILES:-300}"
RUNS="${BENCH_RUNS:-5}"
SUPABASE="$ROOT/node_modules/.bin/supabase"
export NO_COLOR=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 SUPABASE_TELEMETRY_DISABLED=1

for tool in psql python3 dotnet "$SUPABASE"; do
  command -v "$tool" >/dev/null 2>&1 \
    || { echo "bench/migrations.sh: '$tool' is missing (apt-get install postgresql-client; npm ci)" >&2; exit 2; }
done

WORK="$(mktemp -d /tmp/bench-migrations.XXXXXX)"
chmod 755 "$WORK"
source "$ROOT/bench/lib/scratch-postgres.sh"
WARM_DATA="" WARM_DATA_BEFORE=""
cleanup() {
  set +e
  # The suite's warm scratch servers (safe path): exactly their data directories, with the binaries they recorded.
  for data in "$WARM_DATA" "$WARM_DATA_BEFORE"; do
    if [[ -n "$data" && -f "$data/postmaster.pid" ]]; then
      warm_bin="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["BinDirectory"])' \
        "$data/../server.json")"
      scratch_as_pg "$warm_bin/pg_ctl" stop -D "$data" -m immediate -w >/dev/null 2>&1
    fi
  done
  scratch_postgres_stop
  rm -rf "$WORK"
}
trap cleanup EXIT
scratch_postgres_start bench/migrations.sh "$WORK" || exit $?
SERVER_VERSION="$(psql -X -At "$ADMIN_URL" -c 'show server_version')"

# --- the migrations ---------------------------------------------------------------------------------------------
MIGRATIONS="$WORK/project/supabase/migrations"
DBMATE_DIR="$WORK/dbmate"
mkdir -p "$MIGRATIONS" "$DBMATE_DIR"
python3 - "$MIGRATIONS" "$DBMATE_DIR" "$FILES" <<'PY'
import os, sys
out, dbmate, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(1, count + 1):
    version = f"2024{(i // 86400) + 1:02d}01{(i % 86400) // 3600:02d}{(i % 3600) // 60:02d}{i % 60:02d}"
    sql = (f"create table bench_{i:04d} (\n  id int primary key,\n  label text not null,\n"
           "  created_at timestamptz not null default now()\n);\n")
    sql += "".join(f"insert into bench_{i:04d} (id, label) values ({r}, 'row {r} of table {i}');\n"
                   for r in range(1, 11))
    with open(os.path.join(out, f"{version}_bench_{i:04d}.sql"), "w") as f: f.write(sql)
    with open(os.path.join(dbmate, f"{version}_bench_{i:04d}.sql"), "w") as f:
        f.write("-- migrate:up\n" + sql + "\n-- migrate:down\n")
PY
cat "$MIGRATIONS"/*.sql > "$WORK/all.sql"

# --- the tools ----------------------------------------------------------------------------------------------------
echo "Building the engine (Release)..." >&2
dotnet build -c Release "$ROOT/bench/migrations-bench/MigrationsBench.csproj" -o "$WORK/engine" \
  >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; exit 1; }
ENGINE=(dotnet "$WORK/engine/MigrationsBench.dll")

DB="bench_target"
URL="$BASE_URL/$DB?sslmode=disable"
echo "Building the suite (Release, as build.sh does)..." >&2
"$ROOT/build.sh" --tree >"$WORK/suite-build.log" 2>&1 || { cat "$WORK/suite-build.log" >&2; exit 1; }
# A copy outside the checkout: the suite then takes the project around its working folder as the repository.
cp -r "$ROOT/build/bin/Release/net10.0" "$WORK/suite"
mkdir -p "$WORK/project/build"
cp "$ROOT/global.json" "$WORK/project/"
cp "$ROOT/build/environments.json" "$ROOT/build/environments.schema.json" "$WORK/project/build/"
SUITE="cd '$WORK/project' && LOCAL_DATABASE_URL='$URL' STAGING_DATABASE_URL='$URL' SCRATCH_WARM=1"
SUITE+=" dotnet '$WORK/suite/Build.dll'"
WARM_DATA="$WORK/project/.local/scratch-postgres/data"
R2R=""
if [[ "${BENCH_R2R:-0}" == 1 ]]; then
  echo "Publishing the suite ReadyToRun..." >&2
  r2r_start=$SECONDS
  dotnet publish "$ROOT/build/Build.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$WORK/suite-r2r" >"$WORK/r2r.log" 2>&1 || { cat "$WORK/r2r.log" >&2; exit 1; }
  echo "ReadyToRun publish: $(( SECONDS - r2r_start )) s" >&2
  R2R="cd '$WORK/project' && LOCAL_DATABASE_URL='$URL' dotnet '$WORK/suite-r2r/Build.dll'"
  R2R+=" --target=ApplyMigrations --env=local --exclusive >/dev/null 2>&1 </dev/null"
fi

BEFORE=""
if [[ -n "${BENCH_BEFORE:-}" ]]; then
  rev="$(git -C "$ROOT" rev-parse --short "$BENCH_BEFORE")"
  echo "Building the suite as of $rev (BENCH_BEFORE=$BENCH_BEFORE)..." >&2
  mkdir -p "$WORK/before-src"
  git -C "$ROOT" archive "$rev" | tar -x -C "$WORK/before-src"
  dotnet build "$WORK/before-src/build/Build.csproj" -c Release -o "$WORK/suite-before" >"$WORK/before.log" 2>&1 \
    || { cat "$WORK/before.log" >&2; exit 1; }
  # Its own project folder, so that each version keeps its own warm scratch server and template.
  cp -r "$WORK/project" "$WORK/project-before"
  WARM_DATA_BEFORE="$WORK/project-before/.local/scratch-postgres/data"
  BEFORE="cd '$WORK/project-before' && LOCAL_DATABASE_URL='$URL' STAGING_DATABASE_URL='$URL' SCRATCH_WARM=1"
  BEFORE+=" dotnet '$WORK/suite-before/Build.dll'"
fi

DBMATE=""
if (cd "$WORK" && timeout 120 npm install --no-save --no-audit --no-fund --prefix "$WORK/npm" dbmate >/dev/null 2>&1)
then
  DBMATE="$WORK/npm/node_modules/.bin/dbmate"
else
  echo "dbmate is not installable from npm here: skipped" >&2
fi

# Each run gets a fresh empty database with the same name, recreated outside the timing. Tools take turns within
# every round (order rotated), so that load from elsewhere on a shared machine hits them alike; medians are reported.
OPTIONAL_R2R="" OPTIONAL_DBMATE=""
[[ -n "$R2R" ]] && OPTIONAL_R2R="$(printf '\n  "apply-r2r": "%s",' "$R2R")"
[[ -n "$BEFORE" ]] && OPTIONAL_R2R+="$(printf '\n  "apply-before": "%s",\n  "safe-before": "%s",' \
  "$BEFORE --target=ApplyMigrations --env=local --exclusive >/dev/null 2>&1 </dev/null" \
  "$BEFORE --target=ApplyMigrations --env=staging >/dev/null 2>&1 </dev/null")"
[[ -n "$DBMATE" ]] && OPTIONAL_DBMATE="$(printf ',\n  "dbmate": "%s"' \
  "'$DBMATE' --url '$URL' --migrations-dir '$DBMATE_DIR' --no-dump-schema up >/dev/null")"
cat > "$WORK/commands.json" <<JSON
{
  "psql": "psql -X -q -v ON_ERROR_STOP=1 -1 -f '$WORK/all.sql' '$URL' >/dev/null",
  "ours": "${ENGINE[*]} ours '$MIGRATIONS' '$URL'",
  "dbup": "${ENGINE[*]} dbup '$MIGRATIONS' '$URL'",
  "apply": "$SUITE --target=ApplyMigrations --env=local --exclusive >/dev/null 2>&1 </dev/null",
  "safe": "$SUITE --target=ApplyMigrations --env=staging >/dev/null 2>&1 </dev/null",$OPTIONAL_R2R
  "supabase": "'$SUPABASE' db push --db-url '$URL' --workdir '$WORK/project' --yes >/dev/null 2>&1"$OPTIONAL_DBMATE
}
JSON

echo "PostgreSQL $SERVER_VERSION, $FILES files x (1 table + 10 inserts), $RUNS round(s) + 1 warm-up," \
  "fresh database each time" >&2
python3 - "$WORK/commands.json" "$ADMIN_URL" "$DB" "$RUNS" "$URL" "$FILES" "$SERVER_VERSION" "${BENCH_TOOLS:-}" <<'PY'
import json, statistics, subprocess, sys, time
commands = json.load(open(sys.argv[1]))
if sys.argv[8]:
    wanted = set(sys.argv[8].split(",")) | {"psql"}
    wanted |= {f"{t}-before" for t in ("apply", "safe") if t in wanted}
    commands = {k: v for k, v in commands.items() if k in wanted}
admin, db, runs, url, files, version = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
def fresh():
    subprocess.run(["psql", "-X", "-q", admin, "-c", f"drop database if exists {db} with (force)",
                    "-c", f"create database {db}"], check=True, capture_output=True)
def check():
    return subprocess.run(["psql", "-X", "-At", url.split("?")[0], "-c",
        "select (select count(*) from pg_tables where tablename like 'bench_%') || ' tables, ' "
        "|| (select count(*) from pg_tables where tablename like 'bench_%' and schemaname='public')"],
        check=True, capture_output=True, text=True).stdout.strip()
times = {name: [] for name in commands}
load_start = open("/proc/loadavg").read().split()[0]
inside = []  # ours: time inside the process (after .NET start-up), from its own report
names = list(commands)
for round in range(runs + 1):
    order = names[round % len(names):] + names[:round % len(names)]
    for name in order:
        fresh()
        start = time.perf_counter()
        result = subprocess.run(commands[name], shell=True, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(f"{name} failed: {result.stderr[-2000:]}")
        tables = check().split(" ")[0]
        if tables != files:
            sys.exit(f"{name} left {tables} tables, expected {files}")
        if round > 0:
            times[name].append(elapsed)
            if name == "ours":
                import re
                m = re.search(r"applied in ([0-9.]+) s \(inside the process\)", result.stderr)
                if m: inside.append(float(m.group(1)))
        print(f"  round {round}{' (warm-up)' if round == 0 else ''}: {name:9} {elapsed:6.3f} s", file=sys.stderr)
floor = statistics.median(times["psql"])
print(f"\nMigrations benchmark: {files} files (1 table + 10 inserts each), PostgreSQL {version}, "
      f"median of {runs} round(s)\n")
print("| tool | median (s) | min (s) | max (s) | ratio vs psql -1 |")
print("|---|---:|---:|---:|---:|")
labels = {"apply-r2r": "apply, ReadyToRun", "apply": "apply (ApplyMigrations --exclusive, whole process)",
          "safe": "safe (ApplyMigrations --env=staging, whole safe path)",
          "apply-before": "apply, suite as of BENCH_BEFORE", "safe-before": "safe, suite as of BENCH_BEFORE"}
for name in ["psql", "ours", "apply", "apply-before", "apply-r2r", "dbup", "supabase", "dbmate", "safe", "safe-before"]:
    if name in times:
        t = times[name]
        print(f"| {labels.get(name, name)} | {statistics.median(t):.3f} | {min(t):.3f} | {max(t):.3f} "
              f"| {statistics.median(t) / floor:.2f} |")
if inside:
    print(f"| ours, inside the process (no .NET start-up) | {statistics.median(inside):.3f} | {min(inside):.3f} "
          f"| {max(inside):.3f} | {statistics.median(inside) / floor:.2f} |")
med = {k: statistics.median(v) for k, v in times.items()}
load_end = open("/proc/loadavg").read().split()[0]
print(f"\nMeasured {time.strftime('%Y-%m-%d %H:%M')} (load average {load_start} at the start, {load_end} at the end). "
      "Ratios from this one run:")
if "ours" in med: print(f"  ours (engine) / psql -1 = {med['ours'] / floor:.2f}")
if "apply" in med: print(f"  ApplyMigrations --exclusive / psql -1 = {med['apply'] / floor:.2f} (goal <= 1.00)")
if "apply-before" in med:
    print(f"  ApplyMigrations --exclusive, suite as of BENCH_BEFORE / psql -1 = {med['apply-before'] / floor:.2f}")
if "apply-r2r" in med: print(f"  ApplyMigrations --exclusive, ReadyToRun / psql -1 = {med['apply-r2r'] / floor:.2f}")
if "supabase" in med: print(f"  supabase db push / psql -1 = {med['supabase'] / floor:.2f}")
if "safe" in med:
    print(f"  safe path / psql -1 = {med['safe'] / floor:.2f}")
    if "supabase" in med: print(f"  safe path / supabase db push = {med['safe'] / med['supabase']:.2f} (goal <= 1.00)")
if "safe-before" in med:
    print(f"  safe path, suite as of BENCH_BEFORE / psql -1 = {med['safe-before'] / floor:.2f}")
    if "supabase" in med:
        print(f"  safe path, suite as of BENCH_BEFORE / supabase db push = {med['safe-before'] / med['supabase']:.2f}")
PY
