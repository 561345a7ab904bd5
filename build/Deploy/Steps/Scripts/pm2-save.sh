# step pm2-save (SavePm2): a reboot resurrects what runs now (owner-only dump).
pm2_save
