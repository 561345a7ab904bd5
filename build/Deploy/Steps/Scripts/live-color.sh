# step live-color (RecordLiveColor): which color takes traffic now. Parameters: live_color_file. Needs: color.
printf '%s\n' "$color" > "$live_color_file.tmp" && mv -f "$live_color_file.tmp" "$live_color_file"
