#!/usr/bin/env bash
# Foundation benchmark of the built distribution: start-up time and hot-deploy latency.
# Not part of the build or of the default test run; see README.md next to this script.
#
#   itests/bench/foundation-bench.sh [-n RUNS] [--modes "default fast"] [--dist DIR] [--sample JAR]
#                                    [--work DIR] [--settle SECONDS] [--keep]
#
# Every run copies the distribution afresh (bin, etc, lib, system; empty deploy/ and data/) under
# --work, and each agent it starts is stopped again, also when the script is interrupted.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)

RUNS=7
MODES="default fast"
DIST=$ROOT/runtime/target/vigil
SAMPLE=$ROOT/itests/sample-type/target/io.vigil.itests.sampletype-0.1.0-SNAPSHOT.jar
WORK=$ROOT/itests/target/bench
SETTLE=1
KEEP=0
TIMEOUT_MS=30000

GOAL_START_DEFAULT=1000
GOAL_START_FAST=700
GOAL_DEPLOY=400

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  cat >&2 <<'EOF'
  -n RUNS      runs per mode (default 7, at least 5)
  --modes M    any of default, fast, default-nocds, fast-nocds (default: "default fast");
               -nocds: the copy has no lib/vigil.jsa, to see what the CDS archive brings
  --dist DIR   the distribution (default runtime/target/vigil)
  --sample JAR the sample resource-type bundle (default itests/sample-type/target/...jar)
  --work DIR   where the copies go (default itests/target/bench; results.csv is kept there)
  --settle S   seconds between start-up and the deploy measurements (default 1)
  --keep       keep each run's copy (its data/log has the agent's log)
Environment: BENCH_JAVA_OPTS is passed to the agent as VIGIL_JAVA_OPTS.
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS=$2; shift 2 ;;
    --modes) MODES=$2; shift 2 ;;
    --dist) DIST=$2; shift 2 ;;
    --sample) SAMPLE=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage; exit 2 ;;
  esac
done

die() { echo "foundation-bench: $*" >&2; exit 1; }
case "$RUNS" in ''|*[!0-9]*) die "-n needs a number" ;; esac
[ "$RUNS" -ge 5 ] || die "-n must be at least 5 (medians of fewer runs mean little)"
for mode in $MODES; do case "$mode" in default|fast|default-nocds|fast-nocds) ;; *) die "unknown mode $mode" ;; esac; done
[ -x "$DIST/bin/vigil" ] || die "no built distribution at $DIST (build first: mvn -B install -DskipTests)"
[ -f "$SAMPLE" ] || die "no sample type bundle at $SAMPLE (build first: mvn -B install -DskipTests)"
DIST=$(cd "$DIST" && pwd -P)
mkdir -p "$WORK" || die "cannot create $WORK"
WORK=$(cd "$WORK" && pwd -P)
RESULTS=$WORK/results.csv

# The agent's environment is the benchmark's, not the caller's.
unset VIGIL_DATA VIGIL_FAST VIGIL_JAVA_OPTS
[ -n "${BENCH_JAVA_OPTS:-}" ] && export VIGIL_JAVA_OPTS=$BENCH_JAVA_OPTS

# shellcheck source=bench-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

# Milliseconds since the epoch of the timestamp that starts a vigil.log line.
log_ms() { date -d "${1%% *}" +%s%3N; }

# Waits until the count of lines of the log of copy $1 matching $2 exceeds $3; prints the last one.
await_log() {
  local log=$1/data/log/vigil.log pattern=$2 before=$3 deadline=$(( $(now_ms) + TIMEOUT_MS ))
  while [ "$(grep -c -E -- "$pattern" "$log" 2>/dev/null)" -le "$before" ]; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.005
  done
  grep -E -- "$pattern" "$log" | tail -n 1
}

count_log() { grep -c -E -- "$2" "$1/data/log/vigil.log" 2>/dev/null; }

listed() { "$1/bin/vigil" clrt list 2>/dev/null | grep -q '^VIGIL\.sample '; }

REGISTERED='Resource type VIGIL\.sample [^ ]+ registered'
UNREGISTERED='Resource type VIGIL\.sample from .* unregistered'

