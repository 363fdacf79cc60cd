import FlowAudit

/// Crafted captures of what real captures show and lab captures do not (docs/domain.md §6): segments
/// their receiver would discard, one-sided captures, handshake variants, capture order that is not
/// wire order. Each is written from its packet-level description; a forger is a script of its own
/// (its own TTL, timestamps and sequence numbers), merged into the capture by time.
extension CraftedCorpus {
    /// A second sender using the real endpoints' addresses, starting at `script`'s clock.
    static func forger(of script: ConnectionScript, timestamps: Bool = false) -> ConnectionScript {
        var forger = ConnectionScript(
            client: script.client.description,
            server: script.server.description,
            start: script.clock,
            timestamps: timestamps,
            timestampBase: 7
        )
        forger.vlan = script.vlan
        return forger
    }

    /// A connection into which an injector sends one segment after the client's request; then the
    /// server's reply and a client-first close. `inject` sends it, given the real connection;
    /// `answer` is what the real connection sends at once in reply, if anything.
    static func injectedMidConnection(
        answer: (inout ConnectionScript) -> Void = { _ in },
        _ inject: (inout ConnectionScript, ConnectionScript) -> Void
    ) -> [UInt8] {
        var s = script()
        s.handshake()
        s.data(.client, 120)
        var injector = forger(of: s)
        inject(&injector, s)
        s.clock = injector.clock
        answer(&s)
        s.data(.server, 900)
        s.close(first: .client)
        return Capture([s, injector]).pcap()
    }

    /// A handshake whose ACK the server ignores: it resends its SYN-ACK after 1 s and 3 s, and the
    /// client (no timestamps, no data) re-acknowledges each.
    static func ignoredHandshake() -> ConnectionScript {
        var s = script(timestamps: false)
        s.send(.client, .syn)
        let synACK = s.send(.server, [.syn, .ack], after: 0.000_5)
        let ack = s.send(.client, .ack, after: 0.000_5)
        s.resend(synACK, after: 1)
        s.resend(ack, after: 0.000_5)
        s.resend(synACK, after: 2)
        s.resend(ack, after: 0.000_5)
        return s
    }

    /// A request, a reply and a client-first close, after the handshake.
    static func exchangeAndClose(_ s: inout ConnectionScript) {
        s.data(.client, 120)
        s.data(.server, 900)
        s.close(first: .client)
    }

    static let evidence: [Entry] = connectionEvidence + scansAndFloods

    /// Scans and floods: one finding each, not one per probe (`ProbeAggregates`).
    static let scansAndFloods: [Entry] = [
        entry(
            "syn-scan",
            "a half-open SYN scan from 203.0.113.66:61000 of ports 1–200 on 198.51.100.20 in 0.2 s: ports 22 and 80 answer SYN-ACK (the scanner resets), 192 answer RST/ACK, 6 stay silent"
        ) {
            var scripts: [ConnectionScript] = []
            for port in 1...200 {
                var s = ConnectionScript(
                    client: "203.0.113.66:61000",
                    server: "198.51.100.20:\(port)",
                    clientISN: UInt32(port) &* 2_654_435_761,
                    serverISN: UInt32(port) &* 40_503,
                    start: start + Int64(port) * 1_000_000,
                    timestamps: false
                )
                s.send(.client, .syn, after: 0)
                if [22, 80].contains(port) {
                    s.send(.server, [.syn, .ack], after: 0.000_2)
                    s.send(.client, .rst, noACK: true, after: 0.000_05)
                } else if ![135, 137, 138, 139, 161, 162].contains(port) {
                    s.send(.server, [.rst, .ack], seq: 0, after: 0.000_2)
                }
                scripts.append(s)
            }
            return Capture(scripts).pcap()
        },
        entry(
            "fin-null-xmas-probes",
            "203.0.113.66 sends FIN, NULL and Xmas probes (no ACK) to ports 20–39 of 198.51.100.20; closed ports answer RST/ACK, open ports 22 and 25 ignore them (RFC 9293 §3.10.7)"
        ) {
            var scripts: [ConnectionScript] = []
            let probes: [TCPFlags] = [.fin, [], [.fin, .psh, .urg]]
            for (index, port) in (20...39).enumerated() {
                var s = ConnectionScript(
                    client: "203.0.113.66:52000",
                    server: "198.51.100.20:\(port)",
                    clientISN: 7_000 + UInt32(index),
                    serverISN: 0,
                    start: start + Int64(index) * 2_000_000,
                    timestamps: false
                )
                let flags = probes[index % 3]
                s.send(.client, flags, noACK: true, after: 0)
                if ![22, 25].contains(port) {
                    s.send(.server, [.rst, .ack], seq: 0, ack: s.next(.client), after: 0.000_2)
                }
                scripts.append(s)
            }
            return Capture(scripts).pcap()
        },
        entry(
            "syn-flood-many-isns-one-tuple",
            "a SYN flood spoofing one client's 4-tuple: 20 SYNs with different ISNs in 100 ms go unanswered; the real client (ISN 1000) retransmits its SYN after 1 s and gets its SYN-ACK, and the connection works"
        ) {
            var real = script()
            real.send(.client, .syn)
            var flood = ConnectionScript(
                client: "192.0.2.10:40000",
                server: "198.51.100.20:80",
                start: real.clock,
                timestamps: false
            )
            for index in 0..<20 {
                flood.reconnect(clientISN: UInt32(index + 1) &* 2_654_435_761, serverISN: 0)
                flood.send(.client, .syn, after: 0.005, hopLimit: 52)
            }
            real.resend(0, after: 1)
            real.send(.server, [.syn, .ack])
            real.send(.client, .ack)
            exchangeAndClose(&real)
            return Capture([real, flood]).pcap()
        },
    ]

