#!/usr/bin/env bash
# Live-mode soak: tcpflow-audit -i lo for SECONDS (default 600) while a bounded generator opens
# and closes connections on loopback (a mix of clean, server-closed, reset and refused), sampling
# the analyzer's resident memory every 30 s. Needs root (capture) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
swift build -c release >&2
bin="$(swift build -c release --show-bin-path)"
log=".bench/soak-$(date +%s)"
mkdir -p .bench
"$bin/tcpflow-audit" -i lo -f 'tcp portrange 19000-19001' --format json --fail-on never --close-wait-threshold 5 > "$log.jsonl" 2> "$log.err" &
audit=$!
sleep 1
python3 - "$seconds" > "$log.load" <<'PY' &
import socket, struct, sys, time
end = time.monotonic() + int(sys.argv[1])
server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 19000)); server.listen(512)
count = 0
while time.monotonic() < end:
    kind = count % 10
    if kind == 9:
        s = socket.socket()
        try: s.connect(("127.0.0.1", 19001))
        except OSError: pass
        s.close()
    else:
        c = socket.create_connection(("127.0.0.1", 19000)); a, _ = server.accept()
        c.sendall(b"x" * 200); a.recv(4096); a.sendall(b"y" * 2000); c.recv(65536)
        if kind == 8: c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); c.close(); a.close()
        elif kind == 7: a.close(); c.close()
        else: c.close(); a.close()
    count += 1
    time.sleep(0.002)
print("connections", count)
PY
load=$!
echo "elapsed_s rss_kb" > "$log.rss"
start=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
    echo "$(( $(date +%s) - start )) $(awk '/VmRSS/ {print $2}' /proc/$audit/status)" >> "$log.rss"
    sleep 30
done
kill -INT "$audit"; wait "$audit" || true
echo "$(( $(date +%s) - start )) final" >> "$log.rss"
cat "$log.load" "$log.rss"
tail -1 "$log.jsonl" | cut -c1-600