# Deploys the sample type into copy $1 and removes it again, timing both from the agent's log.
# Prints "deploy_ms removal_ms".
cycle_log() {
  local home=$1 n t0 line deploy removal
  cp "$SAMPLE" "$home/deploy/.sample.jar.tmp"
  n=$(count_log "$home" "$REGISTERED")
  t0=$(now_ms); mv "$home/deploy/.sample.jar.tmp" "$home/deploy/sample.jar"
  line=$(await_log "$home" "$REGISTERED" "$n") || die "VIGIL.sample not registered within ${TIMEOUT_MS} ms ($home)"
  deploy=$(( $(log_ms "$line") - t0 ))
  listed "$home" || die "VIGIL.sample registered but not listed ($home)"
  n=$(count_log "$home" "$UNREGISTERED")
  t0=$(now_ms); rm "$home/deploy/sample.jar"
  line=$(await_log "$home" "$UNREGISTERED" "$n") || die "VIGIL.sample not unregistered within ${TIMEOUT_MS} ms ($home)"
  removal=$(( $(log_ms "$line") - t0 ))
  echo "$deploy $removal"
}

# The same, observed as an operator would: bin/vigil clrt list in a tight loop (each call is a JVM).
# Prints "deploy_ms removal_ms polls".
cycle_poll() {
  local home=$1 t0 t1 deploy removal polls=0 deadline
  cp "$SAMPLE" "$home/deploy/.sample.jar.tmp"
  t0=$(now_ms); mv "$home/deploy/.sample.jar.tmp" "$home/deploy/sample.jar"
  deadline=$(( t0 + TIMEOUT_MS ))
  until listed "$home"; do
    polls=$((polls + 1)); [ "$(now_ms)" -lt "$deadline" ] || die "VIGIL.sample not listed within ${TIMEOUT_MS} ms ($home)"
  done
  t1=$(now_ms); deploy=$(( t1 - t0 ))
  t0=$(now_ms); rm "$home/deploy/sample.jar"
  deadline=$(( t0 + TIMEOUT_MS ))
  while listed "$home"; do
    polls=$((polls + 1)); [ "$(now_ms)" -lt "$deadline" ] || die "VIGIL.sample still listed after ${TIMEOUT_MS} ms ($home)"
  done
  t1=$(now_ms); removal=$(( t1 - t0 ))
  echo "$deploy $removal $polls"
}

# One run of mode $1 (default|fast), number $2: appends a line to results.csv.
run_once() {
  local mode=$1 i=$2 home flag="" t0 t1 t2 line socket pid cds d_log r_log d_poll r_poll polls t_stop
  case "$mode" in fast*) flag=--fast ;; esac
  home=$WORK/$mode-$i
  rm -rf "$home"; mkdir -p "$home/deploy" "$home/data"
  cp -a "$DIST/bin" "$DIST/etc" "$DIST/lib" "$DIST/system" "$home/" || die "cannot copy $DIST"
  case "$mode" in *-nocds) rm -f "$home/lib/vigil.jsa" ;; esac
  CURRENT=$home

  # (a) From invoking bin/vigil start to the answer of the following bin/vigil version.
  t0=$(now_ms)
  "$home/bin/vigil" start $flag > /dev/null 2>&1 || die "bin/vigil start $flag failed; see $home/data/log"
  t1=$(now_ms)
  "$home/bin/vigil" version > /dev/null 2>&1 || die "bin/vigil version failed ($home)"
  t2=$(now_ms)
  line=$(grep -m 1 'Admin socket listening' "$home/data/log/vigil.log")
  socket=$(( $(log_ms "$line") - t0 ))
  pid=$(agent_pid "$home") || die "no agent pid ($home)"
  if grep -q 'lib/vigil\.jsa' "/proc/$pid/maps" 2>/dev/null; then cds=1; else cds=0; fi

  sleep "$SETTLE"
  # (b) Alternate which deploy cycle comes first: the first deployment in a JVM is the colder one.
  if [ $((i % 2)) = 1 ]; then
    read -r d_log r_log < <(cycle_log "$home")
    read -r d_poll r_poll polls < <(cycle_poll "$home")
  else
    read -r d_poll r_poll polls < <(cycle_poll "$home")
    read -r d_log r_log < <(cycle_log "$home")
  fi
  [ -n "${d_log:-}" ] && [ -n "${d_poll:-}" ] || die "deploy measurement failed ($home)"

  t_stop=$(now_ms)
  "$home/bin/vigil" stop > /dev/null 2>&1
  t_stop=$(( $(now_ms) - t_stop ))
  agent_pid "$home" > /dev/null && die "the agent of $home still runs after stop"
  [ "$KEEP" = 1 ] || rm -rf "$home"
  CURRENT=""

  echo "$mode,$i,$((t2 - t0)),$((t1 - t0)),$socket,$cds,$d_log,$r_log,$d_poll,$r_poll,$polls,$t_stop" >> "$RESULTS"
  printf '  %-7s run %d: start->version %5d ms (start %d, socket %d, cds %d); deploy log %d / poll %d ms; removal log %d / poll %d ms; stop %d ms\n' \
    "$mode" "$i" $((t2 - t0)) $((t1 - t0)) "$socket" "$cds" "$d_log" "$d_poll" "$r_log" "$r_poll" "$t_stop"
}

