#!/usr/bin/env bash
# Runs the release suite: builds build/ only when its sources changed, then runs the built assembly directly
# (about 0.3 s warm, against ~3 s for `dotnet run`). Every argument goes to the suite: ./build.sh --help
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
DLL="$ROOT/build/bin/Release/net10.0/Build.dll"

needs_build() {
  [[ ! -f "$DLL" ]] && return 0
  # Any source newer than the built assembly (the environment file is read at run time, not compiled in).
  [[ -n "$(find build global.json -path build/bin -prune -o -path build/obj -prune -o -type f \
        ! -name 'environments.json' -newer "$DLL" -print -quit 2>/dev/null)" ]]
}

if needs_build; then
  echo "Building the release suite (build/ changed)..." >&2
  if ! dotnet build build/Build.csproj -c Release --nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2; then
    echo "error: build/Build.csproj did not compile (see above)" >&2
    exit 1
  fi
  touch "$DLL"
fi
exec dotnet "$DLL" "$@"
