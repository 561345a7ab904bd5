# step unpack (UnpackRelease): the temp folder the receive step filled from the streamed artifact is checked, then
# renamed: a release exists whole or not at all (until the rename, the phase's cleanup removes the temp folder).
# Parameters: release expected_manifest_commit entry. Needs: received (that temp folder, its checksum checked).
# A symlink that leads out of the release (server.js -> /elsewhere) would run or serve foreign files: refused.
received_real=$(readlink -f "$received")
while IFS= read -r -d '' link; do
  resolved=$(readlink -m -- "$link")
  case "$resolved" in
    "$received_real"|"$received_real"/*) ;;
    *) fail "the artifact entry ${link#"$received"/} is a symlink to $(readlink -- "$link"), outside the release: refused" ;;
  esac
done < <(find "$received" -type l -print0)
[ -f "$received/manifest.json" ] || fail "the artifact has no manifest.json at its root"
[ "$(manifest_commit "$received")" = "$expected_manifest_commit" ] \
  || fail "manifest.json commit is $(manifest_commit "$received"), expected $expected_manifest_commit"
[ -f "$received/$entry" ] || fail "the artifact has no $entry"
mv -T "$received" "$release"
echo "unpacked $release"