    static let connectionEvidence: [Entry] = [
        entry(
            "rst-injected-before-synack",
            "a third party answers the client's SYN with a RST/ACK (TTL 48, TSval 7, TSecr echoing nothing the client sent) and a FIN/ACK outside any sequence space, before the real SYN-ACK; the connection then works: Linux drops both in SYN-SENT"
        ) {
            var s = script()
            s.send(.client, .syn)
            var injector = forger(of: s, timestamps: true)
            injector.send(
                .server,
                [.rst, .ack],
                seq: 0,
                ack: s.next(.client),
                after: 0.000_2,
                tsval: 7,
                tsecr: 424_242,
                hopLimit: 48
            )
            injector.send(
                .server,
                [.fin, .ack],
                seq: 123_456,
                ack: s.next(.client),
                after: 0.000_01,
                tsval: 8,
                tsecr: 424_242,
                hopLimit: 48
            )
            s.send(.server, [.syn, .ack], after: 0.02)
            s.send(.client, .ack)
            exchangeAndClose(&s)
            return Capture([s, injector]).pcap()
        },
        entry(
            "rst-injected-before-synack-no-timestamps",
            "as rst-injected-before-synack without timestamps: the injected RST/ACK acknowledges the SYN, so a client would take it, yet the real SYN-ACK follows and the client acknowledges it: the RST did not take effect"
        ) {
            var s = script(timestamps: false)
            s.send(.client, .syn)
            var injector = forger(of: s)
            injector.send(.server, [.rst, .ack], seq: 0, ack: s.next(.client), after: 0.000_2, hopLimit: 48)
            s.send(.server, [.syn, .ack], after: 0.02)
            s.send(.client, .ack)
            exchangeAndClose(&s)
            return Capture([s, injector]).pcap()
        },
        entry(
            "rst-injected-out-of-window",
            "mid-transfer a RST claiming to come from the server arrives with a sequence number a million bytes beyond the client's window (TTL 50): the client drops it (RFC 5961 §3) and the transfer goes on"
        ) {
            injectedMidConnection { injector, s in
                injector.send(
                    .server,
                    .rst,
                    seq: s.next(.server) &+ 1_000_000,
                    noACK: true,
                    after: 0.000_5,
                    hopLimit: 50
                )
            }
        },
        entry(
            "rst-injected-in-window",
            "an on-path injector, seeing the client's request, sends a RST at exactly the server's next sequence number (TTL 50, no timestamps) before the real reply; the server's reply and the rest of the connection follow in the same sequence space"
        ) {
            injectedMidConnection { injector, s in
                injector.send(.server, [.rst, .ack], seq: s.next(.server), after: 0.000_1, hopLimit: 50)
            }
        },
        entry(
            "fin-injected-out-of-window",
            "mid-transfer a FIN/ACK claiming to come from the server arrives a million bytes beyond the client's window (TTL 50); the client drops it and the transfer goes on to a clean close"
        ) {
            injectedMidConnection { injector, s in
                injector.send(
                    .server,
                    [.fin],
                    seq: s.next(.server) &+ 1_000_000,
                    ack: s.next(.client),
                    after: 0.000_5,
                    hopLimit: 50
                )
            }
        },
        entry(
            "syn-into-established",
            "while the connection is ESTABLISHED a SYN with a new ISN arrives from the client's address (TTL 50, a spoofed one): the server answers with a challenge ACK and the connection goes on to a clean close"
        ) {
            // The answer is the server's challenge ACK.
            injectedMidConnection(answer: { $0.send(.server, .ack, after: 0.000_05) }) { injector, _ in
                injector.reconnect(clientISN: 77_777_777, serverISN: 0)
                injector.send(.client, .syn, after: 0.000_5, hopLimit: 50)
            }
        },
        entry(
            "rst-lost-after-capture",
            "the server resets the connection, but the client keeps retransmitting its request for 1.4 s, each copy answered by a bare RST: the RST was real and never reached the client"
        ) {
            var s = script()
            s.handshake()
            s.data(.client, 100)
            s.send(.server, [.rst, .ack], after: 0.01)
            let request = s.send(.client, .psh, payload: 200, after: 0.001)
            for delay in [0.0, 0.2, 0.4, 0.8] {
                if delay > 0 { s.resend(request, after: delay) }
                s.send(.server, .rst, seq: s.next(.server), noACK: true, after: 0.000_05)
            }
            return s.pcap()
        },
        entry(
            "one-sided-client-direction",
            "only the client's direction was captured (asymmetric routing): SYN, handshake ACK, request, ACKs of the reply, FIN and final ACK; the ACK of the server's ISN + 1 proves the SYN-ACK arrived"
        ) {
            var s = script()
            s.handshake()
            exchangeAndClose(&s)
            var capture = Capture([s])
            capture.segments.removeAll { $0.segment.source == s.server }
            return capture.pcap()
        },
        entry(
            "fin-proven-by-ack",
            "the client closes first; the server's FIN was not captured, but the client's last ACK is one past the server's last byte, which only a FIN explains"
        ) {
            var s = script()
            s.handshake()
            s.data(.client, 120)
            s.data(.server, 900)
            s.close(first: .client)
            var capture = Capture([s])
            capture.segments.removeAll { $0.segment.source == s.server && $0.segment.flags.contains(.fin) }
            return capture.pcap()
        },
        entry(
            "tcp-fast-open",
            "TCP Fast Open (RFC 7413): the client's SYN carries a cookie and a 120-byte request; the SYN-ACK acknowledges the request; a clean close"
        ) {
            var s = script()
            var fastOpen = TCPOptions()
            fastOpen.fastOpen = true
            fastOpen.maximumSegmentSize = 1460
            s.send(.client, .syn, payload: 120, options: fastOpen)
            s.send(.server, [.syn, .ack], after: 0.000_5)
            s.send(.client, .ack, after: 0.000_5)
            s.data(.server, 900)
            s.close(first: .client)
            return s.pcap()
        },
        entry(
            "tcp-fast-open-data-refused",
            "TCP Fast Open with a stale cookie: the SYN's 120 bytes are not acknowledged (the SYN-ACK acknowledges ISN + 1 only), so the client sends them again after the handshake; a clean close"
        ) {
            var s = script()
            var fastOpen = TCPOptions()
            fastOpen.fastOpen = true
            let isn = s.next(.client)
            s.send(.client, .syn, payload: 120, options: fastOpen)
            s.send(.server, [.syn, .ack], ack: isn &+ 1, after: 0.000_5)
            s.send(.client, .psh, payload: 120, seq: isn &+ 1, after: 0.000_5)
            s.send(.server, .ack)
            s.data(.server, 900)
            s.close(first: .client)
            return s.pcap()
        },
        entry(
            "two-synack-isns",
            "two SYN-ACKs with different ISNs answer the SYN: an injected one (ISN 3000, TTL 40) first, then the real one (ISN 5000); the client acknowledges 5001, and two more copies of the injected one come later"
        ) {
            var s = script()
            s.send(.client, .syn)
            var injector = forger(of: s, timestamps: true)
            injector.send(
                .server,
                [.syn, .ack],
                seq: 3_000,
                ack: s.next(.client),
                after: 0.000_2,
                tsval: 7,
                hopLimit: 40
            )
            s.send(.server, [.syn, .ack], after: 0.02)
            s.send(.client, .ack)
            injector.clock = s.clock
            injector.send(.server, [.syn, .ack], seq: 3_000, ack: s.next(.client), after: 1, tsval: 9, hopLimit: 40)
            injector.send(.server, [.syn, .ack], seq: 3_000, ack: s.next(.client), after: 2, tsval: 11, hopLimit: 40)
            s.data(.client, 120)
            s.data(.server, 900)
            s.clock = injector.clock
            s.close(first: .client)
            return Capture([s, injector]).pcap()
        },
        entry(
            "unacceptable-handshake-ack",
            "the client's handshake ACK acknowledges 1000 bytes the server never sent (not acceptable in SYN-RECEIVED); the server resends its SYN-ACK after 1 s, the client acknowledges it properly, and the connection works"
        ) {
            var s = script()
            s.send(.client, .syn)
            let synACK = s.send(.server, [.syn, .ack])
            s.send(.client, .ack, ack: s.next(.server) &+ 1_000)
            s.resend(synACK, after: 1)
            s.send(.client, .ack)
            exchangeAndClose(&s)
            return s.pcap()
        },
        entry(
            "bad-checksum-fin-resent",
            "the client's FIN arrives with a bad TCP checksum: the server drops it (no ACK), the client sends it again 200 ms later and the close completes"
        ) {
            var s = script()
            s.handshake()
            s.data(.client, 120)
            s.data(.server, 900)
            let fin = s.send(.client, .fin, badChecksum: true)
            s.resend(fin, after: 0.2)
            s.send(.server, .ack)
            s.send(.server, .fin)
            s.send(.client, .ack)
            return s.pcap()
        },
        entry(
            "checksum-offload-on-client",
            "captured on the client, whose NIC fills in checksums after the capture point: every segment the client sends carries a wrong checksum, and the server answers each normally; a clean close"
        ) {
            var s = script()
            s.badChecksums = .client
            s.handshake()
            exchangeAndClose(&s)
            return s.pcap()
        },
        entry(
            "vlan-tag-one-direction",
            "a SPAN of a trunk and an access port: the client's packets carry 802.1Q tag 100, the server's none; a clean connection, one flow"
        ) {
            var s = script()
            s.handshake()
            exchangeAndClose(&s)
            var writer = PcapWriter(linkType: .ethernet)
            for (segment, time) in s.segments {
                var tagged = segment
                let fromClient = segment.source == s.client
                tagged.vlan = fromClient ? 100 : 0
                writer.append(FrameBuilder.frame(tagged, link: .ethernet(vlanTags: fromClient ? [100] : [])), at: time)
            }
            return writer.bytes
        },
        entry(
            "accept-queue-overflow-lone",
            "one handshake, nothing else to the listener: after the client's handshake ACK the server resends its SYN-ACK after 1 s and 3 s and the client re-acknowledges each; the client sends no data. From this capture point a full accept queue and every ACK lost after it look the same"
        ) {
            ignoredHandshake().pcap()
        },
        entry(
            "accept-queue-overflow-with-context",
            "as accept-queue-overflow-lone, while a second client's SYNs to the same listener go unanswered (sent 0.5 s, 1.5 s and 3.5 s after the first handshake): the queue is full"
        ) {
            var other = ConnectionScript(
                client: "192.0.2.11:41000",
                server: "198.51.100.20:80",
                clientISN: 9_000,
                start: start + 500_000_000,
                timestamps: false
            )
            let syn = other.send(.client, .syn, after: 0)
            other.resend(syn, after: 1)
            other.resend(syn, after: 2)
            return Capture([ignoredHandshake(), other]).pcap()
        },
        entry(
            "syn-captured-after-synack",
            "a multi-queue capture records the SYN-ACK 300 µs before the SYN that it answers; otherwise a clean connection"
        ) {
            var s = script()
            s.handshake()
            exchangeAndClose(&s)
            var capture = Capture([s])
            capture.segments[1].time = capture.segments[0].time + -300_000
            capture.segments.swapAt(0, 1)
            return capture.pcap()
        },
        entry(
            "captured-twice",
            "a SPAN port mirrors both directions onto one capture: every packet of a clean connection (no timestamps) is captured twice, 30 µs apart; copies are not retransmissions"
        ) {
            var s = script(timestamps: false)
            s.handshake()
            exchangeAndClose(&s)
            var capture = Capture([s])
            capture.segments = capture.segments.flatMap { [$0, ($0.segment, $0.time + 30_000)] }
            return capture.pcap()
        },
        entry(
            "late-syn-copy",
            "no timestamps; a copy of the SYN is captured 3 ms after the first, once the handshake is done (a second capture interface): a copy, not a retransmission"
        ) {
            var s = script(timestamps: false)
            let syn = s.send(.client, .syn)
            s.send(.server, [.syn, .ack], after: 0.001)
            s.send(.client, .ack, after: 0.001)
            s.resend(syn, after: 0.001, delayedCopy: true)
            exchangeAndClose(&s)
            return s.pcap()
        },
    ]
}
