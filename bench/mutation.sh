#!/usr/bin/env bash
# Mutation testing of the safety-critical code with Stryker.NET (dotnet-stryker, pinned in .config/dotnet-tools.json).
# Each area mutates its own files and runs only the tests that speak for them; the score, the mutant counts and the
# surviving mutants go to artifacts/mutation/<area>/ (JSON report, Stryker's log, survivors.txt) and to stdout.
# Slow (Stryker compiles every mutant of the project, then tests the area's: 20-40 minutes per area on 2 loaded
# cores): not part of .ci/run.
#
#   bench/mutation.sh                 every area
#   bench/mutation.sh secrets pins    some areas: secrets validation pins lock migrations
#   CONCURRENCY=2 bench/mutation.sh   test sessions in parallel (default 1)
#   SCRATCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres bench/mutation.sh migrations
#                                     one PostgreSQL for every test session (else each session starts its own)
#
# Stryker runs in a copy of the working tree (tracked and untracked, not ignored files) under a temp folder: it
# writes the mutated Build.dll into the test project's output, which must not be this checkout's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NO_COLOR=1
# Stryker 5.1 ships a net8.0 vstest console; this machine has only the .NET 10 runtime.
export DOTNET_ROLL_FORWARD=Major

# area | files to mutate (relative to build/, space-separated) | tests that cover them (dotnet test --filter)
# The filters name the tests that exercise the files and run without a full deploy environment: a test that starts
# the whole suite for another purpose only slows every mutant down (Stryker runs each test covering a mutant).
AREAS=(
  "secrets|"\
"Secrets/SecretMasker.cs Secrets/MaskingTextWriter.cs Secrets/DotEnvFile.cs Secrets/SecretStore.cs|"\
"FullyQualifiedName~SecretMaskerTests|FullyQualifiedName~SecretStoreTests|"\
"FullyQualifiedName~MaskingTextWriterTests|FullyQualifiedName~SecretMaskingChoiceTests|"\
"FullyQualifiedName~Validation.MaskingTests|FullyQualifiedName~DotEnvFileTests"
  "validation|"\
"Validation/SecretValidator.cs Validation/Jwt.cs Configuration/Rules.cs|"\
"FullyQualifiedName~SecretValidatorTests|FullyQualifiedName~JwtAndRulesTests|"\
"FullyQualifiedName~ValidateTargetTests|FullyQualifiedName~DatabaseUrlStrictTests|"\
"FullyQualifiedName~The_host_key_algorithms_the_loader_accepts_are_ssh_nets_and_the_schemas|"\
"FullyQualifiedName~A_host_entry_splits_into_the_host_and_port_validation_accepted"
  "pins|"\
"Deploy/HostKeyPins.cs|"\
"FullyQualifiedName~Host_key_pins|FullyQualifiedName~A_host_key_matches|"\
"FullyQualifiedName~A_host_without_its_own_pin|"\
"FullyQualifiedName~Each_host_is_checked_against_its_own_pin|"\
"FullyQualifiedName~A_host_key_that_does_not_match"
  "lock|"\
"Deploy/Steps/AcquireLock.cs Deploy/Steps/HoldLock.cs Deploy/Steps/ReleaseLock.cs "\
"Deploy/Steps/ReleaseLockOnFailure.cs Deploy/Steps/SwitchNginx.cs Deploy/Steps/SwitchCurrent.cs "\
"Deploy/GoLive.cs|"\
"FullyQualifiedName~DeployStepsTests|"\
"FullyQualifiedName~A_deploy_whose_client_vanished_while_waiting_for_the_lock_never_takes_it"
  "migrations|"\
"Migrations/Database/MigrationHistoryCheck.cs Migrations/Database/UnifiedDiff.cs "\
"Migrations/Database/SupabaseMigrationJournal.cs Migrations/Database/AdvisoryLock.cs|"\
"FullyQualifiedName~MigrationHistoryCheckTests|FullyQualifiedName~DatabaseCheckTests|"\
"FullyQualifiedName~Build.Tests.Migrations.DatabaseRunner|FullyQualifiedName~DatabaseRollbackAndStatusTests"
)

