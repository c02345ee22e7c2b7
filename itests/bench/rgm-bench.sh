#!/usr/bin/env bash
# RGM benchmark of the built distribution: method dispatch overhead and bulk online/offline.
# Not part of the build or of the default test run; see README.md next to this script.
#
#   itests/bench/rgm-bench.sh [-n RUNS] [--rounds R] [--groups G] [--cycles C] [--warmup W]
#                             [--spawns N] [--dist DIR] [--work DIR] [--fast] [--keep]
#
# Every run copies the distribution afresh (bin, etc, lib, system; empty deploy/ and data/) under
# --work, and each agent it starts is stopped again, also when the script is interrupted.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)

RUNS=3
ROUNDS=3
NGROUPS=100
CYCLES=17          # online/offline cycles of one 3-resource group: 12 methods each, 204 in all
WARMUP=5
SPAWNS=200
DIST=$ROOT/runtime/target/vigil
WORK=$ROOT/itests/target/bench-rgm
FAST=""
KEEP=0

GOAL_DISPATCH_MS=5
GOAL_ONLINE_MS=3000
METHODS_PER_OP=6   # a 3-resource group: Start + Monitor_start, or Monitor_stop + Stop, for each

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  cat >&2 <<'EOF'
  -n RUNS      fresh copies of the distribution, one agent each (default 3)
  --rounds R   clrg online + / clrg offline + rounds per run (default 3; RUNS x R at least 3)
  --groups G   groups of 3 resources for (b) (default 100)
  --cycles C   measured online/offline cycles of the 3-resource group for (a) (default 17,
               i.e. 204 method calls per run)
  --warmup W   unmeasured cycles before them (default 5)
  --spawns N   direct spawns timed by the Java harness per run (default 200, after 20 unmeasured)
  --dist DIR   the distribution (default runtime/target/vigil)
  --work DIR   where the copies go (default itests/target/bench-rgm; the raw figures are kept there)
  --fast       start the agents with bin/vigil start --fast (C1 only, serial GC)
  --keep       keep each run's copy (its data/log has the agent's log)
Environment: BENCH_JAVA_OPTS is passed to the agent as VIGIL_JAVA_OPTS, and to the spawn harness JVM.
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --groups) NGROUPS=$2; shift 2 ;;
    --cycles) CYCLES=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --spawns) SPAWNS=$2; shift 2 ;;
    --dist) DIST=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --fast) FAST=--fast; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage; exit 2 ;;
  esac
done

die() { echo "rgm-bench: $*" >&2; exit 1; }
for v in RUNS ROUNDS NGROUPS CYCLES WARMUP SPAWNS; do
  case "${!v}" in ''|*[!0-9]*) die "$v must be a number, not '${!v}'" ;; esac
done
[ "$RUNS" -ge 1 ] && [ "$ROUNDS" -ge 1 ] && [ "$NGROUPS" -ge 1 ] && [ "$CYCLES" -ge 1 ] && [ "$SPAWNS" -ge 1 ] \
  || die "-n, --rounds, --groups, --cycles and --spawns must be at least 1"
[ $((RUNS * ROUNDS)) -ge 3 ] || die "RUNS x ROUNDS must be at least 3 (medians of fewer rounds mean little)"
[ -x "$DIST/bin/vigil" ] || die "no built distribution at $DIST (build first: mvn -B install -DskipTests)"
DIST=$(cd "$DIST" && pwd -P)
SHELL_JAR=$DIST/system/io.vigil.shell.jar
[ -f "$SHELL_JAR" ] || die "no $SHELL_JAR in the distribution"
[ -x /usr/bin/setsid ] || die "/usr/bin/setsid (util-linux) is missing; the RGM needs it to run methods"
if [ -n "${JAVA_HOME:-}" ]; then JAVA=$JAVA_HOME/bin/java; JAVAC=$JAVA_HOME/bin/javac; else JAVA=java; JAVAC=javac; fi
command -v "$JAVAC" > /dev/null || die "no javac (a JDK is needed to compile the spawn harness RgmBenchTool.java)"
mkdir -p "$WORK" || die "cannot create $WORK"
WORK=$(cd "$WORK" && pwd -P)
chmod 755 "$WORK"

