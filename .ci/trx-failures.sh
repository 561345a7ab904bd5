#!/usr/bin/env bash
# Lists the tests that did not pass in the .trx files given, the way build/Testing/TrxFailure.cs does for the Test
# target: "Failed tests (N):", then per test "<Outcome>: <Namespace.Class.Test>", the first 15 lines of its error
# message (each cut at 300 characters) and its first stack frame in our code (namespace Build). Prints nothing when
# every test passed or was skipped. .ci/run prints this just above its final count, so a log's tail names the failure.
# Passwords in URLs (scheme://user:password@) are masked, as the suite's console masks them.
set -uo pipefail
(( $# == 0 )) && exit 0
for f in "$@"; do sed 's/</\n</g' "$f"; echo "<TrxFileEnd/>"; done | awk -v max_lines=15 -v max_length=300 '
  function attr(tag, name,   v) {
    if (!match(tag, "[ \t]" name "=\"[^\"]*\"")) return ""
    v = substr(tag, RSTART, RLENGTH); sub(/^[ \t][^=]*="/, "", v); sub(/"$/, "", v)
    return v
  }
  function unescape(s) {
    gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
    gsub(/&#(xD|xd|13);/, "\r", s); gsub(/&#(xA|xa|10);/, "\n", s); gsub(/&#(x9|9);/, "\t", s)
    gsub(/&amp;/, "\\&", s)
    return s
  }
  function rtrim(s) { sub(/[ \t\r\n]+$/, "", s); return s }
  function cut(s) { return length(s) <= max_length ? s : substr(s, 1, max_length) " [...]" }
  # Splits text into lines[1..n] without trailing blanks and without empty lines at either end; returns n.
  function split_lines(text, lines,   raw, count, i, first, last, n) {
    gsub(/\r\n/, "\n", text); gsub(/\r/, "\n", text)
    count = split(text, raw, "\n"); first = 0; last = 0
    for (i = 1; i <= count; i++) { raw[i] = rtrim(raw[i]); if (raw[i] != "") { if (!first) first = i; last = i } }
    n = 0
    if (first) for (i = first; i <= last; i++) lines[++n] = raw[i]
    return n
  }
  function tag_only(line) { sub(/>.*/, "", line); return line }
  # Each test id is looked up in the file that holds its result.
  /^<TrxFileEnd\/>/ { file++; inner = 0; field = ""; current = 0; next }
  /^<InnerResults[ >]/ && !/\/>/ { inner++ }
  /^<\/InnerResults>/ { inner--; next }
  # Any tag ends the text being read: a message or stack trace is the text up to the next tag.
  /^</ { field = "" }
  /^<UnitTestResult[ >\/]/ && !inner {
    tag = tag_only($0); current = 0
    outcome = attr(tag, "outcome")
    if (outcome != "Passed" && outcome != "NotExecuted" && outcome != "Inconclusive" && outcome != "NotRunnable" \
        && outcome != "Pending") {
      current = ++failures; outcomes[current] = outcome
      ids[current] = file SUBSEP attr(tag, "testId"); names[current] = unescape(attr(tag, "testName"))
      messages[current] = ""; stacks[current] = ""
    }
    if (tag ~ /\/$/) current = 0
    next
  }
  /^<\/UnitTestResult>/ && !inner { current = 0; next }
  /^<UnitTest[ >]/ { definition = attr(tag_only($0), "id"); next }
  /^<TestMethod[ >\/]/ {
    if (definition != "") classes[file, definition] = unescape(attr(tag_only($0), "className"))
    next
  }
  /^<Message>/ && current && !inner { field = "message"; messages[current] = substr($0, 10); next }
  /^<StackTrace>/ && current && !inner { field = "stack"; stacks[current] = substr($0, 13); next }
  !/^</ && field == "message" { messages[current] = messages[current] "\n" $0; next }
  !/^</ && field == "stack" { stacks[current] = stacks[current] "\n" $0; next }
  END {
    if (!failures) exit
    print "Failed tests (" failures "):"
    for (i = 1; i <= failures; i++) {
      if (names[i] == "") names[i] = "(a test without a name)"
      name = (ids[i] in classes) ? classes[ids[i]] "." names[i] : names[i]
      print (outcomes[i] == "" ? "(no outcome)" : outcomes[i]) ": " name
      n = split_lines(unescape(messages[i]), lines)
      if (n == 0) print "    (no error message)"
      for (j = 1; j <= n && j <= max_lines; j++) print "    " cut(lines[j])
      if (n > max_lines) print "    ... (" n - max_lines " more lines in the .trx file)"
      n = split_lines(unescape(stacks[i]), frames)
      for (j = 1; j <= n; j++) {
        frame = frames[j]; sub(/^[ \t]+/, "", frame)
        if (substr(frame, 1, 9) == "at Build.") { print "    " cut(frame); break }
      }
      delete lines; delete frames
    }
  }' | sed -E 's|(\b[A-Za-z][A-Za-z0-9+.-]*://[^[:space:]:/?#@"<>'"'"']*:)[^[:space:]/?#@"<>'"'"']+@|\1***@|g'
