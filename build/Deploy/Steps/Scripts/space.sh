# step space (CheckFreeSpace): room for the artifact, its unpacked release and a margin, or a failure saying so.
# Releases an earlier deploy pruned may still be being deleted in the background: when the room is short and some are
# left, that deletion is waited for (its lock is on its log) and what remains of them deleted, before measuring again.
# Parameters: space_path needed_kb space_detail pruned_prefix prune_log.
free_kb=$(df -Pk "$space_path" | awk 'NR==2 { print $4 }')
if [ -n "$free_kb" ] && (( free_kb < needed_kb )) && compgen -G "$pruned_prefix*" >/dev/null; then
  echo "waiting for the deletion of pruned releases (only $(( free_kb / 1024 )) MB free)"
  if command -v flock >/dev/null 2>&1 && [ -e "$prune_log" ]; then flock "$prune_log" true || true; fi
  rm -rf -- "$pruned_prefix"*
  free_kb=$(df -Pk "$space_path" | awk 'NR==2 { print $4 }')
fi
if [ -n "$free_kb" ] && (( free_kb < needed_kb )); then
  fail "not enough free space on $(hostname) in $space_path: $(( free_kb / 1024 )) MB free, $(( needed_kb / 1024 )) MB needed ($space_detail)"
fi
