# step unlock (ReleaseLock): only a lock that is still ours (the token matches), never someone else's.
# Parameters: unlock_lock unlock_lock_info unlock_token unlock_leftovers (paths of this run to remove with it).
if grep -qx "token=$unlock_token" "$unlock_lock_info" 2>/dev/null; then
  if (( ${#unlock_leftovers[@]} )); then rm -rf -- "${unlock_leftovers[@]}"; fi
  rm -rf "$unlock_lock"
fi
