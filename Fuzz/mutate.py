#!/usr/bin/env python3
"""File-level mutation check: turns the captures in Captures/ into COUNT damaged files and runs the
real command line on each (text, JSON, conn.log and HTML output in turn), as an engineer would
with the odd capture an incident left behind.

Mutations: truncation anywhere, flipped bytes in a record header or in packet bytes, a huge or a
zero caplen, a pcapng block length or interface id made wrong, absurd timestamps (near 2^31 s,
2^63 units, zero) and timestamps running backwards.

Every run must end with a documented exit code (0-4), never a signal and never past the time
limit, and every non-zero exit must say why on stderr. Prints a table of exit codes; exits 1 on
any violation, listing the files (kept in OUTDIR) that show it.

Usage: mutate.py TCPFLOW_AUDIT_BINARY OUTDIR [COUNT] [SEED]"""
import os, random, struct, subprocess, sys

DOCUMENTED = {0, 1, 2, 3, 4}


def sources(root):
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            if name.endswith((".pcap", ".pcapng")):
                yield os.path.join(folder, name)


def pcap_records(data):
    """Offsets of classic pcap record headers (little or big endian), or [] for pcapng."""
    if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif data[:4] in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        return endian_less_blocks(data)
    offsets, offset = [], 24
    while offset + 16 <= len(data):
        offsets.append(("pcap", endian, offset))
        caplen = struct.unpack(endian + "I", data[offset + 8:offset + 12])[0]
        offset += 16 + caplen
    return offsets


def endian_less_blocks(data):
    """pcapng blocks (little endian, as the corpus writes them)."""
    offsets, offset = [], 0
    while offset + 12 <= len(data):
        kind, length = struct.unpack("<II", data[offset:offset + 8])
        offsets.append(("pcapng", kind, offset))
        if length < 12 or length % 4:
            break
        offset += length
    return offsets


def mutate(data, rng):
    data = bytearray(data)
    records = pcap_records(bytes(data))
    choice = rng.randrange(9)
    if choice == 0 or not records:
        return data[:rng.randrange(len(data) + 1)], "truncated"
    kind, tag, offset = rng.choice(records)
    if kind == "pcap":
        endian = tag
        if choice == 1:
            data[offset + rng.randrange(16)] ^= 1 << rng.randrange(8)
            return data, "record header bit flipped"
        if choice == 2:
            data[offset + 8:offset + 12] = struct.pack(endian + "I", rng.choice([0, 0xFFFFFFFF, 0x7FFFFFFF, 262_145]))
            return data, "caplen huge or zero"
        if choice == 3:
            seconds = rng.choice([0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0, 2_000_000_000])
            data[offset:offset + 4] = struct.pack(endian + "I", seconds)
            return data, "absurd timestamp"
        if choice == 4 and len(records) > 2:
            # Every later record a day earlier: the clock steps back.
            for _, _, later in records[records.index((kind, tag, offset)):]:
                seconds = struct.unpack(endian + "I", data[later:later + 4])[0]
                data[later:later + 4] = struct.pack(endian + "I", (seconds - 86_400) & 0xFFFFFFFF)
            return data, "clock steps back"
    else:
        block = tag
        if choice in (1, 2):
            data[offset + 4:offset + 8] = struct.pack("<I", rng.choice([0, 8, 13, 0xFFFFFFF0, 1 << 20]))
            return data, "pcapng block length"
        if choice == 3 and block == 6 and offset + 16 <= len(data):
            data[offset + 12:offset + 16] = struct.pack("<I", rng.choice([0xFFFFFFFF, 0x7FFFFFFF, 0]))
            return data, "pcapng timestamp"
        if choice == 4 and block == 6 and offset + 12 <= len(data):
            data[offset + 8:offset + 12] = struct.pack("<I", rng.choice([1, 7, 0xFFFF]))
            return data, "pcapng interface id"
    for _ in range(rng.randrange(1, 9)):
        position = rng.randrange(len(data))
        data[position] = rng.randrange(256)
    return data, "packet bytes"


def main():
    binary, outdir = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    os.makedirs(outdir, exist_ok=True)
    originals = [open(path, "rb").read() for path in sources("Captures")]
    outcomes, bad = {}, []
    for index in range(count):
        data, how = mutate(rng.choice(originals), rng)
        path = os.path.join(outdir, f"m{index:05}.pcap")
        with open(path, "wb") as out:
            out.write(data)
        # Each output in turn: the text report, JSON Lines, the conn.log, and the HTML page (whose
        # ladders read the damaged file a second time).
        mode = ("text", "json", "conn", "html")[index % 4]
        page = path + ".html"
        arguments = ["--html", page, path] if mode == "html" else ["--format", mode, path]
        try:
            run = subprocess.run([binary] + arguments, capture_output=True, timeout=20)
            code = run.returncode
        except subprocess.TimeoutExpired:
            code, run = "hang", None
        outcomes[code] = outcomes.get(code, 0) + 1
        if code == "hang" or code < 0 or code not in DOCUMENTED:
            bad.append(f"{path}: {how}: exit {code}")
        elif code in (2, 3, 4) and not run.stderr.strip():
            bad.append(f"{path}: {how}: exit {code} with nothing on stderr")
        else:
            os.unlink(path)
            if os.path.exists(page):
                os.unlink(page)
    print("exit code: runs")
    for code in sorted(outcomes, key=str):
        print(f"  {code}: {outcomes[code]}")
    for line in bad[:50]:
        print("VIOLATION", line)
    print(f"{count - len(bad)} passed, {len(bad)} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
