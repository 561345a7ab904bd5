# step pm2-kill (StopPm2Daemon): stops the PM2 daemon of this deploy's PM2_HOME (the local rehearsal's own), and
# nothing else on the machine.
if [ -d "$pm2_home" ]; then pm2 kill; else echo "no PM2 daemon under $pm2_home"; fi
