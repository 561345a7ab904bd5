# step shared (LinkShared): links shared/ files and folders into the release and pins the server actions key in
# shared/.env (generated on the host once, never sent over the wire).
# Parameters: shared_dir shared_env server_actions_key shared_files shared_dirs release.
mkdir -p "$shared_dir"
if [ ! -e "$shared_env" ]; then (umask 077; : > "$shared_env"); fi
if ! grep -q "^$server_actions_key=" "$shared_env"; then
  if [ -s "$shared_env" ] && [ -n "$(tail -c 1 "$shared_env")" ]; then echo >> "$shared_env"; fi
  printf '%s=%s\n' "$server_actions_key" "$(head -c 32 /dev/urandom | base64)" >> "$shared_env"
  echo "generated $server_actions_key in $shared_env"
fi
for dir in "${shared_dirs[@]}"; do mkdir -p "$shared_dir/$dir"; done
for file in "${shared_files[@]}"; do mkdir -p "$(dirname "$shared_dir/$file")" && touch "$shared_dir/$file"; done
for path in "${shared_files[@]}" "${shared_dirs[@]}"; do
  in_release="$release/$path"
  rm -rf "$in_release" && mkdir -p "$(dirname "$in_release")" && ln -s "$shared_dir/$path" "$in_release"
done
