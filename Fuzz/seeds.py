#!/usr/bin/env python3
"""Turns every capture under Captures/ into a fuzzer input (the layout FuzzInput.swift reads):
one byte for the link type, then per frame a 2-byte length, a 4-byte time step in microseconds
(little endian) and the frame's bytes. pcapng files go through tcpdump -r/-w first.
Usage: seeds.py CAPTURES_DIR OUT_DIR"""
import os, struct, subprocess, sys, tempfile

# FuzzInput.linkTypes, by LINKTYPE_ value.
LINK_INDEX = {1: 0, 113: 1, 276: 2, 0: 3, 108: 4, 101: 5, 12: 5, 14: 5, 228: 6, 229: 7, 239: 8, 127: 9, 105: 10}


def frames(path):
    data = open(path, "rb").read()
    magic = data[:4]
    if magic not in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"):
        with tempfile.NamedTemporaryFile(suffix=".pcap") as converted:
            subprocess.run(["tcpdump", "-r", path, "-w", converted.name], check=True, capture_output=True)
            yield from frames(converted.name)
        return
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    link = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    yield ("link", link)
    offset = 24
    while offset + 16 <= len(data):
        seconds, fraction, caplen, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        offset += 16
        micros = seconds * 1_000_000 + (fraction // 1000 if nano else fraction)
        yield (micros, data[offset:offset + caplen])
        offset += caplen


def convert(path):
    out, previous = bytearray(), None
    for item in frames(path):
        if item[0] == "link":
            out.append(LINK_INDEX.get(item[1], 0))
            continue
        micros, frame = item
        step = 0 if previous is None else max(-2**31, min(2**31 - 1, micros - previous))
        previous = micros
        frame = frame[:0x7FFF]
        out += struct.pack("<Hi", len(frame), step) + frame
    return bytes(out)


def main():
    captures, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    count = 0
    for root, _, names in os.walk(captures):
        for name in sorted(names):
            if name.endswith((".pcap", ".pcapng")):
                try:
                    seed = convert(os.path.join(root, name))
                except subprocess.CalledProcessError as error:
                    # libpcap refuses a pcapng whose interfaces have different link types; a seed
                    # has one link type anyway.
                    print(f"skipped {name}: tcpdump cannot convert it ({error.stderr.decode().strip()})", file=sys.stderr)
                    continue
                with open(os.path.join(outdir, name.rsplit(".", 1)[0] + ".seed"), "wb") as out:
                    out.write(seed)
                count += 1
    print(f"{count} seeds in {outdir}")


if __name__ == "__main__":
    main()
