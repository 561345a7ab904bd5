# step unpack (UnpackRelease): into a temp folder, checked, then renamed: a release exists whole or not at all.
# Parameters: upload upload_name release unpack expected_manifest_commit entry received (the temp folder was filled
# by the receive step from the streamed artifact: only the checks and the rename are left). Needs: cleanup_paths.
if [ -z "$received" ]; then
  [ ! -e "$release" ] || fail "release $release already exists"
  cleanup_paths+=("$unpack")
  rm -rf "$unpack" && mkdir -p "$unpack"
  tar -xzf "$upload" -C "$unpack" --no-same-owner \
    || fail "unpacking $upload_name into $unpack failed (see above; on $(hostname), $(df -Pk "$unpack" | awk 'NR==2 { printf "%d MB free", $4/1024 }'))"
fi
# A symlink that leads out of the release (server.js -> /elsewhere) would run or serve foreign files: refused.
unpack_real=$(readlink -f "$unpack")
while IFS= read -r -d '' link; do
  resolved=$(readlink -m -- "$link")
  case "$resolved" in
    "$unpack_real"|"$unpack_real"/*) ;;
    *) fail "the artifact entry ${link#"$unpack"/} is a symlink to $(readlink -- "$link"), outside the release: refused" ;;
  esac
done < <(find "$unpack" -type l -print0)
[ -f "$unpack/manifest.json" ] || fail "the artifact has no manifest.json at its root"
[ "$(manifest_commit "$unpack")" = "$expected_manifest_commit" ] \
  || fail "manifest.json commit is $(manifest_commit "$unpack"), expected $expected_manifest_commit"
[ -f "$unpack/$entry" ] || fail "the artifact has no $entry"
mv -T "$unpack" "$release"
if [ -z "$received" ]; then rm -f "$upload"; fi
echo "unpacked $release"
