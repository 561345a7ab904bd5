# step lock, with --break-lock: removes whatever lock is there first (the operator said its deploy is dead).
# Parameters: lock.
if [ -d "$lock" ]; then
  echo "breaking the deploy lock held by: $(tr '\n' ' ' < "$lock/info" 2>/dev/null)"
  rm -rf "$lock"
fi
