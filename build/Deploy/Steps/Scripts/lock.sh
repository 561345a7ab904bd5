# step lock (AcquireLock): takes the host's deploy lock. mkdir is atomic: of two deploys exactly one creates it.
# Parameters: base_path releases_dir shared_dir uploads_dir lock lock_wait_seconds lock_held_exit_code
#   lock_who lock_commit lock_since lock_token.
# Produces: lock lock_taken lock_held, which the EXIT trap reads: a lock taken and not held (HoldLock sets lock_held
# once the phase is through) is given back.
# A deploy whose client vanished while it waited (a cancelled CI job: the connection closes, no signal reaches the
# script) must not take the lock later and keep it: the wait writes a liveness line every 2 s, a write to a closed
# connection raises SIGPIPE, whose trap exits (a trapped exit, unlike death by the signal, runs the EXIT trap).
mkdir -p "$base_path" "$releases_dir" "$shared_dir" "$uploads_dir"
trap 'exit 141' PIPE
lock_taken=''
lock_held=''
trap 'if [ -n "$lock_taken" ] && [ -z "$lock_held" ]; then rm -rf "$lock"; fi' EXIT
trap 'exit 143' TERM HUP INT
lock_deadline=$(( SECONDS + lock_wait_seconds ))
lock_waiting=''
lock_freed=''
until mkdir "$lock" 2>/dev/null; do
  # No lock there, and still mkdir failed: not another deploy but the file system (full). Nothing runs without the
  # lock, so what interrupted runs left (uploads, half-unpacked releases) is garbage: free it once.
  if [ ! -e "$lock" ]; then
    if [ -z "$lock_freed" ]; then
      lock_freed=1; rm -rf "$releases_dir"/.tmp-* "$uploads_dir"/*; continue
    fi
    fail "cannot create the deploy lock $lock on $(hostname): $(mkdir "$lock" 2>&1 | sed 's/^mkdir: //') ($(df -Pk "$(dirname "$lock")" | awk 'NR==2 { printf "%d MB free", $4/1024 }'))"
  fi
  holder=$(tr '\n' ' ' < "$lock/info" 2>/dev/null || true)
  if (( SECONDS >= lock_deadline )); then
    fail_with "$lock_held_exit_code" "deploy lock $lock is held by: $holder(use --break-lock if that deploy is dead)"
  fi
  if [ -z "$lock_waiting" ]; then echo "waiting for the deploy lock held by: $holder"; lock_waiting=1; fi
  if (( SECONDS % 2 == 0 )); then alive; fi
  sleep 1
done
lock_taken=1
# Ours now: what an interrupted run left (uploads, half-unpacked releases) is garbage, and goes before the lock's own
# info file needs a block of a disk those leftovers may have filled.
rm -rf "$releases_dir"/.tmp-* "$uploads_dir"/*
# Written to a temp file and renamed, so a waiting deploy never reads half of it.
printf '%s\n' "who=$lock_who" "commit=$lock_commit" "since=$lock_since" "token=$lock_token" > "$lock/info.tmp" 2>/dev/null \
  || fail "cannot write the deploy lock's info $lock/info on $(hostname): $(df -Pk "$lock" | awk 'NR==2 { printf "%d MB free", $4/1024 }')"
mv -f "$lock/info.tmp" "$lock/info"
