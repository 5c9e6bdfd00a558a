#!/usr/bin/env bash
# Local servers for Eventloom's integration tests: PostgreSQL, NATS (JetStream), Kafka (KRaft)
# and SNS+SQS (moto), on loopback, installed and cached under .services/ (git-ignored).
#
#   bash scripts/services.sh up [NAME...]       install what is missing, start, wait until each answers
#   bash scripts/services.sh down [NAME...]     stop what this script started (pids in .services/NAME/pid)
#   bash scripts/services.sh restart NAME...    stop then start, keeping data (for broker-restart tests)
#   bash scripts/services.sh status [NAME...]   state of each server; exit 1 unless all answer
#   bash scripts/services.sh env                print .services/env
#
# NAME: pg (postgres), nats, kafka, moto (sqs, sns). Default: all four.
# Idempotent: a second `up` only checks that healthy servers answer and leaves them running.
# Servers run detached (own session) and outlive this script; logs in .services/NAME/log/.
# Test code sources .services/env (set -a; . .services/env; set +a):
#   EVENTLOOM_PG_URL=postgres://eventloom:eventloom@127.0.0.1:55432/eventloom
#   EVENTLOOM_PG_ADMIN_URL=postgres://postgres:postgres@127.0.0.1:55432/postgres
#   EVENTLOOM_NATS_URL=nats://127.0.0.1:4222      EVENTLOOM_NATS_MONITOR_URL=http://127.0.0.1:8222
#   EVENTLOOM_KAFKA_BROKERS=127.0.0.1:9092
#   EVENTLOOM_SQS_ENDPOINT=http://127.0.0.1:4566  EVENTLOOM_SNS_ENDPOINT=http://127.0.0.1:4566
#   EVENTLOOM_AWS_REGION=us-east-1 EVENTLOOM_AWS_ACCESS_KEY_ID=test EVENTLOOM_AWS_SECRET_ACCESS_KEY=test
# Any of EVENTLOOM_PG_URL, EVENTLOOM_NATS_URL, EVENTLOOM_KAFKA_BROKERS, EVENTLOOM_SQS_ENDPOINT set
# in the environment replaces that server by an external one: it is only checked, never touched
# (a value equal to this script's own address, e.g. after sourcing .services/env, is not external).
set -Eeuo pipefail
umask 022

SVC_T0=$SECONDS
SVC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SVC_DIR="$SVC_ROOT/.services"
SVC_LIB="$SVC_ROOT/scripts/services"

# shellcheck source=services/lib.sh
. "$SVC_LIB/lib.sh"
# shellcheck source=services/pg.sh
. "$SVC_LIB/pg.sh"
# shellcheck source=services/nats.sh
. "$SVC_LIB/nats.sh"
# shellcheck source=services/kafka.sh
. "$SVC_LIB/kafka.sh"
# shellcheck source=services/moto.sh
. "$SVC_LIB/moto.sh"

trap 'printf "[services] ERROR: unexpected failure (exit %s) at %s:%s: %s\n" "$?" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" >&2' ERR

