#!/usr/bin/env bash
# Test services: sourced by scripts/test.sh before the tests run (it may also be sourced by hand:
# `source scripts/test-services.sh` in a shell, then `dotnet test ...`).
#
# Redis: installs redis-server (Debian package) when missing, starts a PRIVATE server on 127.0.0.1 on a free
# port with no persistence in its own temporary directory, exports STEADFAST_TEST_REDIS=127.0.0.1:<port> for
# the tests, and stops it when the sourcing shell exits (chaining with any EXIT trap already set).
# The Redis tests fail (not skip) when STEADFAST_TEST_REDIS is unset or the server is unreachable, so a
# failure to start here is an error, not a warning.

steadfast_services_log() { printf '==> %s\n' "$*"; }

steadfast_start_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
      steadfast_services_log "installing redis-server"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
    else
      echo "error: the Redis tests need redis-server (Redis 7); install with: sudo apt-get install redis-server" >&2
      return 1
    fi
  fi
  if ! command -v redis-cli >/dev/null 2>&1; then
    echo "error: redis-cli is missing (Debian package redis-tools); install with: sudo apt-get install redis-tools" >&2
    return 1
  fi

  STEADFAST_REDIS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/steadfast-redis.XXXXXX")"
  local attempt port
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    # A random high port; redis-server refuses to start when it is taken, and then we try another.
    port=$(( 20000 + RANDOM % 30000 ))
    if redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
         --dir "$STEADFAST_REDIS_DIR" --pidfile "$STEADFAST_REDIS_DIR/redis.pid" \
         --logfile "$STEADFAST_REDIS_DIR/redis.log" --daemonize yes >/dev/null 2>&1; then
      local tries
      for tries in $(seq 1 50); do
        if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
          STEADFAST_REDIS_PORT="$port"
          export STEADFAST_TEST_REDIS="127.0.0.1:$port"
          steadfast_services_log "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on $STEADFAST_TEST_REDIS"
          return 0
        fi
        sleep 0.1
      done
      # Started but never answered (most likely the port was taken): stop it and try another port.
      if [[ -f "$STEADFAST_REDIS_DIR/redis.pid" ]]; then
        kill "$(cat "$STEADFAST_REDIS_DIR/redis.pid")" 2>/dev/null || true
        rm -f "$STEADFAST_REDIS_DIR/redis.pid"
      fi
    fi
  done
  echo "error: could not start redis-server on 127.0.0.1 (log: $STEADFAST_REDIS_DIR/redis.log)" >&2
  return 1
}

steadfast_stop_redis() {
  if [[ -n "${STEADFAST_REDIS_PORT:-}" ]]; then
    redis-cli -h 127.0.0.1 -p "$STEADFAST_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
  if [[ -n "${STEADFAST_REDIS_DIR:-}" && -f "$STEADFAST_REDIS_DIR/redis.pid" ]]; then
    kill "$(cat "$STEADFAST_REDIS_DIR/redis.pid")" 2>/dev/null || true
  fi
  if [[ -n "${STEADFAST_REDIS_DIR:-}" ]]; then
    rm -rf "$STEADFAST_REDIS_DIR"
  fi
}

# Chain with whatever EXIT trap the sourcing shell already has (test.sh sets none today, others may).
steadfast_previous_exit_trap="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
if [[ -n "$steadfast_previous_exit_trap" ]]; then
  # shellcheck disable=SC2064
  trap "steadfast_stop_redis; $steadfast_previous_exit_trap" EXIT
else
  trap steadfast_stop_redis EXIT
fi

if ! steadfast_start_redis; then
  # Sourced by test.sh (set -e): fail the whole run rather than letting the Redis tests fail one by one.
  return 1 2>/dev/null || exit 1
fi
