#!/usr/bin/env bash
# Fuzzes the whole pipeline after libpcap (capture clock, decoder, flow table, replay, judgement,
# JSON and text rendering) with libFuzzer and AddressSanitizer, seeded from Captures/.
#
#   Fuzz/run.sh                  fuzz for 60 s
#   Fuzz/run.sh 600              fuzz for 600 s
#   Fuzz/run.sh -runs=10000000   fuzz for ten million executions
#
# Builds into .build-fuzz (optimised, instrumented); the growing corpus is kept in .fuzz/corpus and
# crashes are written to .fuzz/ as crash-*; replay one with
#   swift run tcpflow-audit-fuzz .fuzz/crash-…
# Inputs that once failed live in Fuzz/regressions/ (seeds here, and replayed by FuzzRegressionTests).
set -euo pipefail
cd "$(dirname "$0")/.."
limit="${1:-60}"
case "$limit" in -*) budget=("$limit") ;; *) budget=("-max_total_time=$limit") ;; esac

swift build -c release --scratch-path .build-fuzz --product tcpflow-audit-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING >&2
mkdir -p .fuzz/corpus .fuzz/seeds
python3 Fuzz/seeds.py Captures .fuzz/seeds >&2
exec .build-fuzz/release/tcpflow-audit-fuzz .fuzz/corpus .fuzz/seeds Fuzz/regressions -artifact_prefix=.fuzz/ -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${budget[@]}"
