#!/usr/bin/env bash
# The benchmark, in one command:   Benchmarks/run.sh [small] [medium] [large]     (default: all three)
#
# Builds release binaries, generates the deterministic synthetic captures once (cached in .bench/),
# then for each size runs the C yardstick and tcpflow-audit RUNS times (default 3) and prints
# medians: seconds, packets/s, MB/s, peak resident memory, the ratio to the yardstick, and
# whether the findings match what the generator wrote. Timed runs write their JSON to /dev/null
# (the yardstick writes nothing either); one more run per size keeps the JSON summary for the
# findings check and prints `--stats`, with the flow tables' bytes per connection. tshark and tcptrace are timed too when
# installed (OTHER_TOOLS=0 skips them). Sizes: small 100 k packets / 2 k concurrent connections, medium 2 M / 20 k,
# large 20 M / 100 k (about 2.2 GB on disk).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-3}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(small medium large)

command -v cc >/dev/null || { echo "Benchmarks/run.sh: needs a C compiler (cc)" >&2; exit 2; }
pkg-config --exists libpcap || { echo "Benchmarks/run.sh: needs libpcap-dev" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "Benchmarks/run.sh: needs GNU time (/usr/bin/time, Debian package 'time')" >&2; exit 2; }

swift build -c release >&2
bin="$(swift build -c release --show-bin-path)"
mkdir -p .bench
cc -O2 -o .bench/yardstick Benchmarks/yardstick.c -lpcap

declare -A packets=([small]=100000 [medium]=2000000 [large]=20000000)
declare -A concurrency=([small]=2000 [medium]=20000 [large]=100000)

measure() {  # measure NAME OUTFILE COMMAND... : appends "seconds kilobytes" lines to .bench/NAME.times
    local name="$1" out="$2"; shift 2
    : > ".bench/$name.times"
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o ".bench/$name.time1" "$@" > "$out"
        cat ".bench/$name.time1" >> ".bench/$name.times"
    done
}

for size in "${sizes[@]}"; do
    capture=".bench/$size.pcap"
    if [ ! -s "$capture" ] || [ ! -s ".bench/$size.manifest" ]; then
        echo "generating $capture (${packets[$size]} packets, ${concurrency[$size]} concurrent)…" >&2
        "$bin/tcpflow-audit-benchgen" "${packets[$size]}" "${concurrency[$size]}" "$capture" > ".bench/$size.manifest"
    fi
    echo "measuring $size ($runs runs each)…" >&2
    measure "$size.yardstick" /dev/null .bench/yardstick "$capture"
    measure "$size.audit" /dev/null "$bin/tcpflow-audit" --format json --fail-on never "$capture"
    "$bin/tcpflow-audit" --stats --format json --fail-on never "$capture" 2> ".bench/$size.stats" | tail -n 1 > ".bench/$size.summary"
    if [ "${OTHER_TOOLS:-1}" = 1 ] && command -v tshark >/dev/null; then measure "$size.tshark" /dev/null tshark -r "$capture" -q -z conv,tcp; fi
    if [ "${OTHER_TOOLS:-1}" = 1 ] && command -v tcptrace >/dev/null; then measure "$size.tcptrace" /dev/null tcptrace -n "$capture"; fi
done

python3 - "${sizes[@]}" <<'PY'
import json, os, statistics, sys
def times(name):
    path = f".bench/{name}.times"
    if not os.path.exists(path): return None
    rows = [line.split() for line in open(path) if line.strip()]
    return statistics.median(float(r[0]) for r in rows), statistics.median(int(r[1]) for r in rows) * 1024 / 1e6  # GNU time prints KiB
print(f"{'size':7} {'packets':>10} {'tool':10} {'median s':>9} {'Mpkt/s':>7} {'MB/s':>7} {'peak MB':>8} {'vs yardstick':>12}  findings")
for size in sys.argv[1:]:
    manifest = {}
    for line in open(f".bench/{size}.manifest"):
        parts = line.split()
        manifest[" ".join(parts[:-1])] = int(parts[-1])
    packets, megabytes = manifest["packets"], os.path.getsize(f".bench/{size}.pcap") / 1e6
    expected = {k.split()[1]: v for k, v in manifest.items() if k.startswith("finding ") and v > 0}
    summary = json.loads(open(f".bench/{size}.summary").read())
    found = summary["findings"]
    verdict = "match" if found == expected else f"MISMATCH expected {expected} found {found}"
    base = times(f"{size}.yardstick")
    for tool in ("yardstick", "audit", "tshark", "tcptrace"):
        measured = times(f"{size}.{tool}")
        if not measured: continue
        seconds, peak = measured
        name = "tcpflow-audit" if tool == "audit" else tool
        ratio = f"{base[0] / seconds:.2f}x" if base else "-"
        print(f"{size:7} {packets:>10} {name:10} {seconds:>9.2f} {packets / seconds / 1e6:>7.2f} {megabytes / seconds:>7.0f} {peak:>8.0f} {ratio:>12}  {verdict if tool == 'audit' else ''}")
for size in sys.argv[1:]:
    for line in open(f".bench/{size}.stats"):
        print(f"{size:7} " + line.strip().removeprefix("tcpflow-audit: "))
PY
