# step hold (HoldLock): the phase is through, the lock outlives the script. Needs: lock_held.
lock_held=1
