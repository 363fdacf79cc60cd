#!/usr/bin/env bash
# Writes what the release build prints for every capture in Captures/ (text, text --all-flows,
# JSON --all-flows) and for the medium benchmark capture (JSON) into DIR, so that two
# builds can be compared byte for byte after a refactoring:
#
#   Benchmarks/snapshot.sh /tmp/before    (on the old commit)
#   Benchmarks/snapshot.sh /tmp/after     (on the new one)
#   diff -r /tmp/before /tmp/after
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: Benchmarks/snapshot.sh DIR}"
mkdir -p "$out"
swift build -c release --product tcpflow-audit >&2
bin="$(swift build -c release --show-bin-path)/tcpflow-audit"
for capture in Captures/crafted/*.pcap Captures/real/*.pcap; do
    name="$(basename "$(dirname "$capture")")-$(basename "$capture")"
    # The status is part of the output; a non-zero one is expected for captures with findings.
    { "$bin" --fail-on never "$capture"; echo "status $?"; } > "$out/$name.txt" 2>&1 || true
    { "$bin" --all-flows "$capture"; echo "status $?"; } > "$out/$name.all.txt" 2>&1 || true
    { "$bin" --format json --all-flows "$capture"; echo "status $?"; } > "$out/$name.json" 2>&1 || true
done
if [ -s .bench/medium.pcap ]; then
    "$bin" --format json --fail-on never .bench/medium.pcap > "$out/bench-medium.json" 2>&1 || true
fi