RESULTS=$WORK/results.csv      # one line per run: (a) figures
ROUNDS_CSV=$WORK/rounds.csv    # one line per bulk operation of (b)
METHODS_CSV=$WORK/methods.csv  # every measured method call of (a): run,ms (log: Running -> succeeded)
OPS_CSV=$WORK/ops.csv          # every measured group operation of (a): run,ms (first Running -> last succeeded)
SPAWN_CSV=$WORK/spawn.csv      # every timed spawn of the harness: run,variant,micros; run,cpu-variant,micros per spawn
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)

# The agent's environment is the benchmark's, not the caller's.
unset VIGIL_DATA VIGIL_FAST VIGIL_JAVA_OPTS
[ -n "${BENCH_JAVA_OPTS:-}" ] && export VIGIL_JAVA_OPTS=$BENCH_JAVA_OPTS

# shellcheck source=bench-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

# CPU time of process $1 in ms: "own children" (children: the method programs it has reaped).
cpu_ms() {
  local stat
  stat=$(cat "/proc/$1/stat") || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat   # $1 is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
  echo $(( (${12} + ${13}) * 1000 / CLK_TCK )) $(( (${14} + ${15}) * 1000 / CLK_TCK ))
}

# CPU time in ticks of each thread of process $1: "tid ticks category" (group, reaper, jit, gc, other).
thread_ticks() {
  awk '{
    p = index($0, " ("); q = match($0, /\) [A-Za-z] /)
    if (!p || !q) next
    name = substr($0, p + 2, q - p - 2); split(substr($0, q + 2), f, " ")   # f[1] is field 3 (state)
    cat = "other"
    if (name ~ /^rgm-group-/) cat = "group"; else if (name == "process reaper") cat = "reaper"
    else if (name ~ /^C[12] CompilerThre/) cat = "jit"; else if (name ~ /^(GC Thread|G1 |VM Thread)/) cat = "gc"
    print substr($0, 1, p - 1), f[12] + f[13], cat
  }' /proc/"$1"/task/*/stat 2>/dev/null
}

# Agent CPU by thread between two thread_ticks files $1 and $2, given the process's own CPU in
# ms $3: "group reaper jit+gc other ended" in ms; "ended" is what threads that no longer exist used
# (a method's output reader, clrg's fan-out pool).
thread_cpu() {
  awk -v total="$3" -v hz="$CLK_TCK" '
    NR == FNR { before[$1] = $2; next }
    { d = ($2 - (($1 in before) ? before[$1] : 0)) * 1000 / hz; c[$3] += d; sum += d }
    END { printf "%d %d %d %d %d\n", c["group"], c["reaper"], c["jit"] + c["gc"], c["other"], (total > sum) ? total - sum : 0 }
  ' "$1" "$2"
}

# The machine's CPU ticks so far: "total idle iowait steal" (first line of /proc/stat).
sys_ticks() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $5, $6, $9; exit }' /proc/stat; }

log_lines() { wc -l < "$1/data/log/vigil.log"; }

# The log lines of copy $1 after line $2.
log_since() { tail -n "+$(( $2 + 1 ))" "$1/data/log/vigil.log"; }

