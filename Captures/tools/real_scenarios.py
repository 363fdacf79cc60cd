#!/usr/bin/env python3
"""Regenerates the real captures: real Linux TCP stacks in two network namespaces joined by a veth
pair, nftables dropping the chosen packet, tcpdump recording on the server's veth.

Run as root (Captures/make-real.sh does). Every wait is bounded; the namespaces are removed on exit.
Usage: real_scenarios.py OUTDIR [scenario ...]   (all scenarios when none are named)
       real_scenarios.py --live-check TCPFLOW_AUDIT_BINARY   (end-to-end check of -i, see LiveCaptureTests)
"""
import contextlib, ctypes, json, os, signal, socket, struct, subprocess, sys, time

PID = os.getpid()
CLI, SRV = f"tfa-cli-{PID}", f"tfa-srv-{PID}"
CLI_IF, SRV_IF = "veth-cli", "veth-srv"
ADDR = {4: ("10.77.0.1", "10.77.0.2"), 6: ("fd77::1", "fd77::2")}
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL("libc.so.6", use_errno=True)


def run(*args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True, timeout=20)


def in_ns(ns, *args, check=True):
    return run("ip", "netns", "exec", ns, *args, check=check)


def enter(ns):
    """Moves this thread into namespace ns; sockets made now belong to it for good."""
    with open(f"/run/netns/{ns}") as handle:
        if libc.setns(handle.fileno(), CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {ns}")


class Lab:
    """Two namespaces, a veth pair, IPv4 and IPv6 addresses, an nftables table on each side."""

    def __enter__(self):
        self.home = open("/proc/self/ns/net")
        run("ip", "netns", "add", CLI)
        run("ip", "netns", "add", SRV)
        run("ip", "link", "add", CLI_IF, "netns", CLI, "type", "veth", "peer", "name", SRV_IF, "netns", SRV)
        for ns, dev, index in ((CLI, CLI_IF, 0), (SRV, SRV_IF, 1)):
            in_ns(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0")
            in_ns(ns, "ip", "addr", "add", ADDR[4][index] + "/24", "dev", dev)
            in_ns(ns, "ip", "addr", "add", ADDR[6][index] + "/64", "dev", dev, "nodad")
            in_ns(ns, "ip", "link", "set", dev, "up")
            in_ns(ns, "ip", "link", "set", "lo", "up")
            in_ns(ns, "nft", "add table inet lab; add chain inet lab input { type filter hook input priority 0; }; "
                  "add chain inet lab output { type filter hook output priority 0; }")
        return self

    def __exit__(self, *exc):
        libc.setns(self.home.fileno(), CLONE_NEWNET)
        for ns in (CLI, SRV):
            run("ip", "netns", "del", ns, check=False)

    @staticmethod
    def drop(ns, chain, rule):
        in_ns(ns, "nft", f"add rule inet lab {chain} {rule} drop")

    @staticmethod
    def allow_all(ns):
        in_ns(ns, "nft", "flush chain inet lab input; flush chain inet lab output")


def default_signals():
    """A parent (a test runner, say) may have blocked or ignored SIGINT; exec keeps both, and
    tcpdump would then never stop. Give it the default disposition, unblocked."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT, signal.SIGTERM])
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def capture(path, direction=None):
    """tcpdump on the server's veth for the duration of the block; direction "in" keeps only what
    arrives at the server (a one-sided capture, tcpdump -Q in)."""
    only = ["-Q", direction] if direction else []
    proc = subprocess.Popen(["ip", "netns", "exec", SRV, "tcpdump", "-Z", "root", "-i", SRV_IF, "--immediate-mode", "-B", "65536", "-U", "-n", *only, "-w", path, "tcp"],
                            stderr=subprocess.PIPE, text=True, preexec_fn=default_signals)
    deadline = time.monotonic() + 10
    line = ""
    while "listening on" not in line and time.monotonic() < deadline:
        line = proc.stderr.readline()
    time.sleep(0.1)
    try:
        yield
    finally:
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, report = proc.communicate(timeout=10)
    # A capture that lost packets would teach the corpus a lie (a missing ACK looks like a lost one).
    dropped = [line for line in report.splitlines() if "dropped by kernel" in line and not line.startswith("0 ")]
    if dropped:
        raise Retry()


def listener(family, port):
    enter(SRV)
    sock = socket.socket(socket.AF_INET if family == 4 else socket.AF_INET6, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((ADDR[family][1], port))
    sock.listen(16)
    sock.settimeout(5)
    return sock


def client(family, bind_port=0):
    enter(CLI)
    sock = socket.socket(socket.AF_INET if family == 4 else socket.AF_INET6, socket.SOCK_STREAM)
    sock.settimeout(5)
    if bind_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((ADDR[family][0], bind_port))
    return sock


def read_to_eof(sock):
    while sock.recv(65536):
        pass


def exchange(lsn, family, bind_port=0):
    """Connects, sends a request, answers it; returns (client socket, server socket)."""
    cli = client(family, bind_port)
    cli.connect((ADDR[family][1], lsn.getsockname()[1]))
    srv, _ = lsn.accept()
    srv.settimeout(5)
    cli.sendall(b"GET / HTTP/1.0\r\n\r\n")
    assert srv.recv(1024)
    srv.sendall(b"HTTP/1.0 200 OK\r\n\r\nhello\n")
    assert cli.recv(1024)
    return cli, srv


# Each scenario: (description of what is dropped or done, extra audit options, function(family)).

def clean_close_client(family):
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family)
    cli.close()
    read_to_eof(srv)
    srv.close()


def clean_close_server(family):
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family)
    srv.close()
    read_to_eof(cli)
    cli.close()


def lost_final_ack(family):
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family)
    cli.close()
    read_to_eof(srv)
    Lab.drop(SRV, "input", f"tcp dport 8080 tcp flags == ack")
    srv.close()          # FIN from LAST-ACK; the client's final ACK is dropped on arrival
    time.sleep(0.1)
    Lab.allow_all(SRV)   # before the FIN is retransmitted (RTO ≥ 200 ms): TIME-WAIT's re-ACK passes
    time.sleep(0.6)


def syn_reuse_last_ack(family):
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family, bind_port=40100)
    cli.close()
    read_to_eof(srv)
    Lab.drop(SRV, "input", f"tcp dport 8080 tcp flags == ack")
    srv.close()          # server in LAST-ACK: the final ACK never arrives
    time.sleep(0.01)
    Lab.allow_all(SRV)   # the server stays in LAST-ACK until its FIN's RTO (≥ 200 ms)
    time.sleep(0.01)
    again = client(family, bind_port=40100)
    again.setblocking(False)
    again.connect_ex((ADDR[family][1], 8080))   # challenge ACK, RST, SYN retry
    deadline = time.monotonic() + 4
    while again.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0 and time.monotonic() < deadline:
        try:
            again.getpeername()
            break
        except OSError:
            time.sleep(0.01)
    srv2, _ = lsn.accept()
    again.setblocking(True)
    again.sendall(b"again\n")
    srv2.recv(64)
    again.close()
    read_to_eof(srv2)
    srv2.close()


def connection_refused(family):
    cli = client(family)
    with contextlib.suppress(ConnectionRefusedError):
        cli.connect((ADDR[family][1], 8081))
    cli.close()


def syn_unanswered(family):
    Lab.drop(SRV, "input", "tcp dport 8082 tcp flags & syn == syn")
    cli = client(family)
    cli.settimeout(3.5)   # SYN at 0 s and its linear retries at 1, 2, 3 s (tcp_syn_linear_timeouts)
    with contextlib.suppress(socket.timeout, TimeoutError):
        cli.connect((ADDR[family][1], 8082))
    cli.close()
    Lab.allow_all(SRV)


def timestamps_per_connection(family):
    """Twelve short connections from one client (it closes first), then a SYN to port 8082 that
    nft drops. Linux (tcp_timestamps=1) starts each connection's timestamps at a random offset, so
    most of these SYNs carry a TSval older than an earlier one, and the server answers them."""
    lsn = listener(family, 8080)
    for _ in range(12):
        cli, srv = exchange(lsn, family)
        cli.close()
        read_to_eof(srv)
        srv.close()
    lsn.close()
    syn_unanswered(family)


def lost_handshake_ack(family):
    lsn = listener(family, 8080)
    Lab.drop(SRV, "input", "tcp dport 8080 tcp flags == ack")
    cli = client(family)
    cli.connect((ADDR[family][1], 8080))   # established on the client; the handshake ACK is dropped
    time.sleep(0.3)
    Lab.allow_all(SRV)
    time.sleep(1.4)                        # the server resends SYN-ACK after 1 s; the re-ACK passes
    srv, _ = lsn.accept()
    cli.sendall(b"late\n")
    srv.recv(64)
    cli.close()
    read_to_eof(srv)
    srv.close()


HELD = []


def close_wait_open(family):
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family)
    cli.close()           # the server application never closes: CLOSE-WAIT until the capture ends
    HELD.append(srv)
    time.sleep(2.5)
    # A passive capture sees no time pass in silence: a later, unrelated connection shows the clock.
    later, answer = exchange(lsn, family)
    later.close()
    read_to_eof(answer)
    answer.close()


def linger_abort(family):
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    cli.close()           # SO_LINGER {1, 0}: RST instead of FIN
    time.sleep(0.1)
    srv.close()


def simultaneous_close(family):
    """Both ends call shutdown() at the same instant from two processes on two cores; the FINs
    cross when each is sent before the other arrives. Only a simultaneous close leaves both ends in
    TIME-WAIT; otherwise the attempt is discarded (Retry) and the scenario runs again."""
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family)
    start = time.monotonic_ns() + 50_000_000
    child = os.fork()
    if child == 0:
        while time.monotonic_ns() < start:
            pass
        srv.shutdown(socket.SHUT_WR)
        read_to_eof(srv)
        os._exit(0)
    while time.monotonic_ns() < start:
        pass
    cli.shutdown(socket.SHUT_WR)
    read_to_eof(cli)
    os.waitpid(child, 0)
    cli.close()
    srv.close()
    time.sleep(0.05)
    if not all(in_ns(ns, "ss", "-Htan", "state", "time-wait").stdout.strip() for ns in (CLI, SRV)):
        raise Retry()

def syn_reuse_time_wait(family):
    """The server closes first and holds TIME-WAIT; the client reconnects from the same port at
    once. A SYN with a newer TSval reopens the TIME-WAIT 4-tuple (RFC 6191)."""
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family, bind_port=40200)
    srv.close()
    read_to_eof(cli)
    cli.close()
    time.sleep(0.05)
    again, srv2 = exchange(lsn, family, bind_port=40200)
    again.close()
    read_to_eof(srv2)
    srv2.close()


def accept_queue_overflow(family, abort):
    """listen(0) and no accept(): the accept queue holds one connection. Both handshake ACKs are
    held back until both clients are in SYN-RECEIVED on the server; then each client sends data,
    which completes its handshake: the first fills the queue, the second overflows it."""
    in_ns(SRV, "sysctl", "-qw", f"net.ipv4.tcp_abort_on_overflow={abort}")
    lsn = listener(family, 8080)
    lsn.listen(0)
    Lab.drop(SRV, "input", "tcp dport 8080 tcp flags == ack")
    first, second = client(family), client(family)
    first.connect((ADDR[family][1], 8080))
    second.connect((ADDR[family][1], 8080))
    time.sleep(0.1)
    Lab.allow_all(SRV)
    first.sendall(b"first\n")
    time.sleep(0.05)
    second.sendall(b"second\n")
    time.sleep(3.5 if not abort else 0.3)   # abort=0: SYN-ACK resent at 1 s and 3 s, data resent
    HELD.extend([first, second, lsn])


def accept_queue_overflow_silent(family):
    accept_queue_overflow(family, 0)


def accept_queue_overflow_abort(family):
    accept_queue_overflow(family, 1)


def fin_wait_2_open(family):
    """The client half-closes and waits; the server never closes: FIN-WAIT-2 facing CLOSE-WAIT."""
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family)
    cli.shutdown(socket.SHUT_WR)
    HELD.extend([cli, srv])
    time.sleep(2.5)
    later, answer = exchange(lsn, family)
    later.close()
    read_to_eof(answer)
    answer.close()


def fin_unacknowledged(family):
    """After the client's close(), nft drops everything the client sends: its orphaned FIN is
    retransmitted from FIN-WAIT-1 with exponential backoff (tcp_orphan_retries)."""
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family)
    Lab.drop(SRV, "input", "tcp dport 8080")
    cli.close()
    time.sleep(1.8)
    HELD.append(srv)


def half_close_data(family):
    """The client half-closes after its request; the server keeps sending after the FIN (legal in
    CLOSE-WAIT), then closes. Clean."""
    lsn = listener(family, 8080)
    cli = client(family)
    cli.connect((ADDR[family][1], 8080))
    srv, _ = lsn.accept()
    cli.sendall(b"request\n")
    cli.shutdown(socket.SHUT_WR)
    srv.recv(64)
    read_to_eof(srv)
    for _ in range(3):
        srv.sendall(b"x" * 3000)
        time.sleep(0.01)
    srv.close()
    read_to_eof(cli)
    cli.close()


def server_closes_each(family, count, pause=0.0):
    """`count` short connections, each closed first by the server, `pause` seconds apart."""
    lsn = listener(family, 8080)
    for _ in range(count):
        cli, srv = exchange(lsn, family)
        srv.close()
        read_to_eof(cli)
        cli.close()
        time.sleep(pause)


def time_wait_accumulation(family):
    """Twenty short connections, each closed first by the server: twenty TIME-WAITs on the server."""
    server_closes_each(family, 20)


def time_wait_population(family):
    """Three hundred short connections, each closed first by the server, one every 10 ms: three
    hundred TIME-WAITs on the server at once (the capture lasts far less than 2MSL)."""
    server_closes_each(family, 300, pause=0.01)


def rst_mid_transfer(family):
    """The server streams; the client closes with unread data in its receive buffer: Linux sends
    RST instead of FIN (RFC 2525 §2.17)."""
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family)
    srv.sendall(b"y" * 20000)
    time.sleep(0.05)
    cli.close()
    time.sleep(0.05)
    with contextlib.suppress(OSError):
        srv.sendall(b"z" * 100)
    srv.close()


def syn_retransmitted(family):
    """nft drops the first SYN; the retry 1 s later is answered."""
    lsn = listener(family, 8080)
    Lab.drop(SRV, "input", "tcp dport 8080 tcp flags & syn == syn")
    cli = client(family)
    cli.setblocking(False)
    cli.connect_ex((ADDR[family][1], 8080))
    time.sleep(0.3)
    Lab.allow_all(SRV)
    enter(CLI)
    cli.setblocking(True)
    cli.settimeout(3)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        try:
            cli.getpeername()
            break
        except OSError:
            time.sleep(0.01)
    srv, _ = lsn.accept()
    cli.sendall(b"hello\n")
    srv.recv(64)
    cli.close()
    read_to_eof(srv)
    srv.close()


def simultaneous_open(family):
    """Each end binds its port and connects to the other's at the same instant from two processes;
    the SYNs cross (RFC 9293 Figure 7). If one SYN arrives before the other is sent it meets no
    listener and is refused: the attempt is discarded (Retry) and the scenario runs again."""
    start = time.monotonic_ns() + 50_000_000
    inet = socket.AF_INET if family == 4 else socket.AF_INET6
    child = os.fork()
    if child == 0:
        status = 1
        with contextlib.suppress(OSError):
            enter(SRV)
            sock = socket.socket(inet, socket.SOCK_STREAM)
            sock.bind((ADDR[family][1], 42000))
            sock.settimeout(3)
            while time.monotonic_ns() < start:
                pass
            sock.connect((ADDR[family][0], 41000))
            read_to_eof(sock)
            sock.close()
            status = 0
        os._exit(status)
    sock = client(family)
    sock.bind((ADDR[family][0], 41000))
    connected = False
    while time.monotonic_ns() < start:
        pass
    with contextlib.suppress(OSError):
        sock.connect((ADDR[family][1], 42000))
        connected = True
    sock.close()
    _, status = os.waitpid(child, 0)
    if not (connected and os.WEXITSTATUS(status) == 0):
        raise Retry()

# Raw segments: what an injector, a flood or a scanner sends, built by hand (IPv4).

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


FIN, SYN, RST, PSH, ACK, URG = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20


def raw_segment(src, dst, sport, dport, seq, ack, flags, ttl=64, window=64240, ident=0):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, window, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), ident, 0x4000, ttl, 6, 0, socket.inet_aton(src), socket.inet_aton(dst))
    return ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:] + tcp


def raw_sender(ns):
    """A raw IPv4 socket in namespace ns: the kernel sends what it is given, header included."""
    enter(ns)
    return socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)


class Sniffer:
    """Follows one direction of a TCP connection on a veth (AF_PACKET), to learn the sequence
    number an injector must hit: the highest sequence end seen from (address, port)."""

    def __init__(self, ns, device):
        enter(ns)
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))   # ETH_P_ALL
        self.sock.bind((device, 0))
        self.sock.setblocking(False)

    def next_sequence(self, address, port, wait=0.3):
        end, deadline = None, time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                frame = self.sock.recv(65536)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            ip = frame[14:]
            if frame[12:14] != b"\x08\x00" or len(ip) < 40 or ip[9] != 6 or socket.inet_ntoa(ip[12:16]) != address:
                continue
            header = (ip[0] & 0x0F) * 4
            tcp = ip[header:]
            if struct.unpack("!H", tcp[0:2])[0] != port:
                continue
            seq = struct.unpack("!I", tcp[4:8])[0]
            length = struct.unpack("!H", ip[2:4])[0] - header - (tcp[12] >> 4) * 4 + (1 if tcp[13] & (SYN | FIN) else 0)
            candidate = (seq + length) & 0xFFFFFFFF
            if end is None or (candidate - end) & 0xFFFFFFFF < 0x80000000:
                end = candidate
        return end


def inject_rst(family, offset):
    """A connection with a request and its reply; then an injector sends the client a RST carrying
    the server's address and port (TTL 50), `offset` bytes past the server's next sequence number,
    and the server sends more. Returns the client and server sockets."""
    sniffer = Sniffer(SRV, SRV_IF)
    lsn = listener(family, 8080)
    cli, srv = exchange(lsn, family)
    server_next = sniffer.next_sequence(ADDR[4][1], 8080)
    if server_next is None:
        raise Retry()
    injector = raw_sender(SRV)
    injector.sendto(raw_segment(ADDR[4][1], ADDR[4][0], 8080, cli.getsockname()[1], server_next + offset, 0, RST, ttl=50),
                    (ADDR[4][0], 0))
    time.sleep(0.05)
    with contextlib.suppress(OSError):
        srv.sendall(b"more data after the injected RST\n")
    return cli, srv


def rst_injected(family, offset):
    """A RST the client drops (outside its window, or inside it but not at its edge): the
    connection goes on."""
    cli, srv = inject_rst(family, offset)
    if not cli.recv(1024):
        raise Retry()
    cli.sendall(b"thanks\n")
    srv.recv(64)
    cli.close()
    read_to_eof(srv)
    srv.close()


def rst_injected_exact(family):
    """At exactly the server's next sequence number: the Linux client takes the RST and drops the
    connection; the server (which never sent it) goes on and gets RSTs back."""
    cli, srv = inject_rst(family, 0)
    time.sleep(0.1)
    with contextlib.suppress(OSError):
        if cli.recv(1024):
            raise Retry()   # the client did not take the RST
    cli.close()
    srv.close()


def rst_injected_out_of_window(family):
    rst_injected(family, 1_000_000)


def rst_injected_in_window(family):
    """In the window but not at its left edge: Linux answers with a challenge ACK (RFC 5961 §3)."""
    rst_injected(family, 1_000)


def one_sided_client_direction(family):
    """A clean connection captured with tcpdump -Q in on the server's veth: only the client's packets."""
    clean_close_client(family)


def tcp_fast_open(family):
    """TCP Fast Open (RFC 7413) with net.ipv4.tcp_fastopen=3 on both ends: the first connection
    asks for a cookie, the second carries its request in the SYN, which the SYN-ACK acknowledges."""
    for ns in (CLI, SRV):
        in_ns(ns, "sysctl", "-qw", "net.ipv4.tcp_fastopen=3")
    lsn = listener(family, 8080)
    lsn.setsockopt(socket.IPPROTO_TCP, 23, 16)   # TCP_FASTOPEN, queue length 16
    for attempt in range(2):
        cli = client(family)
        cli.settimeout(None)   # a socket with a timeout is non-blocking underneath: MSG_FASTOPEN would return EINPROGRESS
        cli.sendto(b"GET / HTTP/1.0\r\n\r\n", 0x20000000, (ADDR[family][1], 8080))   # MSG_FASTOPEN
        cli.settimeout(5)
        srv, _ = lsn.accept()
        srv.settimeout(5)
        assert srv.recv(1024)
        srv.sendall(b"HTTP/1.0 200 OK\r\n\r\nhello\n")
        assert cli.recv(1024)
        cli.close()
        read_to_eof(srv)
        srv.close()
        time.sleep(0.05)


def syn_flood(family):
    """A raw socket in the client's namespace sends 200 SYNs from random ports to the listener in
    0.2 s; nft drops the client kernel's RSTs to the SYN-ACKs, so every attempt stays half-open."""
    Lab.drop(CLI, "output", "tcp flags & rst == rst")
    lsn = listener(family, 8080)
    flood = raw_sender(CLI)
    for index in range(200):
        sport = 20000 + index
        flood.sendto(raw_segment(ADDR[4][0], ADDR[4][1], sport, 8080, (index * 2654435761) & 0xFFFFFFFF, 0, SYN, ident=index + 1),
                     (ADDR[4][1], 0))
        time.sleep(0.001)
    time.sleep(1.5)   # the server resends its SYN-ACKs after 1 s
    lsn.close()
    Lab.allow_all(CLI)


def fin_null_xmas_probes(family):
    """A raw socket in the client's namespace probes ports 8000-8029 with FIN, NULL and Xmas
    segments; 8010 and 8020 listen (and stay silent, RFC 9293 §3.10.7), the rest answer RST."""
    listeners = [listener(family, port) for port in (8010, 8020)]
    prober = raw_sender(CLI)
    kinds = [FIN, 0, FIN | PSH | URG]
    for index, port in enumerate(range(8000, 8030)):
        prober.sendto(raw_segment(ADDR[4][0], ADDR[4][1], 52000, port, 7000 + index, 0, kinds[index % 3], ident=index + 1),
                      (ADDR[4][1], 0))
        time.sleep(0.002)
    time.sleep(0.2)
    for sock in listeners:
        sock.close()


class Retry(Exception):
    """The attempt did not produce the scenario; run it again on a fresh lab and capture."""


def reap_children():
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


SCENARIOS = {
    # name: (family, provenance, audit options, function)
    "clean-close-by-client": (4, "client closes first; server closes on EOF", "", clean_close_client),
    "clean-close-by-server": (4, "server closes first (TIME-WAIT on the server); client closes on EOF", "", clean_close_server),
    "lost-final-ack": (4, "client closes first; nft drops the client's final ACK at the server's input for 100 ms; the server's FIN retransmission is re-ACKed from TIME-WAIT", "", lost_final_ack),
    "syn-reuse-last-ack": (4, "client bound to port 40100 closes first; nft drops its final ACK so the server stays in LAST-ACK; about 20 ms later (the drop lifted) the client connects again from port 40100 (explicit bind, timestamps)", "", syn_reuse_last_ack),
    "connection-refused": (4, "client connects to port 8081, where nothing listens", "", connection_refused),
    "syn-unanswered": (4, "nft drops every SYN to port 8082 at the server's input; the client gives up after 3.5 s", "", syn_unanswered),
    "timestamps-per-connection": (4, "twelve short connections from one client (client closes first), then a SYN to port 8082 that nft drops (the client gives up after 3.5 s); this kernel starts each connection's TSvals at a random offset, so most SYNs carry a TSval older than an earlier one and are answered", "", timestamps_per_connection),
    "lost-handshake-ack": (4, "nft drops the client's handshake ACK at the server's input; the server resends SYN-ACK after 1 s", "", lost_handshake_ack),
    "close-wait-open": (4, "client closes; the server application never calls close() (CLOSE-WAIT until the capture ends; a clean connection 2.5 s later shows the time passing)", "--close-wait-threshold 2", close_wait_open),
    "linger-abort": (4, "client sets SO_LINGER {1, 0} and closes: RST instead of FIN", "", linger_abort),
    "simultaneous-close": (4, "client and server call shutdown(SHUT_WR) at the same instant from two processes; kept only when both ends reach TIME-WAIT", "", simultaneous_close),
    "syn-reuse-time-wait": (4, "server closes first (TIME-WAIT on the server); the client reconnects from the same port 40200 50 ms later and the server's TIME-WAIT accepts the newer SYN", "", syn_reuse_time_wait),
    "accept-queue-overflow-silent": (4, "listen(0), no accept(), tcp_abort_on_overflow=0: nft holds both handshake ACKs back; each client then sends data; the second overflows the accept queue and is ignored", "", accept_queue_overflow_silent),
    "accept-queue-overflow-abort": (4, "as accept-queue-overflow-silent with tcp_abort_on_overflow=1. Observed on this kernel: no RST was sent (TcpExtListenOverflows counted the drops), so the wire looks like the silent case", "", accept_queue_overflow_abort),
    "fin-wait-2-open": (4, "client shutdown(SHUT_WR); the server never closes: FIN-WAIT-2 facing CLOSE-WAIT; a clean connection 2.5 s later shows the time passing", "--close-wait-threshold 2 --fin-timeout 2", fin_wait_2_open),
    "fin-unacknowledged": (4, "after the client's close() nft drops everything it sends at the server's input: the orphaned FIN is retransmitted from FIN-WAIT-1", "", fin_unacknowledged),
    "half-close-data": (4, "client shutdown(SHUT_WR) after its request; the server sends 9000 bytes after the FIN, then closes", "", half_close_data),
    "time-wait-accumulation": (4, "twenty short connections, each closed first by the server", "", time_wait_accumulation),
    "time-wait-population": (4, "three hundred short connections, one every 10 ms, each closed first by the server: 300 TIME-WAITs on the server at once", "", time_wait_population),
    "rst-mid-transfer": (4, "the server streams 20000 bytes; the client close()s with unread data: RST", "", rst_mid_transfer),
    "syn-retransmitted": (4, "nft drops the first SYN at the server's input; the retry 1 s later is answered", "", syn_retransmitted),
    "simultaneous-open": (4, "each end binds its port and connect()s to the other at the same instant from two processes (retried until both succeed)", "", simultaneous_open),
    "clean-close-by-client-ipv6": (6, "client closes first; server closes on EOF", "", clean_close_client),
    "lost-final-ack-ipv6": (6, "client closes first; nft drops the client's final ACK at the server's input for 100 ms", "", lost_final_ack),
    "connection-refused-ipv6": (6, "client connects to port 8081, where nothing listens", "", connection_refused),
    "syn-reuse-last-ack-ipv6": (6, "as syn-reuse-last-ack, over IPv6", "", syn_reuse_last_ack),
    "rst-injected-out-of-window": (4, "mid-connection, a raw socket in the server's namespace (not its TCP stack) sends the client a RST with the server's address and port, TTL 50, 1 000 000 bytes past the server's next sequence number; the client drops it and the connection goes on", "", rst_injected_out_of_window),
    "rst-injected-in-window": (4, "as rst-injected-out-of-window, 1000 bytes past the server's next sequence number (inside the client's window, not at its edge): Linux answers with a challenge ACK (RFC 5961) and the connection goes on", "", rst_injected_in_window),
    "rst-injected-exact": (4, "as rst-injected-out-of-window, at exactly the server's next sequence number: the client takes it and drops the connection; the server goes on and the client's stack answers with RST", "", rst_injected_exact),
    "one-sided-client-direction": (4, "a clean connection (client closes first) captured with tcpdump -Q in: only the client's direction", "", one_sided_client_direction),
    "tcp-fast-open": (4, "net.ipv4.tcp_fastopen=3 on both ends, TCP_FASTOPEN on the listener: the first connection gets a cookie, the second sends its request in the SYN (MSG_FASTOPEN)", "", tcp_fast_open),
    "syn-flood": (4, "a raw socket in the client's namespace sends 200 SYNs from ports 20000-20199 in about 0.2 s; nft drops the client kernel's RSTs, so every attempt stays half-open and the server resends its SYN-ACKs", "", syn_flood),
    "fin-null-xmas-probes": (4, "a raw socket in the client's namespace sends FIN, NULL and Xmas probes to ports 8000-8029; 8010 and 8020 listen and stay silent, the others answer RST/ACK", "", fin_null_xmas_probes),
}

# Scenarios captured on one direction only (tcpdump -Q).
DIRECTION = {"one-sided-client-direction": "in"}


def live_check(binary):
    """End-to-end check of live mode: tcpflow-audit -i on the server's veth while real connections
    run; prints one JSON object: the finding kinds written before SIGINT, those after, the summary
    line, the exit status, and the pcap it wrote with -w (which the caller replays)."""
    with Lab():
        out_path = f"/tmp/tfa-live-{PID}.jsonl"
        written = f"/tmp/tfa-live-{PID}.pcap"
        with open(out_path, "w") as out:
            proc = subprocess.Popen(["ip", "netns", "exec", SRV, binary, "-i", SRV_IF, "--format", "json", "-w", written,
                                     "--close-wait-threshold", "1", "--time-wait", "5"],
                                    stdout=out, stderr=subprocess.PIPE, text=True, preexec_fn=default_signals)
            deadline = time.monotonic() + 10
            line = ""
            while "capturing on" not in line and time.monotonic() < deadline:
                line = proc.stderr.readline()
            time.sleep(0.2)
            clean_close_client(4)
            lost_final_ack(4)
            connection_refused(4)
            close_wait_open(4)
            def kinds():
                with open(out_path) as seen:
                    return [json.loads(l)["kind"] for l in seen if '"type":"finding"' in l]
            wanted = {"lost-final-ack", "connection-refused", "close-wait-stalled"}
            deadline = time.monotonic() + 10
            while not wanted <= set(kinds()) and time.monotonic() < deadline:
                time.sleep(0.1)
            before = kinds()
            proc.send_signal(signal.SIGINT)
            status = proc.wait(timeout=20)
            for sock in HELD:
                sock.close()
            HELD.clear()
        with open(out_path) as seen:
            lines = [json.loads(l) for l in seen]
        os.unlink(out_path)
        findings = [f'{l["kind"]} {l["client"]} -> {l["server"]} frames {l["frames"]}: {l["explanation"]}'
                    for l in lines if l["type"] == "finding"]
        print(json.dumps({"before": before, "after": [l["kind"] for l in lines if l["type"] == "finding"], "findings": findings,
                          "summary": [l for l in lines if l["type"] == "summary"], "exit": status, "written": written}))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--live-check":
        return live_check(sys.argv[2])
    if os.geteuid() != 0:
        sys.exit("real_scenarios.py: needs root (network namespaces, nftables, tcpdump)")
    outdir = sys.argv[1]
    names = sys.argv[2:] or list(SCENARIOS)
    kernel = os.uname().release
    for name in names:
        family, provenance, options, function = SCENARIOS[name]
        for attempt in range(30):   # only scenarios that raise Retry run more than once
            with Lab():
                path = os.path.join(outdir, name + ".pcap")
                try:
                    with capture(path, DIRECTION.get(name)):
                        function(family)
                except Retry:
                    continue
                finally:
                    for sock in HELD:
                        sock.close()
                    HELD.clear()
                    reap_children()
                with open(os.path.join(outdir, name + ".provenance"), "w") as out:
                    out.write(f"real: Linux {kernel}, IPv{family}, {ADDR[family][0]} -> {ADDR[family][1]}, "
                              f"tcpdump on the server's veth; {provenance}\n")
                    if options:
                        out.write(f"options: {options}\n")
                print(f"{name}: {path}", flush=True)
                break


if __name__ == "__main__":
    main()
