# step mark-failed (MarkFailed): a check failed after the release went live; it is never a default rollback target.
# Parameters: mark_release_dir mark_release mark_reason. Needs: mark_failed.
if [ -d "$mark_release_dir" ]; then
  mark_failed "$mark_release" "$mark_reason"
  echo "marked $mark_release failed: $mark_reason"
fi
