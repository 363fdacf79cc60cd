import FlowAuditTestSupport

#if canImport(Glibc)
import Glibc
#endif

// Writes a synthetic benchmark capture and prints its manifest (used by Benchmarks/run.sh).
// Usage: tcpflow-audit-benchgen PACKETS CONCURRENCY OUTPUT.pcap
let arguments = CommandLine.arguments
guard arguments.count == 4, let packets = Int(arguments[1]), let concurrency = Int(arguments[2]), packets > 0,
    concurrency > 0
else {
    print("usage: tcpflow-audit-benchgen PACKETS CONCURRENCY OUTPUT.pcap")
    exit(2)
}
guard let manifest = SyntheticWorkload(packets: packets, concurrency: concurrency).write(to: arguments[3]) else {
    print("tcpflow-audit-benchgen: cannot write \(arguments[3])")
    exit(2)
}
print("packets \(manifest.packets)")
print("bytes \(manifest.bytes)")
print("connections \(manifest.connections)")
for (kind, count) in manifest.expectedFindings.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
    print("finding \(kind.rawValue) \(count)")
}
