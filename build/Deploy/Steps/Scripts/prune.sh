# step prune (PruneReleases): keeps the newest $keep releases that served traffic and did not fail, the live and the
# previous one, and the newest failed one for inspection; deletes the rest.
# Parameters: releases_dir release_pattern failed_marker went_live_marker keep live_release previous_release.
served=0
failed_kept=''
for old in $(ls -1 "$releases_dir" | grep -E "$release_pattern" | sort -r || true); do
  case "$old" in "$live_release"|"$previous_release") served=$(( served + 1 )); continue ;; esac
  if [ -e "$releases_dir/$old/$failed_marker" ]; then
    if [ -z "$failed_kept" ]; then failed_kept=$old; continue; fi
  elif [ -e "$releases_dir/$old/$went_live_marker" ] && (( served < keep )); then
    served=$(( served + 1 ))
    continue
  fi
  rm -rf "${releases_dir:?}/$old"
  echo "removed old release $old"
done
