#!/usr/bin/env bash
# Health check responder benchmark: Vigil's responder (in the agent, status *rg:rg1) against a bare
# single-file Java NIO server answering the same protocol from a constant. Not part of the build or of
# the default test run; see README.md next to this script.
#
#   itests/bench/healthcheck-bench.sh [--seconds S] [--rate R] [--cycles C] [--dist DIR] [--work DIR] [--keep]
#
# The distribution is copied afresh under --work; the agent and the bare server are stopped again,
# also when the script is interrupted.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)

SECONDS_PER=3
RATE=5000
CYCLES=5
DIST=$ROOT/runtime/target/vigil
WORK=$ROOT/itests/target/bench-hc
KEEP=0

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  cat >&2 <<'USAGE'
  --seconds S  length of each measurement (default 3)
  --rate R     checks per second of the latency measurement (default 5000)
  --cycles C   online/offline cycles of the DOWN measurement (default 5)
  --dist DIR   the distribution (default runtime/target/vigil)
  --work DIR   where the copy goes (default itests/target/bench-hc)
  --keep       keep the copy and its data/log
USAGE
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --cycles) CYCLES=$2; shift 2 ;;
    --dist) DIST=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) usage ;;
  esac
done

. "$HERE/bench-lib.sh"

[ -x "$DIST/bin/vigil" ] || { echo "no distribution at $DIST: build it first (mvn -B install -DskipTests)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

BARE_PID=""
stop_bare() { [ -n "$BARE_PID" ] && kill "$BARE_PID" 2>/dev/null; wait "$BARE_PID" 2>/dev/null; BARE_PID=""; }
trap 'stop_bare; [ "$KEEP" = 1 ] || rm -f "$WORK/bare-$$.out"; cleanup' EXIT

HOME_COPY=$WORK/vigil-$$
rm -rf "$HOME_COPY"; mkdir -p "$HOME_COPY"
cp -a "$DIST/bin" "$DIST/etc" "$DIST/lib" "$DIST/system" "$HOME_COPY/"
mkdir -p "$HOME_COPY/deploy" "$HOME_COPY/data"
CURRENT=$HOME_COPY

RESPONDER_PORT=$(free_port)
BARE_PORT=$(free_port)
printf 'port = %s\ncommand = *rg:rg1\n' "$RESPONDER_PORT" > "$HOME_COPY/etc/io.vigil.healthcheck-bench.cfg"

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
"$HOME_COPY/bin/vigil" start > /dev/null || { echo "the agent did not start" >&2; exit 1; }
"$HOME_COPY/bin/vigil" clrg create rg1 > /dev/null
"$HOME_COPY/bin/vigil" clrg online rg1 > /dev/null
for _ in $(seq 100); do
  "$HOME_COPY/bin/vigil" hc list 2>/dev/null | grep -q '^bench .* UP ' && break
  sleep 0.1
done
"$HOME_COPY/bin/vigil" hc list | grep -q '^bench .* UP ' || { echo "the responder does not answer UP" >&2; exit 1; }

java -XX:+UseSerialGC "$HERE/BareNioServer.java" "$BARE_PORT" > "$WORK/bare-$$.out" 2>&1 &
BARE_PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/bare-$$.out" 2>/dev/null && break; sleep 0.1; done

java -XX:+UseSerialGC "$HERE/HealthcheckBench.java" "$RESPONDER_PORT" "$BARE_PORT" "$HOME_COPY/bin/vigil" \
  "$SECONDS_PER" "$RATE" "$CYCLES"
status=$?
echo
echo "goals: throughput >= 90% of the bare server's; p99 at $RATE/s within 1 ms of the bare server's; DOWN within 50 ms"
echo "machine after: load $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
