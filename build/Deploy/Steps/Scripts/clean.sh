# step clean (CleanInterrupted): under the lock, whatever an interrupted deploy left is garbage.
# Parameters: releases_dir uploads_dir.
rm -rf "$releases_dir"/.tmp-* "$uploads_dir"/*
