#!/bin/sh
# Behaves like the official nginx image's entrypoint (written for this suite, not copied): when the
# command is nginx, run the /docker-entrypoint.d scripts, then exec the command.
set -e
if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
  for f in /docker-entrypoint.d/*.sh; do
    [ -x "$f" ] && { echo "$0: Launching $f"; "$f"; }
  done
  echo "$0: Configuration complete; ready for start up"
fi
exec "$@"
