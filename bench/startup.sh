#!/usr/bin/env bash
# Start-up of the suite, from one command, each figure a ratio against its peer:
#   cold   a fresh clone's first ./build.sh (NuGet restore from the local package cache, compile, Validate on
#          --env=local) against the bare `dotnet build build/Build.csproj -c Release` of another fresh clone (the floor:
#          compiling alone). npm ci is not in it: node_modules is linked from this checkout (it needs the network).
#   warm   ./build.sh --tree (built assembly, run directly) against `dotnet run --project build -- --tree` (the usual
#          way to run a Cake.Frosting project); goal: build.sh --tree under 0.3 s.
# Needs hyperfine (apt-get install hyperfine), git, and the .NET SDK. COLD_RUNS (default 1) fresh clones per side.
#
#   bench/startup.sh            # ~2-4 minutes on 2 cores
#   RUNS=20 bench/startup.sh    # more warm runs
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
command -v hyperfine >/dev/null \
  || { echo "bench/startup.sh: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NO_COLOR=1
WORK="$(mktemp -d /tmp/bench-startup.XXXXXX)"
chmod 755 "$WORK"   # the local cluster of Validate runs as the postgres user when run as root: it must reach the clone
trap 'rm -rf "$WORK"' EXIT

# --- cold: fresh clones of HEAD ---------------------------------------------------------------------------------------
cold_build_sh=() cold_floor=()
for i in $(seq 1 "${COLD_RUNS:-1}"); do
  for side in build_sh floor; do
    clone="$WORK/clone-$side-$i"
    git clone -q "$ROOT" "$clone"
    ln -s "$ROOT/node_modules" "$clone/node_modules"
    cp "$ROOT/node_modules/.build-sh-package-lock.sha256" "$clone/node_modules/" 2>/dev/null || true
    start=$(date +%s%N)
    if [[ $side == build_sh ]]; then
      (cd "$clone" && ./build.sh >"$WORK/cold-$i.log" 2>&1) \
        || { tail -30 "$WORK/cold-$i.log" >&2; echo "bench/startup.sh: the first ./build.sh failed" >&2; exit 1; }
      cold_build_sh+=("$(( ($(date +%s%N) - start) / 1000000 ))")
    else
      (cd "$clone" && dotnet build build/Build.csproj -c Release --nologo -v quiet >"$WORK/floor-$i.log" 2>&1) \
        || { tail -30 "$WORK/floor-$i.log" >&2; exit 1; }
      cold_floor+=("$(( ($(date +%s%N) - start) / 1000000 ))")
    fi
  done
done
median() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}
cold=$(median "${cold_build_sh[@]}"); floor=$(median "${cold_floor[@]}")

# --- warm -------------------------------------------------------------------------------------------------------------
./build.sh --tree >/dev/null            # build once so both sides are warm
dotnet build build/Build.csproj -c Release --nologo -v quiet >/dev/null
hyperfine --warmup 2 --runs "${RUNS:-10}" --export-json "$WORK/warm.json" \
  -n build.sh './build.sh --tree' \
  -n 'dotnet run' 'dotnet run --project build -c Release --no-launch-profile -- --tree' >&2
python3 - "$WORK/warm.json" "$cold" "$floor" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import json, sys, time
r = json.load(open(sys.argv[1]))["results"]
cold, floor, load = float(sys.argv[2]) / 1000, float(sys.argv[3]) / 1000, sys.argv[4]
print(f"Start-up, measured {time.strftime('%Y-%m-%d')} (load average {load}):")
print(f"  cold: first ./build.sh of a fresh clone (restore, compile, Validate) {cold:.1f} s; "
      f"bare dotnet build {floor:.1f} s; ratio {cold / floor:.2f}")
print(f"  warm: ./build.sh --tree {r[0]['mean'] * 1000:.0f} ms (median {r[0]['median'] * 1000:.0f} ms, "
      f"user CPU {r[0]['user'] * 1000:.0f} ms); "
      f"dotnet run --tree {r[1]['mean'] * 1000:.0f} ms; ratio {r[0]['mean'] / r[1]['mean']:.2f} "
      "(goal: build.sh --tree under 300 ms)")
PY
