#!/usr/bin/env bash
# The release suite's one entry point. Before running it, sets up what it needs, only when needed:
#   1. npm ci, when node_modules is missing or package-lock.json changed (PM2, the Supabase CLI, an embedded PostgreSQL)
#   2. the build of build/, when its sources changed
# then runs the built assembly directly (about 0.3 s warm, against ~3 s for `dotnet run`), from the folder you called
# it from (relative --config/--artifact/--output paths are yours). With no argument it runs the main job: Validate on
# --env=local. Every argument goes to the suite: ./build.sh --help
set -euo pipefail
CALLER="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
DLL="$ROOT/build/bin/Release/net10.0/Build.dll"
# BUILD_READY_TO_RUN=1: a ReadyToRun publish instead (precompiled: less JIT at start-up; longer first build).
if [[ "${BUILD_READY_TO_RUN:-0}" == 1 ]]; then DLL="$ROOT/build/bin/ReadyToRun/Build.dll"; fi
NPM_STAMP="$ROOT/node_modules/.build-sh-package-lock.sha256"
say() { echo "build.sh: $*" >&2; }

npm_is_current() {
  [[ -d node_modules ]] || return 1
  local want; want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  [[ -f "$NPM_STAMP" && "$(cat "$NPM_STAMP")" == "$want" ]] && return 0
  # Installed by a plain `npm ci` (.ci/run does one): npm's own record is newer than the lock.
  if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
    echo "$want" > "$NPM_STAMP"; return 0
  fi
  return 1
}

set_up_npm() {
  [[ -f package-lock.json ]] || return 0
  npm_is_current && return 0
  if ! command -v npm >/dev/null 2>&1; then
    say "warning: npm is not installed, so node_modules (PM2, the Supabase CLI, embedded PostgreSQL) is missing or stale."
    say "         Install Node.js 20 with npm (Debian: apt-get install nodejs npm; or bash .ci/setup-deploy.sh), then run ./build.sh again."
    return 0
  fi
  if [[ -d node_modules ]]; then say "package-lock.json changed: npm ci..."; else say "first run: npm ci (PM2, the Supabase CLI, an embedded PostgreSQL; about a minute)..."; fi
  local started=$SECONDS
  if ! npm ci --no-audit --no-fund --loglevel=error >&2; then
    say "error: npm ci failed (see above). Fix it and run ./build.sh again."
    exit 1
  fi
  sha256sum package-lock.json | cut -d' ' -f1 > "$NPM_STAMP"
  say "npm ci done in $(( SECONDS - started )) s."
}

needs_build() {
  [[ ! -f "$DLL" ]] && return 0
  # Any source newer than the built assembly (the environment file is read at run time, not compiled in).
  [[ -n "$(find build global.json Directory.Build.props -path build/bin -prune -o -path build/obj -prune -o -type f \
        ! -name 'environments.json' -newer "$DLL" -print -quit 2>/dev/null)" ]]
}

build_suite() {
  needs_build || return 0
  if ! command -v dotnet >/dev/null 2>&1; then
    say "error: the .NET SDK is not installed. Install the version global.json names (https://dot.net/install), then run ./build.sh again."
    exit 1
  fi
  if [[ -f "$DLL" ]]; then say "build/ changed: building the release suite..."
  else say "first run: restoring and building the release suite (build/; about a minute on 2 cores)..."; fi
  local started=$SECONDS
  # Minimal verbosity: restore progress, every warning once, and the output path; no summary that repeats them.
  local how=(build build/Build.csproj -c Release)
  if [[ "${BUILD_READY_TO_RUN:-0}" == 1 ]]; then
    how=(publish build/Build.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$(dirname "$DLL")")
  fi
  if ! dotnet "${how[@]}" --nologo -v minimal "-clp:NoSummary" >&2; then
    say "error: build/Build.csproj did not compile (see above)."
    exit 1
  fi
  touch "$DLL"
  say "built in $(( SECONDS - started )) s."
}

set_up_npm
build_suite
cd "$CALLER"
# At a terminal (a developer, not CI or a script) the replay's scratch PostgreSQL stays warm between runs and replays
# only new migration files (docs/migrations.md); SCRATCH_WARM=0 turns it off, CleanLocal stops it.
if [[ -t 1 && -z "${CI:-}" ]]; then export SCRATCH_WARM="${SCRATCH_WARM:-1}"; fi
exec dotnet "$DLL" "$@"
