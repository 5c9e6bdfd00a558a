#!/usr/bin/env bash
# The shop as four processes, one per service, sharing a broker: orders (the Order aggregate and
# the OrderSaga; it places the demo's orders and judges the outcome), inventory, payment and
# shipping. Each keeps its own store. Exits 0 when the orders end as expected and every service
# stopped gracefully on SIGTERM.
#
#   bash examples/order-fulfilment/scripts/multi-process.sh          # NATS from .services/env
#   EVENTLOOM_TRANSPORT=kafka://127.0.0.1:9092 bash examples/order-fulfilment/scripts/multi-process.sh
#   EVENTLOOM_STORE=postgres://user:pw@host:5432/db bash …          # one schema per service
#
# Without EVENTLOOM_STORE each service has a SQLite file under data/multi-process/<run>/, removed
# at the end. Run `npm run build` first (done here when the build is missing).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$root"
main=examples/order-fulfilment/dist/main.js
services=(inventory payment shipping)
ready_timeout_s=${READY_TIMEOUT_S:-120}

die() { echo "multi-process: $*" >&2; exit 1; }

[[ -f $main ]] || npm run build

if [[ -z ${EVENTLOOM_TRANSPORT:-} && -f .services/env ]]; then
  set -a; . .services/env; set +a
  EVENTLOOM_TRANSPORT=${EVENTLOOM_NATS_URL:-}
fi
[[ -n ${EVENTLOOM_TRANSPORT:-} ]] || die "set EVENTLOOM_TRANSPORT to a broker (nats://, kafka://, sqs://), or run: bash scripts/services.sh up nats"
[[ $EVENTLOOM_TRANSPORT != memory:* ]] || die "processes cannot share the in-memory transport: name a broker"

run="$(date +%s)-$$"
data="data/multi-process/$run"
mkdir -p "$data"
export EVENTLOOM_TRANSPORT EVENTLOOM_TOPIC_PREFIX="mp-$run."
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$data"
  rmdir data/multi-process 2>/dev/null || true
}
trap cleanup EXIT

store_for() {
  local service=$1
  case ${EVENTLOOM_STORE:-} in
    "") echo "sqlite:$data/$service.db" ;;
    postgres*://*\?*) echo "$EVENTLOOM_STORE&schema=order_fulfilment_$service" ;;
    postgres*://*) echo "$EVENTLOOM_STORE?schema=order_fulfilment_$service" ;;
    *) die "EVENTLOOM_STORE must be unset or postgres://…: each service needs a store of its own" ;;
  esac
}

start_service() {
  local service=$1
  EVENTLOOM_STORE=$(store_for "$service") node "$main" "$service" >"$data/$service.log" 2>&1 &
  pids+=($!)
}

await_ready() {
  local service=$1 pid=$2 deadline=$((SECONDS + ready_timeout_s))
  until grep -qs '^ready$' "$data/$service.log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$data/$service.log" >&2; die "$service exited before it was ready"; }
    ((SECONDS < deadline)) || die "$service not ready after ${ready_timeout_s}s"
    sleep 0.2
  done
  echo "multi-process: $service ready (pid $pid)"
}

for service in "${services[@]}"; do start_service "$service"; done
for i in "${!services[@]}"; do await_ready "${services[$i]}" "${pids[$i]}"; done

echo "multi-process: placing orders from the orders service"
outcome=0
EVENTLOOM_STORE=$(store_for orders) node "$main" orders || outcome=$?

stopped=0
for i in "${!services[@]}"; do
  kill -TERM "${pids[$i]}"
  if wait "${pids[$i]}" && grep -q '^stopped on request$' "$data/${services[$i]}.log"; then
    echo "multi-process: ${services[$i]} stopped gracefully"
  else
    echo "multi-process: ${services[$i]} did not stop gracefully" >&2
    stopped=1
  fi
done
pids=()

for service in "${services[@]}"; do sed "s/^/[$service] /" "$data/$service.log"; done
((outcome == 0)) || die "the orders did not end as expected (exit $outcome)"
((stopped == 0)) || die "a service did not stop gracefully"
echo "multi-process: every order ended as expected across ${#services[@]} + 1 processes"