# Reads agent log lines; prints "M ms" for each method (Running -> succeeded, paired by the group's
# thread: a group runs one method at a time), "O ms" for each group operation of $1 methods (first
# Running -> last succeeded, when one group runs alone), "F line" for each failed method and at the
# end "S span_ms count": first Running -> last succeeded over all lines.
parse_methods() {
  awk -v per="$1" '
    function ms(ts,   t) {   # 2026-11-22T02:49:48.763Z -> ms of the day, across midnight
      t = ((substr(ts, 12, 2) * 60 + substr(ts, 15, 2)) * 60) * 1000 + int(substr(ts, 18, 6) * 1000 + 0.5)
      if (t + off < last - 43200000) off += 86400000
      last = t + off
      return last
    }
    function thread(   i, j) { i = index($0, "["); j = index($0, "] "); return substr($0, i + 1, j - i - 1) }
    /GroupRuntime - Running / {
      t = ms($1); th = thread(); start[th] = t
      if (first == "") first = t
      if (n % per == 0) opstart = t
      next
    }
    /GroupRuntime - .* of resource .* succeeded$/ {
      t = ms($1); th = thread()
      if (th in start) {
        print "M", t - start[th]; delete start[th]; n++; lastok = t
        if (n % per == 0) print "O", t - opstart
      }
      next
    }
    /GroupRuntime - .* of resource .* failed: / { print "F", $0 }
    END { if (first == "") print "S 0 0"; else print "S", lastok - first, n }
  '
}

# "median p90 min max" of the numbers on stdin (p90: nearest rank); "- - - -" when there are none.
stats() {
  sort -g | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "- - - -"; exit }
      med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      r = int(NR * 0.9); if (r < NR * 0.9) r++; if (r < 1) r = 1
      print med, v[r], v[1], v[NR]
    }'
}

tool() { "$JAVA" -cp "$WORK/tool:$SHELL_JAR" RgmBenchTool "$@"; }

# Runs bin/vigil of copy $1 with the rest as the command; dies unless it exits 0.
vigil() {
  local home=$1 out; shift
  out=$("$home/bin/vigil" "$@" 2>&1) || die "bin/vigil $* failed ($home): $out"
  printf '%s\n' "$out"
}

# One online/offline cycle of group $2 in copy $1; dies unless it ends ONLINE, then OFFLINE.
cycle_group() {
  local out
  out=$(vigil "$1" clrg online "$2") || exit 1
  case "$out" in *": ONLINE") ;; *) die "clrg online $2 did not end ONLINE: $out ($1/data/log/vigil.log)" ;; esac
  out=$(vigil "$1" clrg offline "$2") || exit 1
  case "$out" in *": OFFLINE") ;; *) die "clrg offline $2 did not end OFFLINE: $out" ;; esac
}

# Writes trivial method programs and the RTR file of type BENCH.triv under $1/methods.
make_type() {
  local dir=$1/methods m
  mkdir -p "$dir" && chmod 755 "$1" "$dir" || die "cannot create $dir"
  for m in start stop mstart mstop; do
    printf '#!/bin/sh\nexit 0\n' > "$dir/$m" && chmod 755 "$dir/$m" || die "cannot write $dir/$m"
  done
  printf 'Resource_type = triv; Vendor_id = BENCH; RT_version = "1"; RT_basedir = %s;\n%s\n' "$dir" \
    'Start = start; Stop = stop; Monitor_start = mstart; Monitor_stop = mstop;' > "$dir/triv.rtr"
}

