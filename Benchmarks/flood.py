#!/usr/bin/env python3
"""Writes a flood capture for the memory-cap check (README, "Memory under floods"):
  flood.py syn-flood N OUT.pcap    N SYNs from N spoofed sources to 198.51.100.20:80 in N microseconds
  flood.py one-packet N OUT.pcap   N flows of one bare ACK each (a scan, or a capture of N strays)
Ethernet, IPv4, 54-byte frames; deterministic."""
import struct, sys


def frame(src, dst, sport, dport, seq, ack, flags):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 64240, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 1, 0x4000, 64, 6, 0, src, dst)
    return b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00" + ip + tcp


def main():
    mode, count, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    server = bytes([198, 51, 100, 20])
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        base = 1_763_000_000
        for index in range(count):
            source = struct.pack("!I", 0x0A000000 | (index & 0xFFFFFF))   # 10.x.y.z: one per flow
            port = 1024 + (index >> 24)
            if mode == "syn-flood":
                data = frame(source, server, port, 80, (index * 2654435761) & 0xFFFFFFFF, 0, 0x02)
            else:
                data = frame(source, server, port, 80, index, 1, 0x10)
            micros = base * 1_000_000 + index
            out.write(struct.pack("<IIII", micros // 1_000_000, micros % 1_000_000, len(data), len(data)) + data)


if __name__ == "__main__":
    main()
