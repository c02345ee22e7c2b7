#!/usr/bin/env bash
# Cluster benchmark of the built distribution: failover after kill -9 of a node's agent, and planned
# switchover, on three agents and a three-server ZooKeeper ensemble (session timeout 2 s).
# Not part of the build or of the default test run (failsafe runs *IT classes only).
#
#   itests/bench/cluster-bench.sh [-n RUNS]
#
# It runs the JUnit class io.vigil.itests.ClusterFailoverBenchmark through failsafe (offline; what
# is measured, and how, is described there): the ensemble runs in the test JVM, the agents are
# copies of runtime/target/vigil under itests/target/e2e/cluster-n{1,2,3}-*, stopped again at the
# end. Build the distribution first. Prints each run and median/max per phase beside the goals.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)
RUNS=5

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  echo "  -n RUNS   failovers (each after a switchover to the node to be killed, when needed; default 5)" >&2
}

while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "cluster-bench.sh: unknown option $1" >&2; usage; exit 2 ;;
  esac
done
case "$RUNS" in ''|*[!0-9]*|0) echo "cluster-bench.sh: -n needs a positive number of runs, not '$RUNS'" >&2; exit 2 ;; esac
[ -x "$ROOT/runtime/target/vigil/bin/vigil" ] \
  || { echo "cluster-bench.sh: no distribution in $ROOT/runtime/target/vigil; run mvn -B install -DskipTests first" >&2; exit 1; }

cd "$ROOT" || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
mvn -B -o verify -pl itests -Dit.test=ClusterFailoverBenchmark -Dcluster.bench.runs="$RUNS" \
  -Dfailsafe.failIfNoSpecifiedTests=false > "$out" 2>&1
status=$?
# The figures (and each run's line), without Maven's and ZooKeeper's own output.
sed -n -e '/^run [0-9]*: /p' -e '/^switchover /p' -e '/^Cluster failover benchmark/,/^Times: /p' "$out"
if [ $status -ne 0 ]; then
  echo "cluster-bench.sh: the benchmark failed (exit $status); the end of Maven's output:" >&2
  tail -n 60 "$out" >&2
fi
exit $status