# A bulk operation: bin/vigil clrg $2 + in copy $1 (pid $3), round $4 of run $5; appends to rounds.csv.
bulk() {
  local home=$1 op=$2 pid=$3 round=$4 run=$5 want n0 a0 c0 a1 c1 t0 t1 out rc got span count med failed by_thread \
    s0 i0 w0 st0 s1 i1 w1 st1 machine b0 b1
  case "$op" in online) want=ONLINE ;; offline) want=OFFLINE ;; esac
  thread_ticks "$pid" > "$WORK/threads.before"
  n0=$(log_lines "$home"); read -r a0 c0 < <(cpu_ms "$pid"); read -r s0 i0 w0 st0 < <(sys_ticks)
  read -r _ b0 < <(cpu_ms $$)
  t0=$(now_ms)
  out=$("$home/bin/vigil" clrg "$op" + 2>&1); rc=$?
  t1=$(now_ms)
  read -r _ b1 < <(cpu_ms $$)   # this shell's reaped children: the client JVM (and these probes)
  read -r a1 c1 < <(cpu_ms "$pid"); read -r s1 i1 w1 st1 < <(sys_ticks)
  machine=$(awk -v t=$((s1 - s0)) -v i=$((i1 - i0)) -v w=$((w1 - w0)) -v s=$((st1 - st0)) \
    'BEGIN { if (t < 1) t = 1; printf "%.0f,%.0f,%.0f", 100 * i / t, 100 * w / t, 100 * s / t }')
  thread_ticks "$pid" > "$WORK/threads.after"
  by_thread=$(thread_cpu "$WORK/threads.before" "$WORK/threads.after" $((a1 - a0)) | tr ' ' ',')
  [ $rc = 0 ] || die "bin/vigil clrg $op + exited $rc: $(printf '%s\n' "$out" | tail -n 3)"
  got=$(printf '%s\n' "$out" | grep -c ": $want\$")
  [ "$got" = "$NGROUPS" ] || die "clrg $op +: $got of $NGROUPS groups $want: $(printf '%s\n' "$out" | grep -v ": $want\$" | head -n 3)"
  log_since "$home" "$n0" | parse_methods "$METHODS_PER_OP" > "$WORK/parsed"
  failed=$(grep -c '^F' "$WORK/parsed")
  [ "$failed" = 0 ] || die "methods failed during clrg $op +: $(grep -m 1 '^F' "$WORK/parsed")"
  read -r span count < <(awk '$1 == "S" { print $2, $3 }' "$WORK/parsed")
  [ "$count" = $((NGROUPS * METHODS_PER_OP)) ] || die "clrg $op + ran $count methods; expected $((NGROUPS * METHODS_PER_OP))"
  med=$(awk '$1 == "M" { print $2 }' "$WORK/parsed" | stats | cut -d' ' -f1)
  echo "$run,$round,$op,$((t1 - t0)),$span,$count,$med,$((a1 - a0)),$((c1 - c0)),$by_thread,$machine,$((b1 - b0))" >> "$ROUNDS_CSV"
  printf '    round %d: clrg %-7s + %5d ms (log: first Running -> last succeeded %d ms, %d methods, median %s ms each; CPU: agent %d ms, methods %d ms; machine idle/iowait/steal %s%%)\n' \
    "$round" "$op" $((t1 - t0)) "$span" "$count" "$med" $((a1 - a0)) $((c1 - c0)) "${machine//,//}"
}

