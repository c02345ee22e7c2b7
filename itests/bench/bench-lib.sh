# Shared by the benchmark scripts (sourced): timing, the agent of a distribution copy, and a trap
# that always stops it. The sourcing script sets KEEP (1: keep the copy) and CURRENT (the copy in use).

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The home of the copy in use, for the trap.
CURRENT=""

# The pid of the agent of copy $1, if it runs.
agent_pid() {
  local pid
  pid=$(cat "$1/data/vigil.pid" 2>/dev/null) || return 1
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-Dvigil.home=$1 " || return 1
  echo "$pid"
}

stop_agent() {
  local home=$1 pid
  pid=$(agent_pid "$home") || return 0
  VIGIL_STOP_TIMEOUT=30 "$home/bin/vigil" stop > /dev/null 2>&1
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
}

cleanup() {
  if [ -n "$CURRENT" ]; then
    stop_agent "$CURRENT"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$CURRENT"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