# "median min max" of the numbers in column $2 of results.csv for mode $1.
stats() {
  awk -F, -v m="$1" -v c="$2" '$1 == m { print $c }' "$RESULTS" | sort -n | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "- - -"; exit }
      med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%d %d %d\n", med, v[1], v[NR]
    }'
}

row() {  # label mode column goal
  local label=$1 mode=$2 col=$3 goal=${4:-} med min max verdict=""
  read -r med min max < <(stats "$mode" "$col")
  if [ -n "$goal" ] && [ "$med" != - ]; then
    if [ "$med" -le "$goal" ]; then verdict="goal <= $goal ms: met"; else verdict="goal <= $goal ms: MISSED"; fi
  fi
  printf '  %-52s %7s %7s %7s   %s\n' "$label" "$med" "$min" "$max" "$verdict"
}

echo "Vigil foundation benchmark: $RUNS runs per mode ($MODES), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  distribution: $DIST"
echo "  java: $(java -version 2>&1 | head -n 1); $(nproc) CPUs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  CDS archive: $( [ -f "$DIST/lib/vigil.jsa" ] && echo "lib/vigil.jsa present" || echo "NONE (bin/vigil --fast runs without it)")"
[ -n "${VIGIL_JAVA_OPTS:-}" ] && echo "  extra JVM flags: $VIGIL_JAVA_OPTS"
echo "mode,run,start_to_version_ms,start_returned_ms,socket_ms,cds_mapped,deploy_log_ms,removal_log_ms,deploy_poll_ms,removal_poll_ms,polls,stop_ms" > "$RESULTS"

for i in $(seq 1 "$RUNS"); do
  for mode in $MODES; do run_once "$mode" "$i"; done
done

echo
echo "Results over $RUNS runs (ms)                                median     min     max"
for mode in $MODES; do
  goal=$GOAL_START_DEFAULT; case "$mode" in fast*) goal=$GOAL_START_FAST ;; esac
  mapped=$(awk -F, -v m="$mode" '$1 == m && $6 == 1' "$RESULTS" | wc -l)
  case "$mode" in
    default) what="default JVM flags (G1, C2)" ;; fast) what="--fast (C1 only, serial GC)" ;;
    default-nocds) what="default JVM flags, no lib/vigil.jsa" ;; fast-nocds) what="--fast, no lib/vigil.jsa" ;;
  esac
  echo " $mode: $what; CDS archive mapped in $mapped of $RUNS runs"
  row "(a) start invoked -> bin/vigil version answered" "$mode" 3 "$goal"
  row "    of which: bin/vigil start returned" "$mode" 4
  row "    agent log: admin socket listening" "$mode" 5
  row "(b) deploy -> registered (agent log, no polling)" "$mode" 7 "$GOAL_DEPLOY"
  row "    deploy -> listed (bin/vigil clrt list polling)" "$mode" 9 "$GOAL_DEPLOY"
  row "    removal -> unregistered (agent log)" "$mode" 8
  row "    removal -> not listed (polling)" "$mode" 10
  row "    bin/vigil stop" "$mode" 12
done
echo
echo "(a) includes two client JVMs (the check in bin/vigil start and the timed bin/vigil version)."
echo "(b) The log figure is judged against the goal; polling adds up to one bin/vigil call (a JVM start)."
echo "Raw figures: $RESULTS; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
