# step current (SwitchCurrent): a new symlink under a temp name renamed over current (atomic); the release took traffic.
# Parameters: release current_link current_tmp went_live_marker release_name.
ln -sfn "$release" "$current_tmp"
mv -T "$current_tmp" "$current_link"
touch "$release/$went_live_marker"
echo "current -> $release_name"
