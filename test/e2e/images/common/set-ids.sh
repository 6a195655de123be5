#!/bin/sh
# set-ids.sh NAME UID GID HOME: gives the user NAME (created if missing) the uid/gid the official
# image uses, moving any other user or group that holds those ids out of the way, and re-owning
# what the old ids owned. Debian assigns service uids at install time (redis 100, postgres 101);
# the official images pin them (999, 101), and the image knowledge states the official ones.
set -eu
name=$1 uid=$2 gid=$3 home=$4
holder=$(getent group "$gid" | cut -d: -f1 || true)
if [ -n "$holder" ] && [ "$holder" != "$name" ]; then
  groupmod -g $((gid + 20000)) "$holder"; find / -xdev -group "$gid" -exec chgrp -h $((gid + 20000)) '{}' +
fi
holder=$(getent passwd "$uid" | cut -d: -f1 || true)
if [ -n "$holder" ] && [ "$holder" != "$name" ]; then
  usermod -u $((uid + 20000)) "$holder"; find / -xdev -user "$uid" -exec chown -h $((uid + 20000)) '{}' +
fi
if getent group "$name" >/dev/null; then
  old=$(getent group "$name" | cut -d: -f3)
  [ "$old" = "$gid" ] || { groupmod -g "$gid" "$name"; find / -xdev -group "$old" -exec chgrp -h "$gid" '{}' + ; }
else
  groupadd -g "$gid" "$name"
fi
if getent passwd "$name" >/dev/null; then
  old=$(getent passwd "$name" | cut -d: -f3)
  [ "$old" = "$uid" ] || { usermod -u "$uid" -g "$gid" "$name"; find / -xdev -user "$old" -exec chown -h "$uid" '{}' + ; }
  usermod -d "$home" -g "$gid" "$name"
else
  useradd -u "$uid" -g "$gid" -d "$home" -s /usr/sbin/nologin -M "$name"
fi
