# step receive (ReceiveRelease): the artifact arrives on fd 3 (the one-shell deploy streams it after the script) and
# is unpacked as it arrives into the temp folder while sha256sum hashes the same bytes: no staged copy on the host, and
# the transfer and the unpack overlap. Nothing is kept unless the hash is the artifact's (the temp folder and the hash
# go with the phase's cleanup); UnpackRelease then checks the content and renames the folder into place.
# Parameters: release unpack artifact_name expected_sha256. Needs: cleanup_paths. Produces: received (the temp folder,
# once its checksum is the artifact's).
[ ! -e "$release" ] || fail "release $release already exists"
received_sum="$unpack.sha256"
cleanup_paths+=("$unpack" "$received_sum")
rm -rf "$unpack" "$received_sum" && mkdir -p "$unpack"
# The hash runs in a process substitution of this shell (so it can be waited for), fed by tee.
exec 4> >(sha256sum > "$received_sum")
sum_pid=$!
tee /dev/fd/4 <&3 | tar -xzf - -C "$unpack" --no-same-owner \
  || fail "unpacking $artifact_name into $unpack as it arrived failed (see above; on $(hostname), $(df -Pk "$unpack" | awk 'NR==2 { printf "%d MB free", $4/1024 }'))"
exec 4>&-
wait "$sum_pid" 2>/dev/null || true
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$received_sum" ] && break; sleep 0.1; done
actual=$(cut -d ' ' -f 1 < "$received_sum")
[ "$actual" = "$expected_sha256" ] || fail "checksum of the received $artifact_name is ${actual:-(none)}, expected $expected_sha256"
rm -f "$received_sum"
received=$unpack
