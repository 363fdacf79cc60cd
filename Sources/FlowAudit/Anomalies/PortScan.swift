/// One host probed many ports or hosts (`ProbeAggregates.scanTargets` distinct targets at least)
/// with connection attempts it never meant to use: SYNs it abandoned or reset when answered
/// (a half-open scan), FIN, NULL or Xmas segments without ACK (RFC 9293 §3.10.7.1: a closed port
/// answers them with RST, an open one stays silent), or lone ACKs. Information: one finding per
/// scanner, with its probe types, how many ports it reached and how they answered.
enum PortScan: FindingRule {
    static var kind: AnomalyKind { .portScan }
    static var advice: String {
        "A host probed many ports or hosts: a scanner (authorised or not). Check it against your inventory of scanners; closed ports answer with RST, filtered ones stay silent."
    }

    static func finding(source: IPAddress, _ scan: ProbeAggregates.Scan, states: (TCPState, TCPState)) -> Finding {
        let kinds = Probe.Kind.allCases.filter { scan.kinds.contains($0) }.map(\.rawValue).joined(separator: ", ")
        let ports = scan.ports, hosts = scan.hosts
        var text: Explanation =
            "\(source.description) probed \(ports) port\(ports == 1 ? "" : "s") on \(hosts.count) host\(hosts.count == 1 ? "" : "s")"
        if hosts.count == 1, let host = hosts.first { text += " (\(host.description))" }
        text +=
            " in \(duration: scan.last.since(scan.first)) with \(scan.probes) \(kinds) probe\(scan.probes == 1 ? "" : "s"): "
        text +=
            "\(scan.open) answered SYN-ACK (open), \(scan.closed) RST (closed), \(scan.silent) nothing (filtered, or open to FIN/NULL/Xmas probes). A port scan, not broken connections."
        return Finding(
            .portScan,
            .info,
            frames: scan.frames,
            firstTime: scan.first,
            lastTime: scan.last,
            clientState: states.0,
            serverState: states.1,
            text
        )
    }
}