run_once() {
  local i=$1 home pid n0 a0 c0 a1 c1 t0 t1 k calls methods r out noop ver
  home=$WORK/run-$i
  rm -rf "$home"; mkdir -p "$home/deploy" "$home/data"
  cp -a "$DIST/bin" "$DIST/etc" "$DIST/lib" "$DIST/system" "$home/" || die "cannot copy $DIST"
  CURRENT=$home
  make_type "$home"
  "$home/bin/vigil" start $FAST > /dev/null 2>&1 || die "bin/vigil start $FAST failed; see $home/data/log"
  pid=$(agent_pid "$home") || die "no agent pid ($home)"
  vigil "$home" clrt register "$home/methods/triv.rtr" > /dev/null || exit 1
  echo "  run $i ($home, agent pid $pid)"

  # (a) One group of 3 resources (a2 depends on a1), online/offline cycles, one group at a time.
  printf '%s\n' "clrg create ga" "clrs create -g ga -t BENCH.triv a1" \
    "clrs create -g ga -t BENCH.triv -p Resource_dependencies=a1 a2" "clrs create -g ga -t BENCH.triv a3" \
    | tool batch "$home/data/vigil.sock" > /dev/null || die "setup of group ga failed"
  for k in $(seq 1 "$WARMUP"); do cycle_group "$home" ga; done
  n0=$(log_lines "$home"); read -r a0 c0 < <(cpu_ms "$pid")
  for k in $(seq 1 "$CYCLES"); do cycle_group "$home" ga; done
  read -r a1 c1 < <(cpu_ms "$pid")
  log_since "$home" "$n0" | parse_methods "$METHODS_PER_OP" > "$WORK/parsed"
  grep -q '^F' "$WORK/parsed" && die "methods failed: $(grep -m 1 '^F' "$WORK/parsed")"
  methods=$(grep -c '^M' "$WORK/parsed")
  [ "$methods" = $((CYCLES * 2 * METHODS_PER_OP)) ] || die "$methods methods logged; expected $((CYCLES * 2 * METHODS_PER_OP))"
  awk -v r="$i" '$1 == "M" { print r "," $2 }' "$WORK/parsed" >> "$METHODS_CSV"
  awk -v r="$i" '$1 == "O" { print r "," $2 }' "$WORK/parsed" >> "$OPS_CSV"
  vigil "$home" clrg delete -F ga > /dev/null || exit 1

  # The same script spawned directly from a JVM, as ProcessRunner spawns it (see RgmBenchTool.java).
  rm -f "$WORK/spawn.tmp"
  "$JAVA" ${BENCH_JAVA_OPTS:-} -Dclk.tck="$CLK_TCK" -cp "$WORK/tool" RgmBenchTool spawn 20 "$SPAWNS" "$WORK/spawn.tmp" "$home/methods/start" \
    || die "the spawn harness failed"
  sed "s/^/$i,/" "$WORK/spawn.tmp" >> "$SPAWN_CSV"

  # Client JVM: bin/vigil version, 3 times.
  ver=""
  for k in 1 2 3; do t0=$(now_ms); vigil "$home" version > /dev/null || exit 1; ver="$ver $(( $(now_ms) - t0 ))"; done
  ver=$(printf '%s\n' $ver | stats | cut -d' ' -f1)

  local result_a="$i,$methods,$((a1 - a0)),$((c1 - c0)),$ver"
  printf '    (a) %d method calls: median %s ms (log); CPU per method: agent JVM %s ms (incl. admin commands), method processes %s ms\n' "$methods" \
    "$(cut -d, -f2 "$METHODS_CSV" | tail -n "$methods" | stats | cut -d' ' -f1)" \
    "$(awk -v a=$((a1 - a0)) -v m="$methods" 'BEGIN { printf "%.1f", a / m }')" \
    "$(awk -v a=$((c1 - c0)) -v m="$methods" 'BEGIN { printf "%.1f", a / m }')"

  # (b) NGROUPS groups of 3 resources, created over one client JVM (not timed against a goal).
  for k in $(seq 1 "$NGROUPS"); do
    echo "clrg create g$k"
    echo "clrs create -g g$k -t BENCH.triv g$k-r1"
    echo "clrs create -g g$k -t BENCH.triv -p Resource_dependencies=g$k-r1 g$k-r2"
    echo "clrs create -g g$k -t BENCH.triv g$k-r3"
  done > "$WORK/setup.txt"
  t0=$(now_ms)
  tool batch "$home/data/vigil.sock" < "$WORK/setup.txt" > /dev/null || die "setup of $NGROUPS groups failed"
  t1=$(now_ms)
  echo "    setup: $((NGROUPS * 4)) commands in $((t1 - t0)) ms over one client JVM"
  # One store write with this configuration: NGROUPS x clrg set (each commits the whole document,
  # fsync'd) against NGROUPS x clrg status (no write), each batch over one client JVM. The setting
  # goes back to its default, so that the groups are as created.
  local tr tw bytes store
  for k in $(seq 1 "$NGROUPS"); do echo "clrg status g$k"; done > "$WORK/reads.txt"
  for k in $(seq 1 "$NGROUPS"); do echo "clrg set -p Pingpong_interval=3601 g$k"; done > "$WORK/writes.txt"
  t0=$(now_ms); tool batch "$home/data/vigil.sock" < "$WORK/reads.txt" > /dev/null || die "clrg status failed"
  t1=$(now_ms); tr=$((t1 - t0))
  tool batch "$home/data/vigil.sock" < "$WORK/writes.txt" > /dev/null || die "clrg set failed"
  tw=$(( $(now_ms) - t1 ))
  sed 's/=3601/=3600/' "$WORK/writes.txt" | tool batch "$home/data/vigil.sock" > /dev/null || die "clrg set failed"
  bytes=$(wc -c < "$home/data/cluster/store.json")
  store=$(awk -v w="$tw" -v r="$tr" -v n="$NGROUPS" 'BEGIN { printf "%.1f", (w - r) / n }')
  echo "    one store write: $store ms (clrg set - clrg status; store.json $((bytes / 1024)) KiB)"
  echo "$result_a,$store,$bytes" >> "$RESULTS"
  for r in $(seq 1 "$ROUNDS"); do
    bulk "$home" online "$pid" "$r" "$i"
    # Again, with every group online already: the client JVM and the fan-out, no method, no store write.
    t0=$(now_ms); out=$(vigil "$home" clrg online +) || exit 1; noop=$(( $(now_ms) - t0 ))
    echo "$i,$r,noop,$noop,0,0,0,0,0,0,0,0,0,0,0,0,0,0" >> "$ROUNDS_CSV"
    bulk "$home" offline "$pid" "$r" "$i"
  done

  "$home/bin/vigil" stop > /dev/null 2>&1
  agent_pid "$home" > /dev/null && die "the agent of $home still runs after stop"
  [ "$KEEP" = 1 ] || rm -rf "$home"
  CURRENT=""
}

