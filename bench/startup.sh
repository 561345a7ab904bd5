#!/usr/bin/env bash
# Warm start of the suite to the end of --tree: ./build.sh (built assembly, run directly) against
# `dotnet run --project build` (the usual way to run a Cake.Frosting project). Prints means and the ratio.
# Needs hyperfine (Debian package). Goal: under 1 s warm.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }
./build.sh --tree >/dev/null            # build once so both sides are warm
dotnet build build/Build.csproj -c Release --nologo -v quiet >/dev/null
out=$(mktemp)
hyperfine --warmup 2 --runs "${RUNS:-10}" --export-json "$out" \
  -n build.sh './build.sh --tree' \
  -n 'dotnet run' 'dotnet run --project build -c Release --no-launch-profile -- --tree' >&2
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
  const ms = x => (x.mean * 1000).toFixed(0) + " ms";
  console.log(`build.sh --tree: ${ms(r[0])}; dotnet run --tree: ${ms(r[1])}; ratio ${(r[0].mean / r[1].mean).toFixed(2)} (goal: build.sh under 1000 ms)`);
' "$out"
rm -f "$out"
