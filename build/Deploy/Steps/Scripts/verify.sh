# step verify (VerifyUpload): a truncated or altered upload is never unpacked.
# Parameters: upload upload_sha256. Needs: cleanup_paths.
cleanup_paths+=("$upload")
[ -f "$upload" ] || fail "upload $upload is missing"
actual=$(sha256sum "$upload" | cut -d ' ' -f 1)
[ "$actual" = "$upload_sha256" ] || fail "checksum of $upload is $actual, expected $upload_sha256"
