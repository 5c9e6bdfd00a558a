# shellcheck shell=bash
# shellcheck disable=SC2016 # single-quoted bash -c programs get their values as arguments
# Shared helpers for scripts/services.sh. Sourced, never run directly.
#
# Conventions for each server NAME (pg, nats, kafka, moto), in scripts/services/NAME.sh:
#   NAME_external      prints the external address from the environment, or nothing
#   NAME_prereqs       installs system packages it needs (apt); runs sequentially
#   NAME_installed     true when the cached download/build under .services/ is complete
#   NAME_install       downloads/builds into .services/ (may run in parallel with others)
#   NAME_start         starts the server detached; writes .services/NAME/pid
#   NAME_ready [addr]  one REAL request against the server (or the external addr)
#   NAME_after_ready   optional: one-time setup once ready (pg creates its role/db)
#   NAME_stop          stops the server it started (pid from .services/NAME/pid)
#   NAME_pattern       a string found in the server's command line (guards against pid reuse)
#   NAME_url           the address written to .services/env
#   NAME_env           lines for .services/env (given the address)
#   NAME_start_timeout seconds to wait for readiness after a start

SERVICES_ALL=(pg nats kafka moto)
# Start order: slowest boot first so boots overlap.
# shellcheck disable=SC2034 # used by services.sh
SERVICES_START_ORDER=(kafka moto nats pg)

SVC_T0=${SVC_T0:-$SECONDS}
SVC_APT_UPDATED=0

log() { printf '[services %4ss] %s\n' "$((SECONDS - SVC_T0))" "$*"; }
warn() { printf '[services %4ss] WARNING: %s\n' "$((SECONDS - SVC_T0))" "$*" >&2; }
die() {
  printf '[services %4ss] ERROR: %s\n' "$((SECONDS - SVC_T0))" "$*" >&2
  exit 1
}

svc_log() { printf '%s/%s/log/server.log' "$SVC_DIR" "$1"; }
svc_install_log() { printf '%s/%s/log/install.log' "$SVC_DIR" "$1"; }

# Print the last lines of a log file to stderr, indented.
show_log_tail() {
  local file=$1 n=${2:-25}
  if [[ -s $file ]]; then
    printf '  --- last %s lines of %s ---\n' "$n" "$file" >&2
    tail -n "$n" "$file" | sed 's/^/  | /' >&2
  fi
}

have() { command -v "$1" >/dev/null 2>&1; }

# apt-get install, with one `apt-get update` per run. Needs root (or passwordless sudo).
apt_install() {
  local sudo=()
  if [[ $EUID -ne 0 ]]; then
    if have sudo && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      die "need to install Debian packages ($*) but not root and no passwordless sudo; install them by hand"
    fi
  fi
  have apt-get || die "need Debian packages ($*) but apt-get is missing; install them by hand"
  if [[ $SVC_APT_UPDATED -eq 0 ]]; then
    log "apt: updating package lists"
    "${sudo[@]}" apt-get update -qq </dev/null >/dev/null || die "apt-get update failed"
    SVC_APT_UPDATED=1
  fi
  log "apt: installing $*"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null ||
    die "apt-get install $* failed"
}

ensure_curl() { have curl || apt_install curl ca-certificates; }

# True if pid is a live (non-zombie) process whose command line contains pattern.
pid_alive() {
  local pid=$1 pattern=${2:-}
  [[ -n $pid && -r /proc/$pid/stat ]] || return 1
  local state
  state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ $state != Z && $state != X ]] || return 1
  [[ -z $pattern ]] && return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

read_pid() {
  local f=$1
  [[ -s $f ]] || return 0
  head -n1 "$f" | tr -dc '0-9'
}

# pid of the server NAME that this script started, if it is still alive.
svc_pid() {
  local name=$1 pid
  pid=$(read_pid "$SVC_DIR/$name/pid")
  if [[ -n $pid ]] && pid_alive "$pid" "$("${name}_pattern")"; then
    printf '%s' "$pid"
  fi
}

# True if something accepts TCP connections on host:port.
port_open() {
  local host=$1 port=$2
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null
}

