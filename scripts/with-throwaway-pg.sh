#!/usr/bin/env bash
# Run a command against a private, throwaway PostgreSQL cluster (ICU Polish collation).
# Usage: bash scripts/with-throwaway-pg.sh uv run pytest
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
PGTMP=$(mktemp -d -t kis-pg.XXXXXX)
chown postgres:postgres "$PGTMP"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$PGTMP"; }
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 \
      --locale-provider=icu --icu-locale=pl-PL --locale=C.UTF-8 --no-sync >"$PGTMP/initdb.log"
as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w start \
      -o "-c listen_addresses='' -k $PGTMP -p $PORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
export PGHOST="$PGTMP" PGPORT="$PORT" PGUSER=postgres PGDATABASE=kis KIS_DB=postgres
as_pg "$PGBIN/createdb" -h "$PGTMP" -p "$PORT" -U postgres kis
"$@"