usage() {
  sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

# Map arguments to canonical names (in canonical order, no duplicates) in NAMES. Empty = all.
NAMES=()
resolve_names() {
  local want=() arg n
  for arg in "$@"; do
    case $arg in
      pg | postgres | postgresql) want+=(pg) ;;
      nats | jetstream) want+=(nats) ;;
      kafka) want+=(kafka) ;;
      moto | sqs | sns | aws) want+=(moto) ;;
      all) want+=("${SERVICES_ALL[@]}") ;;
      *) die "unknown server '$arg' (expected: pg nats kafka moto)" ;;
    esac
  done
  ((${#want[@]})) || want=("${SERVICES_ALL[@]}")
  NAMES=()
  for n in "${SERVICES_ALL[@]}"; do
    if [[ " ${want[*]} " == *" $n "* ]]; then NAMES+=("$n"); fi
  done
}

is_selected() {
  local n=$1
  shift
  [[ " $* " == *" $n "* ]]
}

# One line per server: name, state, pid, address. With "known-ready" as $2, skip the real
# request (used right after `up` has just checked each server).
status_line() {
  local n=$1 known=${2:-} ext pid
  ext=$("${n}_external")
  if [[ -n $ext ]]; then
    if [[ -n $known ]] || "${n}_ready" "$ext"; then
      printf '  %-6s %-24s %s\n' "$n" "external, answering" "$ext"
    else
      printf '  %-6s %-24s %s\n' "$n" "external, NOT ANSWERING" "$ext"
      return 1
    fi
    return 0
  fi
  pid=$(svc_pid "$n")
  if [[ -z $pid ]]; then
    printf '  %-6s %-24s %s\n' "$n" "stopped" "-"
    return 1
  fi
  if [[ -n $known ]] || "${n}_ready"; then
    printf '  %-6s %-24s %s\n' "$n" "running (pid $pid)" "$("${n}_url")"
  else
    printf '  %-6s %-24s %s\n' "$n" "NOT ANSWERING (pid $pid)" "$("${n}_url") (log: $(svc_log "$n"))"
    return 1
  fi
}

cmd_status() {
  local names n rc=0
  resolve_names "$@"
  names=("${NAMES[@]}")
  for n in "${names[@]}"; do status_line "$n" || rc=1; done
  return $rc
}

# Install (in parallel), start and wait for the given servers.
bring_up() {
  local names=("$@") n ext
  mkdir -p "$SVC_DIR"
  chmod 755 "$SVC_DIR"

  # 1. System prerequisites (apt is sequential); external servers must answer.
  for n in "${names[@]}"; do
    "${n}_prereqs"
    ext=$("${n}_external")
    if [[ -n $ext ]]; then
      "${n}_ready" "$ext" || die "$n: external server $ext (from the environment) does not answer"
      log "$n: using external server $ext (answers; not managed here)"
    fi
  done

  # 2. Downloads/builds into .services/, in parallel.
  local -A jobs=()
  for n in "${names[@]}"; do
    [[ -z $("${n}_external") ]] || continue
    "${n}_installed" && continue
    mkdir -p "$SVC_DIR/$n/log"
    case $n in
      nats) log "nats: building nats-server $NATS_VERSION with go install (first time only, ~1-2 min; log: $(svc_install_log nats))" ;;
      kafka) log "kafka: collecting Kafka $KAFKA_VERSION jars with Maven (first time only; log: $(svc_install_log kafka))" ;;
      moto) log "moto: creating .services/moto-venv with moto[server]==$MOTO_VERSION (first time only; log: $(svc_install_log moto))" ;;
      *) log "$n: installing (log: $(svc_install_log "$n"))" ;;
    esac
    (
      trap - ERR
      set -euo pipefail
      t=$SECONDS
      "${n}_install"
      echo $((SECONDS - t)) >"$SVC_DIR/$n/log/install.seconds"
    ) </dev/null >"$(svc_install_log "$n")" 2>&1 9>&- &
    jobs[$n]=$!
  done
  local failed=()
  for n in "${names[@]}"; do
    [[ -n ${jobs[$n]:-} ]] || continue
    if wait "${jobs[$n]}"; then
      log "$n: installed in $(cat "$SVC_DIR/$n/log/install.seconds" 2>/dev/null || echo '?')s"
    else
      show_log_tail "$(svc_install_log "$n")" 30
      failed+=("$n")
    fi
  done
  ((${#failed[@]} == 0)) || die "install failed for: ${failed[*]} (logs: .services/<name>/log/install.log)"

  # 3. Leave healthy servers alone; restart hung ones; start missing ones (slowest first).
  local pending=() pid
  for n in "${SERVICES_START_ORDER[@]}"; do
    is_selected "$n" "${names[@]}" || continue
    [[ -z $("${n}_external") ]] || continue
    pid=$(svc_pid "$n")
    if [[ -n $pid ]] && ! "${n}_ready"; then
      log "$n: running (pid $pid) but not answering; giving it up to 15s"
      local t=$SECONDS
      until "${n}_ready"; do
        if ((SECONDS - t >= 15)); then
          log "$n: still not answering; restarting it (data kept)"
          "${n}_stop"
          rm -f "$SVC_DIR/$n/pid"
          pid=""
          break
        fi
        sleep 1
      done
    elif [[ -n $pid ]]; then
      log "$n: already running (pid $pid) and answering; left as is"
    fi
    if [[ -z $pid ]]; then
      mkdir -p "$SVC_DIR/$n/log"
      "${n}_start"
      pending+=("$n")
    fi
  done

  # 4. Wait (concurrently) until each started server answers a real request.
  wait_all_ready "${pending[@]}"

  for n in "${names[@]}"; do
    [[ -z $("${n}_external") ]] || continue
    if declare -F "${n}_after_ready" >/dev/null; then "${n}_after_ready"; fi
  done
}

cmd_up() {
  local names
  resolve_names "$@"
  names=("${NAMES[@]}")
  take_lock
  log "up: ${names[*]}"
  bring_up "${names[@]}"
  write_env_file
  log "up: done in $((SECONDS - SVC_T0))s; addresses in $SVC_DIR/env"
  local n
  for n in "${names[@]}"; do status_line "$n" known-ready; done
}

stop_one() {
  local n=$1 pid
  if [[ -n $("${n}_external") ]]; then
    log "$n: external server $("${n}_external"); leaving it alone"
    return 0
  fi
  pid=$(svc_pid "$n")
  if [[ -z $pid ]]; then
    log "$n: not running (nothing started by this script)"
    rm -f "$SVC_DIR/$n/pid"
    return 0
  fi
  log "$n: stopping pid $pid"
  "${n}_stop"
  rm -f "$SVC_DIR/$n/pid"
  log "$n: stopped"
}

cmd_down() {
  local names n i
  resolve_names "$@"
  names=("${NAMES[@]}")
  [[ -d $SVC_DIR ]] || {
    log "down: nothing to do ($SVC_DIR does not exist)"
    return 0
  }
  take_lock
  for ((i = ${#names[@]} - 1; i >= 0; i--)); do stop_one "${names[$i]}"; done
  write_env_file
}

cmd_restart() {
  local names n
  (($#)) || die "restart needs server names, e.g.: restart nats"
  resolve_names "$@"
  names=("${NAMES[@]}")
  for n in "${names[@]}"; do
    [[ -z $("${n}_external") ]] || die "$n: cannot restart the external server $("${n}_external")"
  done
  take_lock
  for n in "${names[@]}"; do stop_one "$n"; done
  bring_up "${names[@]}"
  write_env_file
  log "restart: done in $((SECONDS - SVC_T0))s"
}

main() {
  local cmd=${1:-}
  (($#)) && shift
  case $cmd in
    up | start) cmd_up "$@" ;;
    down | stop) cmd_down "$@" ;;
    restart) cmd_restart "$@" ;;
    status) cmd_status "$@" || exit 1 ;;
    env)
      [[ -f $SVC_DIR/env ]] || die "$SVC_DIR/env does not exist yet; run: bash scripts/services.sh up"
      cat "$SVC_DIR/env"
      ;;
    -h | --help | help) usage ;;
    "")
      usage >&2
      exit 2
      ;;
    *)
      usage >&2
      die "unknown command '$cmd'"
      ;;
  esac
}

main "$@"