# ---------------------------------------------------------------------------------------------

echo "Vigil RGM benchmark: $RUNS runs, $ROUNDS rounds each, $NGROUPS groups, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  distribution: $DIST${FAST:+ (agent started with --fast)}"
echo "  java: $("$JAVA" -version 2>&1 | head -n 1); $NCPU CPUs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${VIGIL_JAVA_OPTS:-}" ] && echo "  extra JVM flags: $VIGIL_JAVA_OPTS"

rm -rf "$WORK/tool"; mkdir -p "$WORK/tool"
"$JAVAC" -nowarn -d "$WORK/tool" -cp "$SHELL_JAR" "$HERE/RgmBenchTool.java" || die "cannot compile RgmBenchTool.java"
echo "run,methods,agent_cpu_ms,methods_cpu_ms,client_version_ms,store_write_ms,store_bytes" > "$RESULTS"
echo "run,round,op,wall_ms,log_span_ms,methods,method_median_ms,agent_cpu_ms,methods_cpu_ms,cpu_group_threads_ms,cpu_reapers_ms,cpu_jit_gc_ms,cpu_other_ms,cpu_ended_threads_ms,idle_pct,iowait_pct,steal_pct,client_cpu_ms" > "$ROUNDS_CSV"
: > "$METHODS_CSV"; : > "$OPS_CSV"; : > "$SPAWN_CSV"

for i in $(seq 1 "$RUNS"); do run_once "$i"; done
rm -f "$WORK/parsed" "$WORK/spawn.tmp" "$WORK/setup.txt" "$WORK/threads.before" "$WORK/threads.after" \
  "$WORK/reads.txt" "$WORK/writes.txt"

# --- summary ---------------------------------------------------------------------------------

