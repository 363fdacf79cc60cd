#!/usr/bin/env python3
"""Regenerates the real captures: real Linux TCP stacks in two network namespaces joined by a veth
pair, nftables dropping the chosen packet, tcpdump recording on the server's veth.

Run as root (Captures/make-real.sh does). Every wait is bounded; the namespaces are removed on exit.
Usage: real_scenarios.py OUTDIR [scenario ...]   (all scenarios when none are named)
"""
import contextlib, ctypes, os, signal, socket, struct, subprocess, sys, time

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


@contextlib.contextmanager
def capture(path):
    """tcpdump on the server's veth for the duration of the block."""
    proc = subprocess.Popen(["ip", "netns", "exec", SRV, "tcpdump", "-Z", "root", "-i", SRV_IF, "--immediate-mode", "-U", "-n", "-w", path, "tcp"],
                            stderr=subprocess.PIPE, text=True)
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
        proc.wait(timeout=10)


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
    time.sleep(0.02)
    again = client(family, bind_port=40100)
    again.setblocking(False)
    again.connect_ex((ADDR[family][1], 8080))   # challenge ACK, RST, SYN retry
    time.sleep(0.005)
    Lab.allow_all(SRV)
    enter(CLI)
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
    cross when each is sent before the other arrives. Retried (bounded) until both ends are in
    TIME-WAIT, which only a simultaneous close gives."""
    lsn = listener(family, 8080)
    for attempt in range(30):
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
        both = all("TIME-WAIT" in in_ns(ns, "ss", "-tan", "state", "time-wait").stdout or
                   len(in_ns(ns, "ss", "-Htan", "state", "time-wait").stdout.strip()) > 0 for ns in (CLI, SRV))
        if both:
            return attempt
        raise Retry()
    raise RuntimeError("FINs never crossed in 30 attempts")


class Retry(Exception):
    pass


SCENARIOS = {
    # name: (family, provenance, audit options, function)
    "clean-close-by-client": (4, "client closes first; server closes on EOF", "", clean_close_client),
    "clean-close-by-server": (4, "server closes first (TIME-WAIT on the server); client closes on EOF", "", clean_close_server),
    "lost-final-ack": (4, "client closes first; nft drops the client's final ACK at the server's input for 100 ms; the server's FIN retransmission is re-ACKed from TIME-WAIT", "", lost_final_ack),
    "syn-reuse-last-ack": (4, "client bound to port 40100 closes first; nft drops its final ACK so the server stays in LAST-ACK; 20 ms later the client connects again from port 40100 (explicit bind, timestamps)", "", syn_reuse_last_ack),
    "connection-refused": (4, "client connects to port 8081, where nothing listens", "", connection_refused),
    "syn-unanswered": (4, "nft drops every SYN to port 8082 at the server's input; the client gives up after 3.5 s", "", syn_unanswered),
    "lost-handshake-ack": (4, "nft drops the client's handshake ACK at the server's input; the server resends SYN-ACK after 1 s", "", lost_handshake_ack),
    "close-wait-open": (4, "client closes; the server application never calls close() (CLOSE-WAIT until the capture ends; a clean connection 2.5 s later shows the time passing)", "--close-wait-threshold 2", close_wait_open),
    "linger-abort": (4, "client sets SO_LINGER {1, 0} and closes: RST instead of FIN", "", linger_abort),
    "simultaneous-close": (4, "client and server call shutdown(SHUT_WR) at the same instant from two processes; kept only when both ends reach TIME-WAIT", "", simultaneous_close),
}


def main():
    if os.geteuid() != 0:
        sys.exit("real_scenarios.py: needs root (network namespaces, nftables, tcpdump)")
    outdir = sys.argv[1]
    names = sys.argv[2:] or list(SCENARIOS)
    kernel = os.uname().release
    for name in names:
        family, provenance, options, function = SCENARIOS[name]
        for attempt in range(3):
            with Lab():
                path = os.path.join(outdir, name + ".pcap")
                try:
                    with capture(path):
                        function(family)
                except Retry:
                    continue
                finally:
                    for sock in HELD:
                        sock.close()
                    HELD.clear()
                with open(os.path.join(outdir, name + ".provenance"), "w") as out:
                    out.write(f"real: Linux {kernel}, IPv{family}, {ADDR[family][0]} -> {ADDR[family][1]}, "
                              f"tcpdump on the server's veth; {provenance}\n")
                    if options:
                        out.write(f"options: {options}\n")
                print(f"{name}: {path}", flush=True)
                break


if __name__ == "__main__":
    main()
