#!/usr/bin/env bash
# Behaves like the official postgres image's entrypoint (written for this suite, not copied):
# as root it prepares PGDATA and the socket dir and re-executes itself as postgres; as any other
# user it skips that; on an empty PGDATA it runs initdb with the superuser password from
# POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE, creates POSTGRES_DB and runs the init scripts.
set -Eeo pipefail

file_env() {
  local var=$1 def=${2:-} fvar="${1}_FILE" val
  if [ -n "${!var:-}" ] && [ -n "${!fvar:-}" ]; then
    echo >&2 "error: both $var and $fvar are set (but are exclusive)"; exit 1
  fi
  val=$def
  if [ -n "${!var:-}" ]; then val=${!var}
  elif [ -n "${!fvar:-}" ]; then val=$(< "${!fvar}")
  fi
  export "$var"="$val"
  unset "$fvar"
}

if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi

if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chmod 00700 "$PGDATA" || :
  find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
  mkdir -p /var/run/postgresql || :
  chmod 03775 /var/run/postgresql || :
  find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
  exec gosu postgres "$BASH_SOURCE" "$@"
fi

if [ "$1" = postgres ]; then
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "$POSTGRES_PASSWORD" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
      echo >&2 'Error: Database is uninitialized and superuser password is not specified.'
      echo >&2 '       You must specify POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a non-empty value.'
      exit 1
    fi
    # a plain create (not touch, whose utimensat the official entrypoint never calls)
    if ! : 2>/dev/null > "$PGDATA/.e2e-write-test"; then
      echo >&2 "error: $PGDATA is not writable by uid $(id -u): $( { : > "$PGDATA/.e2e-write-test"; } 2>&1)"; exit 1
    fi
    rm -f "$PGDATA/.e2e-write-test"
    initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS -D "$PGDATA" >/dev/null
    printf "listen_addresses = '*'\n" >> "$PGDATA/postgresql.conf"
    printf 'host all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start >/dev/null
    export PGPASSWORD=$POSTGRES_PASSWORD
    if [ "$POSTGRES_DB" != postgres ]; then
      psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --dbname postgres -q \
        -c "CREATE DATABASE \"$POSTGRES_DB\""
    fi
    for f in /docker-entrypoint-initdb.d/*; do
      case "$f" in
        *.sh) echo "running $f"; . "$f" ;;
        *.sql) echo "running $f"; psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --dbname "$POSTGRES_DB" -q -f "$f" ;;
      esac
    done
    unset PGPASSWORD
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo 'PostgreSQL init process complete; ready for start up.'
  fi
fi

exec "$@"