col() { awk -F, -v c="$2" -v w="${3:-}" -v o="${4:-}" 'NR > 1 && (w == "" || $w == o) { print $c }' "$1"; }
raw() { awk -F, -v c="$2" '{ print $c }' "$1"; }
spawn_ms() { awk -F, -v v="$1" '$2 == v { printf "%.3f\n", $3 / 1000 }' "$SPAWN_CSV"; }
cpu_spawn() { awk -F, -v v="cpu-$1" '$2 == v { s += $3; n++ } END { printf "%.1f", s / n / 1000 }' "$SPAWN_CSV"; }
fmt() { case "$1" in -) echo - ;; *) awk -v x="$1" -v d="${DECIMALS:-0}" 'BEGIN { printf "%.*f", d, x }' ;; esac; }
calc() { awk "BEGIN { printf \"%.1f\", $1 }"; }
verdict() {  # value goal
  awk -v x="$1" -v g="$2" 'BEGIN { if (x <= g) printf "goal <= %s ms: met", g; else printf "goal <= %s ms: MISSED", g }'
}
row() {  # label "median p90 min max" [verdict]
  local label=$1 med p90 min max
  read -r med p90 min max <<< "$2"
  printf '  %-62s %7s %7s %7s %7s   %s\n' "$label" "$(fmt "$med")" "$(fmt "$p90")" "$(fmt "$min")" "$(fmt "$max")" "${3:-}"
}
one() { printf '  %-62s %7s   %s\n' "$1" "$2" "${3:-}"; }

read -r m_med m_p90 _ _ < <(raw "$METHODS_CSV" 2 | stats)
read -r d_med d_p90 _ _ < <(spawn_ms direct | stats)
over_med=$(calc "$m_med - $d_med")
over_p90=$(calc "$m_p90 - $d_p90")
total_methods=$(col "$RESULTS" 2 | awk '{ s += $1 } END { print s }')
mean() { awk '{ s += $1 } END { printf "%.1f", s / NR }'; }
per_method() { awk -F, -v c="$1" 'NR > 1 { a += $c; m += $2 } END { printf "%.1f", a / m }' "$RESULTS"; }

echo
echo "Results (ms)                                                       median     p90     min     max"
echo " (a) method dispatch: $total_methods calls of trivial methods (#!/bin/sh exit 0), one group of 3 resources at a time"
DECIMALS=1
row "RGM time per method (agent log: Running -> succeeded)" "$(raw "$METHODS_CSV" 2 | stats)"
row "  incl. the RGM's work between methods (group op / $METHODS_PER_OP)" \
  "$(raw "$OPS_CSV" 2 | awk -v p=$METHODS_PER_OP '{ print $1 / p }' | stats)"
row "direct spawn of the same script (Java harness, ProcessBuilder)" "$(spawn_ms direct | stats)"
printf '  %-62s %7s %7s %15s   %s\n' "=> dispatch overhead beyond the spawn (RGM - direct)" "$over_med" "$over_p90" "" \
  "$(verdict "$over_med" "$GOAL_DISPATCH_MS") (median)"
m_mean=$(raw "$METHODS_CSV" 2 | mean); d_mean=$(spawn_ms direct | mean)
s_mean=$(spawn_ms setsid | mean); f_mean=$(spawn_ms mkfifo | mean)
one "   the same from means (finer: log timestamps are whole ms)" "$(calc "$m_mean - $d_mean")" \
  "mean RGM $m_mean, direct $d_mean"
row "  harness: through /usr/bin/setsid --wait (as the RGM)" "$(spawn_ms setsid | stats)"
row "  harness: mkfifo in a fresh 0700 temp dir (as the RGM)" "$(spawn_ms mkfifo | stats)"
one "  of which (means): setsid's extra exec (setsid - direct)" "$(calc "$s_mean - $d_mean")"
one "  of which (means): the mkfifo process" "$f_mean"
one "  of which (means): the rest, in the agent JVM" "$(calc "$m_mean - $s_mean - $f_mean")" "(RGM - setsid - mkfifo)"
one "CPU per method: the method's processes" "$(per_method 4)" "harness per spawn: direct $(cpu_spawn direct), setsid $(cpu_spawn setsid), mkfifo $(cpu_spawn mkfifo)"
one "CPU per method: agent JVM (incl. admin commands, store, JIT)" "$(per_method 3)"

