# shellcheck shell=bash
# PostgreSQL: Debian's server package, a throwaway cluster under .services/pg/data on
# 127.0.0.1:55432 (TCP only, no unix socket), run as the `postgres` OS user when we are
# root (PostgreSQL refuses to run as root).
#   app URL:   postgres://eventloom:eventloom@127.0.0.1:55432/eventloom   (role has CREATEDB)
#   admin URL: postgres://postgres:postgres@127.0.0.1:55432/postgres      (superuser)
# External: EVENTLOOM_PG_URL=postgres://...

PG_PORT=55432
PG_APP_URL="postgres://eventloom:eventloom@127.0.0.1:${PG_PORT}/eventloom"
PG_ADMIN_URL="postgres://postgres:postgres@127.0.0.1:${PG_PORT}/postgres"
PG_HOME="" # set by pg_home

# The variable names an external server, unless it is this script's own address (as after
# sourcing .services/env), which stays managed here.
pg_external() {
  if [[ -n ${EVENTLOOM_PG_URL:-} && $EVENTLOOM_PG_URL != "$PG_APP_URL" ]]; then printf '%s' "$EVENTLOOM_PG_URL"; fi
}
pg_url() { printf '%s' "$PG_APP_URL"; }
pg_pattern() { printf 'postgres'; }
pg_start_timeout() { echo 60; }
pg_env() {
  echo "EVENTLOOM_PG_URL=$1"
  [[ $1 == "$PG_APP_URL" ]] && echo "EVENTLOOM_PG_ADMIN_URL=$PG_ADMIN_URL"
  return 0
}

# Directory of the newest installed server binaries (initdb, pg_ctl, postgres), if any.
pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then echo "$d"; fi
  done | sort -t/ -k5,5n | tail -n1
}

pg_psql() {
  local bindir
  bindir=$(pg_bindir)
  if [[ -n $bindir && -x $bindir/psql ]]; then
    printf '%s' "$bindir/psql"
  elif have psql; then
    command -v psql
  fi
}