# Refuse to start when a port is taken by a process this script did not start.
ensure_port_free() {
  local name=$1 port=$2 envvar=$3
  if port_open 127.0.0.1 "$port"; then
    local who=""
    if have ss; then who=$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'users:.*' | head -n1 || true); fi
    die "$name: port $port on 127.0.0.1 is already in use by a process not started by this script ${who:+($who)}; stop it, or set $envvar to use an existing server"
  fi
}

# Start a command detached from this script (own session, no stdin, output to logfile),
# writing its pid (the pid of the exec'd server itself) to pidfile.
detach() {
  local pidfile=$1 logfile=$2
  shift 2
  rm -f "$pidfile"
  mkdir -p "$(dirname "$logfile")"
  # 9>&- : do not leak the lock file descriptor into the long-lived server.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 9>&- &
  local _
  for _ in $(seq 1 100); do
    [[ -s $pidfile ]] && return 0
    sleep 0.05
  done
  die "could not launch: $*"
}

# Send SIGTERM, wait up to timeout seconds, then SIGKILL.
stop_pid() {
  local name=$1 pid=$2 timeout=${3:-30}
  kill -TERM "$pid" 2>/dev/null || return 0
  kill -CONT "$pid" 2>/dev/null || true # a stopped (SIGSTOP) process would never see the TERM
  local waited=0
  while pid_alive "$pid"; do
    if ((waited >= timeout * 10)); then
      warn "$name: pid $pid did not stop after ${timeout}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# Wait until each NAME answers a real request, polling all of them in turn; fail early when
# a server process dies or exceeds its NAME_start_timeout.
wait_all_ready() {
  local start=$SECONDS next=10 n pending=("$@") still
  while ((${#pending[@]})); do
    still=()
    for n in "${pending[@]}"; do
      if "${n}_ready" 2>/dev/null; then
        log "$n: answering after $((SECONDS - start))s (pid $(svc_pid "$n"))"
        continue
      fi
      if [[ -z $(svc_pid "$n") ]]; then
        show_log_tail "$(svc_log "$n")"
        die "$n: server process exited during startup (log: $(svc_log "$n"))"
      fi
      if ((SECONDS - start >= $("${n}_start_timeout"))); then
        show_log_tail "$(svc_log "$n")"
        die "$n: not answering after $((SECONDS - start))s (log: $(svc_log "$n"))"
      fi
      still+=("$n")
    done
    pending=("${still[@]}")
    ((${#pending[@]})) || break
    if ((SECONDS - start >= next)); then
      log "still waiting for: ${pending[*]} ($((SECONDS - start))s)"
      next=$((next + 10))
    fi
    sleep 0.3
  done
}

# Serialise concurrent up/down/restart runs.
take_lock() {
  mkdir -p "$SVC_DIR"
  exec 9>"$SVC_DIR/.lock"
  if have flock; then
    if ! flock -n 9; then
      log "another services.sh run holds $SVC_DIR/.lock; waiting"
      flock -w 1200 9 || die "timed out waiting for $SVC_DIR/.lock"
    fi
  fi
}

# Rewrite .services/env from the current state of every server.
write_env_file() {
  local tmp="$SVC_DIR/env.tmp.$$" name ext
  {
    echo "# Written by scripts/services.sh at $(date -u +%Y-%m-%dT%H:%M:%SZ). Source it: set -a; . .services/env; set +a"
    echo "# A server that is not up has its lines commented out."
    for name in "${SERVICES_ALL[@]}"; do
      ext=$("${name}_external")
      if [[ -n $ext ]]; then
        echo "# $name: external"
        "${name}_env" "$ext"
      elif [[ -n $(svc_pid "$name") ]]; then
        echo "# $name: local, pid $(svc_pid "$name")"
        "${name}_env" "$("${name}_url")"
      else
        echo "# $name: not running"
        "${name}_env" "$("${name}_url")" | sed 's/^/# /'
      fi
    done
  } >"$tmp"
  mv -f "$tmp" "$SVC_DIR/env"
}