echo
echo " (b) $NGROUPS groups x 3 resources (r2 depends on r1), $((RUNS * ROUNDS)) rounds; each timed around one bin/vigil call"
DECIMALS=0
online_med=$(col "$ROUNDS_CSV" 4 3 online | stats | cut -d' ' -f1)
row "clrg online +" "$(col "$ROUNDS_CSV" 4 3 online | stats)" "$(verdict "$online_med" "$GOAL_ONLINE_MS") (median, $NCPU CPUs)"
row "  first round of each run (fresh agent)" "$(awk -F, '$3 == "online" && $2 == 1 { print $4 }' "$ROUNDS_CSV" | stats)"
row "  agent log: first Running -> last succeeded" "$(col "$ROUNDS_CSV" 5 3 online | stats)"
row "  one method under this load (log; median of each round)" "$(col "$ROUNDS_CSV" 7 3 online | stats)"
row "  CPU of the methods' processes" "$(col "$ROUNDS_CSV" 9 3 online | stats)"
row "  CPU of the agent JVM" "$(col "$ROUNDS_CSV" 8 3 online | stats)"
row "    group executor threads" "$(col "$ROUNDS_CSV" 10 3 online | stats)"
row "    JDK process reaper threads" "$(col "$ROUNDS_CSV" 11 3 online | stats)"
row "    ended threads (method output readers, clrg's pool)" "$(col "$ROUNDS_CSV" 14 3 online | stats)"
row "    JIT and GC" "$(col "$ROUNDS_CSV" 12 3 online | stats)"
row "clrg offline +" "$(col "$ROUNDS_CSV" 4 3 offline | stats)" "(no goal)"
row "  agent log: first Running -> last succeeded" "$(col "$ROUNDS_CSV" 5 3 offline | stats)"
row "  one method under this load (log; median of each round)" "$(col "$ROUNDS_CSV" 7 3 offline | stats)"
row "  CPU of the methods' processes" "$(col "$ROUNDS_CSV" 9 3 offline | stats)"
row "  CPU of the agent JVM" "$(col "$ROUNDS_CSV" 8 3 offline | stats)"
row "clrg online + with every group online already (no method)" "$(col "$ROUNDS_CSV" 4 3 noop | stats)"
row "bin/vigil version (one client JVM and round trip)" "$(col "$RESULTS" 5 | stats)"
DECIMALS=1
row "one store write ($(( $(col "$RESULTS" 7 | stats | cut -d' ' -f1) / 1024 )) KiB; clrg set - clrg status)" "$(col "$RESULTS" 6 | stats)"
share() {  # op: the CPU of agent, methods and client as shares of NCPU x wall time, then the machine's idle etc.
  awk -F, -v o="$1" -v n="$NCPU" 'NR > 1 && $3 == o { a += $8; m += $9; c += $18; w += $4 * n; k++; i += $15; io += $16; st += $17 }
    END { printf "agent JVM %.0f%%, methods %.0f%%, client JVM %.0f%%; machine idle %.0f%%, iowait %.0f%%, steal %.0f%%",
          100 * a / w, 100 * m / w, 100 * c / w, i / k, io / k, st / k }' "$ROUNDS_CSV"
}
echo "  CPU during the calls, share of $NCPU CPUs x wall time (mean):"
echo "    online:  $(share online)"
echo "    offline: $(share offline)"
echo
echo "(a) The RGM's times come from its log (ms timestamps, paired per group thread); the direct spawn is timed in a"
echo "    JVM that launches the script with ProcessBuilder as ProcessRunner does (cleared environment, stdin"
echo "    /dev/null, output read to its end, waitFor), interleaved with the setsid and mkfifo variants."
echo "(b) The bin/vigil figures include one client JVM (see bin/vigil version); nothing is subtracted."
echo "Raw figures: $WORK/{results,rounds,methods,ops,spawn}.csv; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