# Run a command as the postgres OS user when root; as ourselves otherwise.
pg_as_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Where the cluster lives: .services/pg, unless the postgres user cannot reach it (an
# ancestor folder without o+x, e.g. under /root); then a private folder under /var/tmp,
# symlinked from .services/pg.
pg_home() {
  if [[ -n $PG_HOME ]]; then
    printf '%s' "$PG_HOME"
    return
  fi
  PG_HOME="$SVC_DIR/pg"
  if [[ $EUID -eq 0 && ! -L $PG_HOME ]] && id postgres >/dev/null 2>&1; then
    if ! runuser -u postgres -- test -x "$SVC_DIR" 2>/dev/null; then
      local alt
      alt="/var/tmp/eventloom-services-$(printf '%s' "$SVC_DIR" | md5sum | cut -c1-12)/pg"
      warn "pg: user postgres cannot traverse $SVC_DIR; keeping the cluster in $alt (symlinked as $PG_HOME)"
      mkdir -p "$alt"
      if [[ -d $PG_HOME ]]; then rm -rf "$PG_HOME"; fi
      ln -sfn "$alt" "$PG_HOME"
    fi
  fi
  if [[ -L $PG_HOME ]]; then PG_HOME=$(readlink -f "$PG_HOME"); fi
  printf '%s' "$PG_HOME"
}

pg_prereqs() {
  if [[ -n $(pg_external) ]]; then
    [[ -n $(pg_psql) ]] || apt_install postgresql-client
    return 0
  fi
  if [[ -z $(pg_bindir) ]]; then
    apt_install postgresql
  fi
  [[ -n $(pg_bindir) ]] || die "pg: PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin after install"
  [[ -n $(pg_psql) ]] || apt_install postgresql-client
  if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "pg: running as root but there is no 'postgres' OS user (the Debian package creates it)"
    have runuser || die "pg: runuser (util-linux) is needed to run PostgreSQL as the postgres user"
  fi
}

pg_installed() { [[ -n $(pg_bindir) ]]; } # nothing to download: Debian package
pg_install() { :; }

pg_select1() {
  local psql
  psql=$(pg_psql)
  [[ -n $psql ]] || return 1
  [[ $(PGCONNECT_TIMEOUT=3 "$psql" "$1" -XAtqc 'SELECT 1' </dev/null 2>/dev/null) == 1 ]]
}

# External: SELECT 1 on that URL. Local: SELECT 1 as the app role, or as the superuser
# before pg_after_ready has created the app role.
pg_ready() {
  if [[ -n ${1:-} ]]; then
    pg_select1 "$1"
  else
    pg_select1 "$PG_APP_URL" || pg_select1 "$PG_ADMIN_URL"
  fi
}

# Initialise the cluster once (idempotent) and (re)write our settings file.
pg_init_cluster() {
  local home bindir data
  home=$(pg_home)
  bindir=$(pg_bindir)
  data="$home/data"
  mkdir -p "$home/log"
  if [[ $EUID -eq 0 ]]; then chown postgres: "$home" "$home/log"; fi
  if [[ -f $data/PG_VERSION ]]; then
    local have_ver want_ver
    have_ver=$(cat "$data/PG_VERSION")
    want_ver=$(basename "$(dirname "$bindir")")
    [[ $have_ver == "$want_ver" ]] ||
      die "pg: cluster in $data is PostgreSQL $have_ver but the installed server is $want_ver; delete $data (throwaway data) and run up again"
  else
    log "pg: initdb (PostgreSQL $(basename "$(dirname "$bindir")")) in $data"
    rm -rf "$data"
    mkdir -p "$data"
    local pwfile="$home/.pwfile"
    printf 'postgres\n' >"$pwfile"
    if [[ $EUID -eq 0 ]]; then chown -R postgres: "$data" "$pwfile"; fi
    chmod 700 "$data"
    if ! pg_as_owner "$bindir/initdb" -D "$data" -U postgres --pwfile="$pwfile" -E UTF8 --no-locale \
      --auth-host=scram-sha-256 --auth-local=scram-sha-256 >"$home/log/initdb.log" 2>&1; then
      rm -f "$pwfile"
      show_log_tail "$home/log/initdb.log"
      rm -rf "$data"
      die "pg: initdb failed (log: $home/log/initdb.log)"
    fi
    rm -f "$pwfile"
    printf "\n# Added by scripts/services.sh\ninclude_if_exists = 'eventloom.conf'\n" >>"$data/postgresql.conf"
  fi
  # Rewritten on every start so edits to this script take effect.
  cat >"$data/eventloom.conf" <<EOF
# Written by scripts/services.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 200
shared_buffers = 128MB
synchronous_commit = on
fsync = on
timezone = 'UTC'
log_timezone = 'UTC'
EOF
  if [[ $EUID -eq 0 ]]; then chown postgres: "$data/eventloom.conf"; fi
}

pg_start() {
  local home bindir data
  pg_init_cluster
  home=$(pg_home)
  bindir=$(pg_bindir)
  data="$home/data"
  # A postmaster from our own data folder that we lost track of: adopt it.
  local old
  old=$(read_pid "$data/postmaster.pid")
  if [[ -n $old ]] && pid_alive "$old" postgres; then
    log "pg: adopting running postmaster pid $old of $data"
    echo "$old" >"$SVC_DIR/pg/pid"
    return 0
  fi
  ensure_port_free pg "$PG_PORT" EVENTLOOM_PG_URL
  log "pg: starting on 127.0.0.1:$PG_PORT (data $data)"
  if ! pg_as_owner "$bindir/pg_ctl" -D "$data" -l "$home/log/server.log" -w -t 60 -s start \
    </dev/null >>"$home/log/pg_ctl.log" 2>&1 9>&-; then
    show_log_tail "$home/log/pg_ctl.log" 10
    show_log_tail "$home/log/server.log"
    die "pg: pg_ctl start failed (log: $home/log/server.log)"
  fi
  local pid
  pid=$(read_pid "$data/postmaster.pid")
  [[ -n $pid ]] || die "pg: started but $data/postmaster.pid is missing"
  echo "$pid" >"$SVC_DIR/pg/pid"
}

# Create the app role and database if missing (idempotent, one round trip).
pg_after_ready() {
  local psql
  psql=$(pg_psql)
  PGCONNECT_TIMEOUT=5 "$psql" "$PG_ADMIN_URL" -Xq -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || die "pg: could not create role/database eventloom"
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eventloom') THEN
    CREATE ROLE eventloom LOGIN CREATEDB PASSWORD 'eventloom';
  END IF;
END $$;
SELECT 'CREATE DATABASE eventloom OWNER eventloom' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'eventloom')\gexec
SQL
  pg_select1 "$PG_APP_URL" || die "pg: SELECT 1 as eventloom failed ($PG_APP_URL)"
}

pg_stop() {
  local pid home bindir
  pid=$(svc_pid pg)
  [[ -n $pid ]] || return 0
  home=$(pg_home)
  bindir=$(pg_bindir)
  if [[ -n $bindir && -f $home/data/postmaster.pid ]]; then
    pg_as_owner "$bindir/pg_ctl" -D "$home/data" -m fast -w -t 60 -s stop </dev/null >>"$home/log/pg_ctl.log" 2>&1 9>&- || true
  fi
  pid_alive "$pid" postgres && stop_pid pg "$pid" 30
  return 0
}
