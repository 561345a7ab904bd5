#!/usr/bin/env bash
# Mutation testing of the safety-critical code with Stryker.NET (dotnet-stryker, pinned in .config/dotnet-tools.json).
# Each area mutates its own files and runs only the tests that speak for them; the score and the surviving mutants go
# to artifacts/mutation/<area>/ (HTML and JSON reports) and to stdout. Slow (minutes per area): not part of .ci/run.
#
#   bench/mutation.sh                 every area
#   bench/mutation.sh secrets pins    some areas: secrets validation pins lock migrations
#   CONCURRENCY=2 bench/mutation.sh   test processes in parallel (default 1: the suite starts real services)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NO_COLOR=1
# Stryker 5.1 ships a net8.0 vstest console; this machine has only the .NET 10 runtime.
export DOTNET_ROLL_FORWARD=Major

# area | files to mutate (globs relative to build/, space-separated) | tests that cover them (dotnet test --filter)
AREAS=(
  "secrets|Secrets/SecretMasker.cs Secrets/MaskingTextWriter.cs Secrets/DotEnvFile.cs Secrets/SecretStore.cs|FullyQualifiedName~Build.Tests.Validation|FullyQualifiedName~NotifierTests"
  "validation|Validation/SecretValidator.cs Validation/Jwt.cs Configuration/Rules.cs|FullyQualifiedName~Build.Tests.Validation"
  "pins|Deploy/HostKeyPins.cs|FullyQualifiedName~Host_key_pins|FullyQualifiedName~A_host_key_matches|FullyQualifiedName~A_host_without_its_own_pin|FullyQualifiedName~Each_host_is_checked_against_its_own_pin|FullyQualifiedName~A_host_key_that_does_not_match"
  "lock|Deploy/Steps/LockSteps.cs Deploy/Steps/SwitchSteps.cs Deploy/GoLive.cs|FullyQualifiedName~DeployStepsTests|FullyQualifiedName~DeployHostsTests"
  "migrations|Migrations/Database/MigrationRunner.cs Migrations/Database/MigrationHistoryCheck.cs Migrations/Database/SupabaseMigrationJournal.cs Migrations/Database/AdvisoryLock.cs|FullyQualifiedName~Build.Tests.Migrations.Database"
)

wanted=("$@")
selected() { (( ${#wanted[@]} == 0 )) && return 0; local a; for a in "${wanted[@]}"; do [[ "$a" == "$1" ]] && return 0; done; return 1; }
for a in "${wanted[@]}"; do
  printf '%s\n' "${AREAS[@]}" | cut -d'|' -f1 | grep -qx "$a" || { echo "error: unknown area '$a' (secrets validation pins lock migrations)" >&2; exit 2; }
done

dotnet tool restore >/dev/null
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error

summary=()
for entry in "${AREAS[@]}"; do
  IFS='|' read -r area files filter <<<"$entry"
  # The filter is everything after the second '|' (it contains '|' itself).
  filter="${entry#*|*|}"
  selected "$area" || continue
  out="$ROOT/artifacts/mutation/$area"
  rm -rf "$out"; mkdir -p "$out"
  args=(--project Build.csproj --output "$out" --concurrency "${CONCURRENCY:-1}" --reporter json --reporter html --reporter cleartext
        --reporter progress --test-case-filter "$filter" --skip-version-check --disable-bail)
  for f in $files; do args+=(--mutate "**/build/$f"); done
  echo "==> $area: $files"
  started=$(date +%s)
  (cd tests && dotnet stryker "${args[@]}") | tee "$out/stryker.log" | grep -vE '^\s*$' | grep -E 'Killed|Survived|score|Mutation|tests|error|Error' || true
  report=$(find "$out" -name 'mutation-report.json' | head -n1)
  if [[ -z "$report" ]]; then echo "error: $area: Stryker wrote no report (see $out/stryker.log)" >&2; summary+=("$area: no report"); continue; fi
  score=$(grep -o 'The final mutation score is [0-9.]* %' "$out/stryker.log" | tail -n1 | grep -o '[0-9.]*' || echo "?")
  summary+=("$area: ${score}% in $(( $(date +%s) - started )) s ($(date -u +%Y-%m-%d))")
done
echo
echo "Mutation scores (Stryker.NET $(dotnet tool list | awk '$1=="dotnet-stryker"{print $2}')):"
printf '  %s\n' "${summary[@]}"
