#!/usr/bin/env bash
# Makes the AppCDS archive lib/vigil.jsa of an assembled distribution (run by the build, phase
# package, between finish-dist and tar-dist in runtime/pom.xml).
#
#   make-cds.sh <dist> <work>
#
# Starts the distribution once as `bin/vigil start --fast` with -XX:ArchiveClassesAtExit, so the
# archive is dumped with the flags of the fast mode (C1 only, serial GC); runs a few admin commands
# so their classes are in it too; stops the agent (the JVM writes the archive as it exits); checks
# that a JVM with the fast flags, and one with the default flags (G1, C2), maps it (-Xshare:on).
# bin/vigil uses the archive in both modes: it holds class metadata only, no heap objects.
# The agent runs on a private data directory, <work>/data, removed afterwards: the distribution's
# data/ stays empty, and no JVM, socket or pid file is left.
#
# Never fails the build: if the archive cannot be made, it prints a warning and leaves no
# lib/vigil.jsa; bin/vigil then runs without it, only starts slower.
# The archive records the class path (lib/felix.jar, relative: bin/vigil launches from $VIGIL_HOME)
# and the size and time of felix.jar, and belongs to the JDK that made it; with another JDK, or a
# changed felix.jar, -Xshare:auto ignores it.
set -u

if [ $# -ne 2 ]; then echo "usage: make-cds.sh <dist> <work>" >&2; exit 2; fi
DIST=$(cd "$1" && pwd -P) || exit 2
mkdir -p "$2" && WORK=$(cd "$2" && pwd -P) || { echo "[WARNING] make-cds: cannot create $2" >&2; exit 0; }
JSA=$DIST/lib/vigil.jsa
TMP_JSA=$DIST/lib/.vigil.jsa.tmp
VIGIL=$DIST/bin/vigil
if [ -n "${JAVA_HOME:-}" ]; then JAVA=$JAVA_HOME/bin/java; else JAVA=java; fi

export VIGIL_DATA=$WORK/data
export VIGIL_START_TIMEOUT=${VIGIL_CDS_START_TIMEOUT:-60}
export VIGIL_STOP_TIMEOUT=60
# The "Skipping ...: Not linked" warnings of the dump go to the private console.log, kept as
# <work>/cds-console.log.
export VIGIL_JAVA_OPTS="-XX:ArchiveClassesAtExit=$TMP_JSA"
unset VIGIL_FAST

warn() {
  echo "[WARNING] make-cds: $*; lib/vigil.jsa not made (bin/vigil works without it, only starts slower)" >&2
}

cleanup() {
  local pid
  # Stop the agent if it still runs (a failed start or stop): by its pid, and only if it is ours.
  if [ -f "$VIGIL_DATA/vigil.pid" ]; then
    pid=$(cat "$VIGIL_DATA/vigil.pid" 2>/dev/null)
    if [ -n "$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-Dvigil.data=$VIGIL_DATA "; then
      "$VIGIL" stop > /dev/null 2>&1 || kill -KILL "$pid" 2>/dev/null
    fi
  fi
  [ -f "$VIGIL_DATA/log/console.log" ] && cp "$VIGIL_DATA/log/console.log" "$WORK/cds-console.log"
  rm -rf "$VIGIL_DATA"
  rm -f "$TMP_JSA"
}
trap cleanup EXIT

rm -f "$JSA" "$TMP_JSA"
rm -rf "$VIGIL_DATA"

t0=$(date +%s%N)
# start returns once `version` answers over the admin socket.
if ! "$VIGIL" start --fast > "$WORK/cds-start.log" 2>&1; then
  warn "the agent did not start with -XX:ArchiveClassesAtExit (see $WORK/cds-console.log)"
  exit 0
fi
# Warm-up (start has run `version`): the commands most used, one failing. Each costs ~0.1 s.
for command in "status" "clrt list" "clrt show VIGIL.none"; do
  # shellcheck disable=SC2086
  "$VIGIL" $command > /dev/null 2>&1
done
if ! "$VIGIL" stop > "$WORK/cds-stop.log" 2>&1; then
  warn "the agent did not stop cleanly"
  exit 0
fi
if [ ! -s "$TMP_JSA" ]; then
  warn "the JVM wrote no archive (does it support -XX:ArchiveClassesAtExit? see $WORK/cds-console.log)"
  exit 0
fi
# The archive must map with the fast flags of bin/vigil (-Xshare:on fails if it does not), run as
# bin/vigil runs: from the distribution, class path lib/felix.jar. The default flags should map it too.
if ! check=$(cd "$DIST" && "$JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:on \
    -XX:SharedArchiveFile="$TMP_JSA" -cp lib/felix.jar -version 2>&1); then
  warn "the archive does not map: $(echo "$check" | head -n 3 | tr '\n' ' ')"
  exit 0
fi
if ! check=$(cd "$DIST" && "$JAVA" -Xshare:on -XX:SharedArchiveFile="$TMP_JSA" -cp lib/felix.jar -version 2>&1); then
  echo "[WARNING] make-cds: only the fast mode can use lib/vigil.jsa: $(echo "$check" | head -n 3 | tr '\n' ' ')" >&2
fi
chmod 644 "$TMP_JSA"
mv -f "$TMP_JSA" "$JSA"
t1=$(date +%s%N)
echo "make-cds: $JSA ($(( $(stat -c %s "$JSA") / 1024 / 1024 )) MB) in $(( (t1 - t0) / 1000000 )) ms"
exit 0
