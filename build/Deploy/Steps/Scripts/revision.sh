# step revision (RecordRevision): one line in revisions.log: time, event, release, commit, who.
# Parameters: revision_event release_name release revision_by revisions_log.
printf '%s %s %s %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$revision_event" "$release_name" "$(manifest_commit "$release")" \
  "$revision_by" >> "$revisions_log"
