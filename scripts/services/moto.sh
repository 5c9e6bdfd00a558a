# shellcheck shell=bash
# SNS + SQS: moto in server mode (one endpoint for every AWS service), from PyPI into the
# virtualenv .services/moto-venv. http://127.0.0.1:4566, region us-east-1, any credentials
# (moto does not check signatures; use test/test). State is in memory: a restart empties it.
# Readiness: real SQS ListQueues and SNS ListTopics calls (query protocol) with curl.
# External: EVENTLOOM_SQS_ENDPOINT=http://host:port (SNS assumed on the same endpoint unless
# EVENTLOOM_SNS_ENDPOINT is set).

MOTO_VERSION=5.2.5
MOTO_PORT=4566

moto_venv() { printf '%s/moto-venv' "$SVC_DIR"; }
# The variable names an external server, unless it is this script's own address (as after
# sourcing .services/env), which stays managed here.
moto_external() {
  if [[ -n ${EVENTLOOM_SQS_ENDPOINT:-} && $EVENTLOOM_SQS_ENDPOINT != "$(moto_url)" ]]; then printf '%s' "$EVENTLOOM_SQS_ENDPOINT"; fi
}
moto_url() { printf 'http://127.0.0.1:%s' "$MOTO_PORT"; }
moto_pattern() { printf 'moto_server'; }
moto_start_timeout() { echo 60; }
moto_env() {
  echo "EVENTLOOM_SQS_ENDPOINT=$1"
  echo "EVENTLOOM_SNS_ENDPOINT=${EVENTLOOM_SNS_ENDPOINT:-$1}"
  echo "EVENTLOOM_AWS_REGION=${EVENTLOOM_AWS_REGION:-us-east-1}"
  if [[ $1 == "$(moto_url)" ]]; then
    echo "EVENTLOOM_AWS_ACCESS_KEY_ID=test"
    echo "EVENTLOOM_AWS_SECRET_ACCESS_KEY=test"
  fi
}

moto_python() {
  have python3 || return 0
  python3 -c 'import sys; print(sys.executable)' 2>/dev/null || true
}

moto_prereqs() {
  ensure_curl
  [[ -n $(moto_external) ]] && return 0
  moto_installed && return 0
  local py
  py=$(moto_python)
  if [[ -z $py ]]; then
    apt_install python3 python3-venv
    py=$(moto_python)
  fi
  [[ -n $py ]] || die "moto: python3 not found"
  "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
    die "moto: python >= 3.9 needed, found $("$py" --version 2>&1)"
  if ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
    apt_install python3-venv
  fi
}

moto_installed() {
  local venv
  venv=$(moto_venv)
  # The interpreter must still run (a venv breaks when its base python goes away).
  [[ -x $venv/bin/moto_server && -f $venv/.complete && $(cat "$venv/.complete") == "$MOTO_VERSION" ]] &&
    "$venv/bin/python" -c '' 2>/dev/null
}

moto_install() {
  local venv py
  venv=$(moto_venv)
  py=$(moto_python)
  rm -rf "$venv"
  "$py" -m venv "$venv"
  PIP_CACHE_DIR="$SVC_DIR/pip-cache" "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-input \
    "moto[server]==$MOTO_VERSION" </dev/null
  "$venv/bin/python" -c 'import moto; print("moto", moto.__version__)'
  echo "$MOTO_VERSION" >"$venv/.complete"
}

# POST one AWS query-protocol action; succeed if the response contains the expected element.
moto_call() {
  local endpoint=$1 service=$2 body=$3 expect=$4
  curl -fsS --max-time 5 -X POST \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    -H "Authorization: AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/$service/aws4_request, SignedHeaders=host, Signature=0" \
    --data "$body" "${endpoint%/}/" 2>/dev/null | grep -q "$expect"
}

moto_ready() {
  local sqs=${1:-$(moto_url)} sns
  sns=${EVENTLOOM_SNS_ENDPOINT:-$sqs}
  [[ -z ${1:-} ]] && sns=$sqs
  moto_call "$sqs" sqs 'Action=ListQueues&Version=2012-11-05' ListQueuesResponse &&
    moto_call "$sns" sns 'Action=ListTopics&Version=2010-03-31' ListTopicsResponse
}

moto_start() {
  ensure_port_free moto "$MOTO_PORT" EVENTLOOM_SQS_ENDPOINT
  mkdir -p "$SVC_DIR/moto/log"
  log "moto: starting moto_server $MOTO_VERSION (SNS+SQS) on 127.0.0.1:$MOTO_PORT"
  detach "$SVC_DIR/moto/pid" "$(svc_log moto)" \
    "$(moto_venv)/bin/python" "$(moto_venv)/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT"
}

moto_stop() {
  local pid
  pid=$(svc_pid moto)
  [[ -n $pid ]] || return 0
  stop_pid moto "$pid" 15
}
