# step colors (ReadColors): the live color and the other one, for RetireOldColor in a phase of its own.
# Parameters: live_color_file. Produces: color old_color.
color=$(cat "$live_color_file" 2>/dev/null || true)
case "$color" in blue) old_color=green ;; green) old_color=blue ;; *) old_color='' ;; esac
