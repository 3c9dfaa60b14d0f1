#!/usr/bin/env bash
# Instructions `genuine decode` executes on a set of photos, counted by valgrind's cachegrind:
# an exact comparison of two builds of the reader. Times on this shared 2-core machine drift by
# 10-30 % between runs of the same binary; instruction counts do not drift at all. They are not
# time (memory traffic and vector width are not in them), so a change they favour is still
# confirmed by `make bench`.
#
#   benchmarks/instructions.sh [--functions] GENUINE_BINARY PHOTO...
#
# Prints the count for the whole process (photo loading and start-up included); with
# --functions, also the 25 functions that executed the most. Installs valgrind (apt-get) when it
# is missing.
#
# Two things this needs that are easy to get wrong:
# - valgrind 3.19 cannot read the DWARF 5 debug information Swift 6 writes and gives up; the
#   binary is copied without it (symbols stay, so --functions still names functions).
# - under valgrind a read runs about 40 times slower, so the reader's time budget (3 s) would
#   stop slow photos part way and the two builds would be compared on different work: the budget
#   is raised to a day.
set -euo pipefail
functions=false
if [ "${1:-}" = "--functions" ]; then functions=true; shift; fi
if [ $# -lt 2 ]; then
  echo "usage: $0 [--functions] GENUINE_BINARY PHOTO..." >&2
  exit 64
fi
binary=$1; shift
[ -x "$binary" ] || { echo "$binary: not an executable" >&2; exit 66; }
here=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind > /dev/null || make -C "$here" --no-print-directory deps APT_PACKAGES=valgrind > /dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
strip --strip-debug -o "$work/genuine" "$binary"
# `genuine decode` exits 1 when some photo could not be read (it is still counted, with its
# error); anything else is a failure of the run.
status=0
valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$work/counts" \
  "$work/genuine" decode --json --time-budget 86400 "$@" > "$work/out" 2> "$work/log" || status=$?
if [ "$status" -gt 1 ] || ! grep -qE "I +refs:" "$work/log"; then tail -5 "$work/log" >&2; exit 1; fi
[ "$status" = 0 ] || grep '"error"' "$work/out" >&2
total=$(grep -E "I +refs:" "$work/log" | awk '{print $NF}')
echo "$total instructions, $# photos, $binary"
if $functions; then
  cg_annotate "$work/counts" | awk '/file:function/ { on = 1; getline; next } on && NF' | head -25 | cut -c1-160
fi
