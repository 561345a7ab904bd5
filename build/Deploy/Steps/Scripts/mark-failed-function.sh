# step mark-failed-function (DefineMarkFailed): defines mark_failed <release> <reason>: a marker with the reason in
# the release folder (rollback skips it) and a line in revisions.log.
# Parameters: failed_releases_dir failed_marker failed_revisions_log failed_by. Produces: mark_failed.
mark_failed() {
  printf '%s\n' "$2" > "$failed_releases_dir/$1/$failed_marker" || true
  printf '%s failed %s %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$(manifest_commit "$failed_releases_dir/$1")" "$failed_by" \
    >> "$failed_revisions_log"
}
