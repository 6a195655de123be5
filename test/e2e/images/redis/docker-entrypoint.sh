#!/bin/sh
# Behaves like the official redis image's entrypoint (written for this suite, not copied): as root it
# re-owns what is not redis's in the working directory (/data) and drops to redis; started as any
# other user it runs redis-server directly. Without a config file, protected mode is off (the official
# build's default), so clients on the container's networks can connect.
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec gosu redis "$0" "$@"
fi
if [ "$1" = redis-server ]; then
  case "${2:-}" in *.conf) ;; *) shift; set -- redis-server --protected-mode no "$@" ;; esac
fi
um=$(umask)
[ "$um" = 0022 ] && umask 0077
exec "$@"
