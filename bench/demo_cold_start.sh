#!/usr/bin/env bash
# Figure 1 of issue 2: `make demo` from a fresh clone, package caches warm, serves in <= 3 min.
#
# Clones the repository's committed HEAD into a temporary directory, runs
# `make demo PORT=<free loopback port>` there in the background (its own process group), polls
# http://127.0.0.1:<port>/healthz until it answers 200 and prints the seconds elapsed from the
# start of `make demo` (and from the start of the clone). Then it kills the demo's process group
# and removes the temporary directory. pip's and npm's caches are used as they are (warm).
#
# Usage (from the repo root):
#   bash bench/demo_cold_start.sh [--worktree] [--keep] [--timeout SECONDS] [--json FILE]
#     --worktree   copy the working tree (tracked and untracked, not ignored) instead of
#                  cloning HEAD: to measure uncommitted work; the figure of record uses HEAD
#     --keep       keep the temporary directory (its demo.log has timestamped make output)
#     --timeout    give up after this many seconds of `make demo` (default 290)
#     --json       also write the figures to FILE
set -euo pipefail

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

SOURCE=head KEEP=0 TIMEOUT=290 JSON=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --worktree) SOURCE=worktree ;;
    --keep) KEEP=1 ;;
    --timeout) TIMEOUT="$2"; shift ;;
    --json) JSON="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET=180
TMP="$(mktemp -d /tmp/blonet-cold-start-XXXXXX)"
PGID=""

cleanup() {
  local rc=$?
  if [[ -n "$PGID" ]]; then
    kill -TERM -- "-$PGID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 -- "-$PGID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$PGID" 2>/dev/null || true
  fi
  if [[ "$KEEP" == 1 ]]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "machine: nproc=$(nproc) cpu='$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')'"
free -h
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

PORT="$("$REPO/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
  || python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

T_CLONE="$(now)"
if [[ "$SOURCE" == head ]]; then
  git clone --quiet --no-hardlinks "$REPO" "$TMP/blonet"
  REV="$(git -C "$TMP/blonet" rev-parse --short HEAD)"
  echo "source: git clone of HEAD $REV ($(git -C "$TMP/blonet" log -1 --format=%s))"
else
  mkdir -p "$TMP/blonet"
  (cd "$REPO" && git ls-files -z --cached --others --exclude-standard \
     | grep -zv '^bench/out/' \
     | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh \
     | tar --null -T - -cf -) | tar -C "$TMP/blonet" -xf -
  REV="worktree@$(git -C "$REPO" rev-parse --short HEAD)+changes"
  echo "source: copy of the working tree ($REV)"
fi
cd "$TMP/blonet"
[[ -f Makefile ]] || { echo "FAIL: no Makefile in $REV: make demo cannot run" >&2; exit 1; }

# A clean environment for the demo: no BLONET_* settings leak in from the caller.
while IFS= read -r v; do unset "$v"; done < <(env | sed -n 's/^\(BLONET_[A-Za-z0-9_]*\)=.*/\1/p')
unset VIRTUAL_ENV

T0="$(now)"
set -m  # the background job gets its own process group
( make demo PORT="$PORT" 2>&1 | while IFS= read -r line; do
    printf '%7.1f %s\n' "$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$line"
  done > "$TMP/demo.log" ) &
JOB=$!
set +m
PGID="$(ps -o pgid= -p "$JOB" | tr -d ' ')"
echo "make demo PORT=$PORT started (process group $PGID); polling /healthz"

CODE=000
while :; do
  CODE="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" || true)"
  [[ "$CODE" == 200 ]] && break
  if ! kill -0 "$JOB" 2>/dev/null; then
    echo "FAIL: make demo exited before serving; last lines of its output:" >&2
    tail -n 40 "$TMP/demo.log" >&2
    exit 1
  fi
  if awk -v a="$T0" -v b="$(now)" -v t="$TIMEOUT" 'BEGIN { exit !(b - a > t) }'; then
    echo "FAIL: not serving after ${TIMEOUT}s; last lines of its output:" >&2
    tail -n 20 "$TMP/demo.log" >&2
    ELAPSED=">$TIMEOUT"
    break
  fi
  sleep 0.5
done
T1="$(now)"

if [[ "$CODE" == 200 ]]; then
  ELAPSED="$(secs "$T0" "$T1")"
  TOTAL="$(secs "$T_CLONE" "$T1")"
  echo
  echo "phases (seconds since make demo started, from its echoed commands):"
  grep -E '^ *[0-9.]+ (python|\.venv/bin/|npm |cd src|BLONET_|\(|/)' "$TMP/demo.log" \
    | sed -E 's/^( *[0-9.]+ .{0,110}).*/  \1/' || true
  echo
  VERDICT=PASS
  awk -v e="$ELAPSED" -v t="$TARGET" 'BEGIN { exit !(e > t) }' && VERDICT=MISS
  echo "make demo -> /healthz 200: ${ELAPSED}s (clone + make demo: ${TOTAL}s); target <= ${TARGET}s: $VERDICT"
else
  VERDICT=MISS TOTAL="$ELAPSED"
fi
if [[ -n "$JSON" ]]; then
  mkdir -p "$(dirname "$JSON")"
  [[ "$JSON" = /* ]] || JSON="$REPO/$JSON"
  printf '{"source": "%s", "make_demo_to_healthy_s": "%s", "clone_and_make_demo_s": "%s", "target_s": %s, "verdict": "%s", "date": "%s", "nproc": %s}\n' \
    "$REV" "$ELAPSED" "$TOTAL" "$TARGET" "$VERDICT" "$(date +%F)" "$(nproc)" > "$JSON"
fi
[[ "$VERDICT" == PASS ]]
