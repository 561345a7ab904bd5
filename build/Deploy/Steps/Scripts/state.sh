# step state (ReadState): reports current, live_color, releases (oldest first), failed and went_live as ::out lines.
# Parameters: current_link live_color_file releases_dir release_pattern failed_marker went_live_marker.
if [ -L "$current_link" ]; then out current "$(basename "$(readlink "$current_link")")"; else out current ''; fi
out live_color "$(cat "$live_color_file" 2>/dev/null || true)"
releases=$(ls -1 "$releases_dir" | grep -E "$release_pattern" | sort || true)
# shellcheck disable=SC2086 # word splitting joins the names with single spaces
out releases "$(echo $releases)"
failed=''
went_live=''
for r in $releases; do
  if [ -e "$releases_dir/$r/$failed_marker" ]; then failed="$failed $r"; fi
  if [ -e "$releases_dir/$r/$went_live_marker" ]; then went_live="$went_live $r"; fi
done
# shellcheck disable=SC2086
out failed "$(echo $failed)"
# shellcheck disable=SC2086
out went_live "$(echo $went_live)"
