# step prune (PruneReleases): keeps the newest $keep releases that served traffic and did not fail, the live and the
# previous one, and the newest failed one for inspection. The rest is renamed out of the release names (instant: a
# renamed folder is no release any more, for rollback or a later prune) and deleted in the background, after the
# deploy reports: an rm -rf of a large release takes seconds. The background job takes a lock on its log first, so
# prunes of later deploys wait for it and never race it, and it deletes every renamed folder it finds (those of a
# prune that was killed too). The live and the previous release are never renamed.
# Parameters: releases_dir release_pattern failed_marker went_live_marker keep live_release previous_release
#   pruned_prefix prune_log.
served=0
failed_kept=''
pruned=''
for old in $(ls -1 "$releases_dir" | grep -E "$release_pattern" | sort -r || true); do
  case "$old" in "$live_release"|"$previous_release") served=$(( served + 1 )); continue ;; esac
  if [ -e "$releases_dir/$old/$failed_marker" ]; then
    if [ -z "$failed_kept" ]; then failed_kept=$old; continue; fi
  elif [ -e "$releases_dir/$old/$went_live_marker" ] && (( served < keep )); then
    served=$(( served + 1 ))
    continue
  fi
  # Housekeeping after the switch: a release that cannot be renamed stays (the next prune tries again); the
  # deploy, already live, does not fail over it.
  if mv -T "$releases_dir/$old" "$pruned_prefix$old"; then
    echo "pruned old release $old (deleted in the background; see $prune_log)"
    pruned=1
  else
    echo "WARNING: could not move old release $old aside for deletion; it stays until the next prune"
  fi
done
if [ -n "$pruned" ] || compgen -G "$pruned_prefix*" >/dev/null; then
  # Detached from the phase: no descriptor of the connection stays open (the deploy's channel closes at once), a
  # hang-up does not stop it, and it never runs the phase's EXIT trap.
  (
    trap - EXIT
    trap '' HUP
    set +e
    exec </dev/null >>"$prune_log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
    if command -v flock >/dev/null 2>&1; then flock 1; fi
    for dir in "$pruned_prefix"*; do
      [ -e "$dir" ] || continue
      if rm -rf -- "$dir"; then echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) deleted ${dir##*/}"; fi
    done
  ) &
fi
