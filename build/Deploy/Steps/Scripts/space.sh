# step space (CheckFreeSpace): room for the artifact, its unpacked release and a margin, or a failure saying so.
# Parameters: space_path needed_kb space_detail.
free_kb=$(df -Pk "$space_path" | awk 'NR==2 { print $4 }')
if [ -n "$free_kb" ] && (( free_kb < needed_kb )); then
  fail "not enough free space on $(hostname) in $space_path: $(( free_kb / 1024 )) MB free, $(( needed_kb / 1024 )) MB needed ($space_detail)"
fi