wanted=("$@")
selected() {
  (( ${#wanted[@]} == 0 )) && return 0
  local a; for a in "${wanted[@]}"; do [[ "$a" == "$1" ]] && return 0; done; return 1
}
for a in "${wanted[@]}"; do
  printf '%s\n' "${AREAS[@]}" | cut -d'|' -f1 | grep -qx "$a" \
    || { echo "error: unknown area '$a' (secrets validation pins lock migrations)" >&2; exit 2; }
done
for entry in "${AREAS[@]}"; do
  IFS='|' read -r area files _ <<<"$entry"
  selected "$area" || continue
  for f in $files; do
    [[ -f "build/$f" ]] \
      || { echo "error: $area: build/$f does not exist (moved? fix AREAS in bench/mutation.sh)" >&2; exit 2; }
  done
done

dotnet tool restore >/dev/null
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
stryker_version=$(dotnet tool list | awk '$1=="dotnet-stryker"{print $2}')

work=$(mktemp -d "${TMPDIR:-/tmp}/mutation.XXXXXX")
trap 'rm -rf "$work"' EXIT

summary=()
for entry in "${AREAS[@]}"; do
  IFS='|' read -r area files _ <<<"$entry"
  # The filter is everything after the second '|' (it contains '|' itself).
  filter="${entry#*|*|}"
  selected "$area" || continue
  out="$ROOT/artifacts/mutation/$area"
  rm -rf "$out"; mkdir -p "$out"
  copy="$work/$area"; mkdir -p "$copy"
  git ls-files -z -co --exclude-standard | grep -zv '^node_modules' | tar --null -T - -cf - | tar -xf - -C "$copy"
  ln -s "$ROOT/node_modules" "$copy/node_modules"
  args=(--project Build.csproj --output "$out" --concurrency "${CONCURRENCY:-1}" --reporter json --reporter cleartext
        --test-case-filter "$filter" --skip-version-check --disable-bail)
  for f in $files; do args+=(--mutate "**/build/$f"); done
  echo "==> $area: $files"
  echo "    (cd tests && dotnet stryker ${args[*]})"
  started=$(date +%s)
  (cd "$copy/tests" && dotnet stryker "${args[@]}") > "$out/stryker.log" 2>&1 || true
  report=$(find "$out" -name 'mutation-report.json' | head -n1)
  if [[ -z "$report" ]]; then
    echo "error: $area: Stryker wrote no report (see $out/stryker.log)" >&2; summary+=("$area: no report"); continue
  fi
  # Score as Stryker counts it: detected (killed, timeout) / (detected + survived + no coverage); compile errors and
  # ignored mutants are not counted.
  jq -r '[.files[].mutants[].status] | group_by(.) | map("\(.[0])=\(length)") | join(" ")' "$report" > "$out/counts.txt"
  jq -r '.files | to_entries[] | .key as $f | .value.source as $src | .value.mutants[]
         | select(.status == "Survived" or .status == "NoCoverage")
         | "\($f | sub(".*/build/"; "build/")):\(.location.start.line): \(.status) \(.mutatorName): "
           + "\(.replacement // "" | gsub("\n"; " ") | .[0:120])"' \
     "$report" > "$out/survivors.txt"
  score=$(grep -o 'The final mutation score is [0-9.]* %' "$out/stryker.log" | tail -n1 | grep -o '[0-9.]*' || echo "?")
  summary+=("$area: ${score}% ($(cat "$out/counts.txt")) in $(( $(date +%s) - started )) s, $(date -u +%Y-%m-%d)")
  echo "    ${summary[-1]}"
  sed 's/^/    /' "$out/survivors.txt"
done
echo
echo "Mutation scores (Stryker.NET $stryker_version):"
printf '  %s\n' "${summary[@]}"
