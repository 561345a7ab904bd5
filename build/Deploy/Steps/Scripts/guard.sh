# step guard (ReleaseLockOnFailure): if the script fails or its client vanishes, our lock (the token matches) is
# released on the host before the script ends, with what the run must not leave behind.
# Parameters: guard_lock guard_lock_info guard_token. Produces: cleanup_paths (steps add their partial files) and
# release_own_lock, remove_leftovers (its EXIT trap calls them).
release_own_lock() { if grep -qx "token=$guard_token" "$guard_lock_info" 2>/dev/null; then rm -rf "$guard_lock"; fi; }
cleanup_paths=()
remove_leftovers() { if (( ${#cleanup_paths[@]} )); then rm -rf -- "${cleanup_paths[@]}" 2>/dev/null || true; fi; }
trap 'exit 141' PIPE
trap 'exit 143' TERM HUP INT
trap 'status=$?; if [ "$status" -ne 0 ]; then remove_leftovers; release_own_lock; fi' EXIT
