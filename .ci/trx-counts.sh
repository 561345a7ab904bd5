#!/usr/bin/env bash
# Prints "PASSED FAILED SKIPPED" for the .trx files given, counted from each result's outcome (the way
# build/Testing/TrxSummary.cs counts). The file's <Counters> element is not read: the NUnit adapter writes
# notExecuted="0" while results are NotExecuted (ignored tests). Outcomes: Passed is passed; NotExecuted,
# Inconclusive, NotRunnable and Pending are skipped; anything else (Failed, Error, Timeout, Aborted...) failed.
set -uo pipefail
passed=0 failed=0 skipped=0
for f in "$@"; do
  # One opening tag per line, then each <UnitTestResult ...> tag's outcome. Results nested in <InnerResults>
  # (data-driven parents; NUnit writes none) are left out, as TrxSummary does.
  while read -r outcome; do
    case "$outcome" in
      Passed) passed=$((passed + 1)) ;;
      NotExecuted|Inconclusive|NotRunnable|Pending) skipped=$((skipped + 1)) ;;
      *) failed=$((failed + 1)) ;;
    esac
  done < <(sed 's/</\n</g' "$f" | awk '
      /^<InnerResults[ >]/ && !/\/>/ { inner++ } /^<\/InnerResults>/ { inner-- }
      /^<UnitTestResult[ >\/]/ && !inner {
        sub(/>.*/, "")
        if (match($0, /[ \t]outcome="[^"]*"/)) {
          v = substr($0, RSTART, RLENGTH); sub(/^[ \t]outcome="/, "", v); sub(/"$/, "", v); print v
        }
        else print "missing"
      }')
done
echo "$passed $failed $skipped"
