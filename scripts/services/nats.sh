# shellcheck shell=bash
# shellcheck disable=SC2016 # single-quoted bash -c programs get their values as arguments
# NATS server with JetStream, built from source with `go install` (pinned release), all Go
# caches under .services/go so nothing global is touched. Client 127.0.0.1:4222, monitoring
# http://127.0.0.1:8222, JetStream store in .services/nats/data (kept across restarts).
# Readiness: GET /healthz?js-enabled-only=true answers {"status":"ok"}.
# External: EVENTLOOM_NATS_URL=nats://host:4222 (checked with a CONNECT/PING/PONG handshake;
# also set EVENTLOOM_NATS_MONITOR_URL=http://host:8222 to check /healthz instead).

NATS_VERSION=v2.12.15 # newest 2.12 patch on the Go module proxy when this was written
NATS_PORT=4222
NATS_MONITOR_PORT=8222

nats_bin() { printf '%s/bin/nats-server' "$SVC_DIR"; }
# The variable names an external server, unless it is this script's own address (as after
# sourcing .services/env), which stays managed here.
nats_external() {
  if [[ -n ${EVENTLOOM_NATS_URL:-} && $EVENTLOOM_NATS_URL != "$(nats_url)" ]]; then printf '%s' "$EVENTLOOM_NATS_URL"; fi
}
nats_url() { printf 'nats://127.0.0.1:%s' "$NATS_PORT"; }
nats_pattern() { printf 'nats-server'; }
nats_start_timeout() { echo 30; }
nats_env() {
  echo "EVENTLOOM_NATS_URL=$1"
  if [[ $1 == "$(nats_url)" ]]; then
    echo "EVENTLOOM_NATS_MONITOR_URL=http://127.0.0.1:$NATS_MONITOR_PORT"
  elif [[ -n ${EVENTLOOM_NATS_MONITOR_URL:-} ]]; then
    echo "EVENTLOOM_NATS_MONITOR_URL=$EVENTLOOM_NATS_MONITOR_URL"
  fi
}

nats_prereqs() {
  ensure_curl
  [[ -n $(nats_external) ]] && return 0
  nats_installed && return 0
  have go || die "nats: the Go toolchain is needed to build nats-server $NATS_VERSION (go >= 1.24); install Go or set EVENTLOOM_NATS_URL"
}

nats_installed() {
  local bin
  bin=$(nats_bin)
  [[ -x $bin ]] && [[ $("$bin" --version 2>/dev/null) == *"$NATS_VERSION"* ]]
}

nats_install() {
  local gocache="$SVC_DIR/go" tmpbin="$SVC_DIR/nats/gobin.tmp"
  rm -rf "$tmpbin"
  mkdir -p "$SVC_DIR/bin" "$gocache" "$tmpbin"
  # -modcacherw keeps the module cache deletable with a plain `rm -rf .services`.
  env GOBIN="$tmpbin" GOPATH="$gocache/path" GOMODCACHE="$gocache/mod" GOCACHE="$gocache/build" \
    GOFLAGS="-modcacherw -buildvcs=false" CGO_ENABLED=0 GO111MODULE=on \
    go install "github.com/nats-io/nats-server/v2@$NATS_VERSION"
  mv -f "$tmpbin/nats-server" "$(nats_bin)"
  rm -rf "$tmpbin"
  "$(nats_bin)" --version
}

# NATS protocol handshake: the server greets with INFO, answers PING with PONG.
nats_handshake() {
  local hostport=${1#nats://}
  hostport=${hostport#*@} # drop credentials
  hostport=${hostport%%,*}
  hostport=${hostport%%/*}
  local host=${hostport%:*} port=${hostport##*:}
  [[ $host == "$port" ]] && port=4222
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    IFS= read -r -t 3 line <&3 || exit 1
    [[ $line == INFO* ]] || exit 1
    printf "CONNECT {\"verbose\":false,\"pedantic\":false}\r\nPING\r\n" >&3
    while IFS= read -r -t 3 line <&3; do
      [[ $line == PONG* ]] && exit 0
      [[ $line == -ERR* ]] && exit 1
    done
    exit 1' "$host" "$port" 2>/dev/null
}

nats_ready() {
  local addr=${1:-}
  if [[ -n $addr ]]; then
    if [[ -n ${EVENTLOOM_NATS_MONITOR_URL:-} ]]; then
      curl -fsS --max-time 5 "${EVENTLOOM_NATS_MONITOR_URL%/}/healthz?js-enabled-only=true" 2>/dev/null | grep -q '"ok"'
    else
      nats_handshake "$addr"
    fi
    return
  fi
  curl -fsS --max-time 3 "http://127.0.0.1:$NATS_MONITOR_PORT/healthz?js-enabled-only=true" 2>/dev/null | grep -q '"ok"'
}

nats_start() {
  ensure_port_free nats "$NATS_PORT" EVENTLOOM_NATS_URL
  ensure_port_free nats "$NATS_MONITOR_PORT" EVENTLOOM_NATS_URL
  mkdir -p "$SVC_DIR/nats/data" "$SVC_DIR/nats/log"
  log "nats: starting nats-server $NATS_VERSION on 127.0.0.1:$NATS_PORT (monitor :$NATS_MONITOR_PORT, JetStream in .services/nats/data)"
  detach "$SVC_DIR/nats/pid" "$(svc_log nats)" \
    "$(nats_bin)" -js -a 127.0.0.1 -p "$NATS_PORT" -m "$NATS_MONITOR_PORT" -sd "$SVC_DIR/nats/data" \
    -n eventloom-nats
}

nats_stop() {
  local pid
  pid=$(svc_pid nats)
  [[ -n $pid ]] || return 0
  stop_pid nats "$pid" 30
}
