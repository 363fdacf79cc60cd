/* The benchmark's yardstick: the least a TCP flow tool must do per packet. A plain libpcap read
 * loop (pcap_next_ex), Ethernet (with 802.1Q/QinQ) / IPv4 / IPv6 / TCP header decode, and one
 * lookup in an open-addressing hash table keyed by the canonical 4-tuple, counting packets per
 * flow. tcpflow-audit's throughput is reported as a ratio of this loop's.
 * Build: cc -O2 -o yardstick yardstick.c -lpcap      Run: ./yardstick capture.pcap */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct key { uint8_t a[16], b[16]; uint16_t pa, pb; uint8_t v6; };
struct slot { struct key k; uint64_t packets; uint8_t used; };

static struct slot *table;
static size_t mask;
static size_t flows;

static uint64_t hash(const struct key *k) {
    const uint8_t *p = (const uint8_t *)k;
    uint64_t h = 1469598103934665603ULL;          /* FNV-1a over the key bytes */
    for (size_t i = 0; i < sizeof *k; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static void grow(void);

static void count(const struct key *k) {
    size_t i = hash(k) & mask;
    while (table[i].used) {
        if (memcmp(&table[i].k, k, sizeof *k) == 0) { table[i].packets++; return; }
        i = (i + 1) & mask;
    }
    table[i].used = 1;
    table[i].k = *k;
    table[i].packets = 1;
    if (++flows * 2 > mask) grow();
}

static void grow(void) {
    struct slot *old = table;
    size_t old_size = mask + 1;
    mask = old_size * 2 - 1;
    table = calloc(mask + 1, sizeof *table);
    flows = 0;
    for (size_t i = 0; i < old_size; i++)
        if (old[i].used) { count(&old[i].k); table[(hash(&old[i].k)) & mask].packets = old[i].packets; }
    free(old);
}

int main(int argc, char **argv) {
    char err[PCAP_ERRBUF_SIZE];
    if (argc != 2) { fprintf(stderr, "usage: yardstick FILE\n"); return 2; }
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) { fprintf(stderr, "yardstick: %s\n", err); return 2; }
    mask = (1 << 16) - 1;
    table = calloc(mask + 1, sizeof *table);
    struct pcap_pkthdr *h;
    const u_char *d;
    uint64_t packets = 0, tcp = 0;
    while (pcap_next_ex(p, &h, &d) == 1) {
        packets++;
        size_t off = 14, n = h->caplen;
        if (n < 14) continue;
        uint16_t type = (uint16_t)(d[12] << 8 | d[13]);
        while ((type == 0x8100 || type == 0x88a8) && off + 4 <= n) { type = (uint16_t)(d[off + 2] << 8 | d[off + 3]); off += 4; }
        struct key k;
        memset(&k, 0, sizeof k);
        const u_char *t;
        if (type == 0x0800 && off + 20 <= n && d[off + 9] == 6) {
            size_t ihl = (d[off] & 15) * 4;
            memcpy(k.a, d + off + 12, 4); memcpy(k.b, d + off + 16, 4);
            off += ihl;
        } else if (type == 0x86dd && off + 40 <= n && d[off + 6] == 6) {
            memcpy(k.a, d + off + 8, 16); memcpy(k.b, d + off + 24, 16);
            k.v6 = 1;
            off += 40;
        } else continue;
        if (off + 20 > n) continue;
        t = d + off;
        k.pa = (uint16_t)(t[0] << 8 | t[1]);
        k.pb = (uint16_t)(t[2] << 8 | t[3]);
        if (memcmp(k.a, k.b, 16) > 0 || (memcmp(k.a, k.b, 16) == 0 && k.pa > k.pb)) {   /* canonical order */
            uint8_t tmp[16]; memcpy(tmp, k.a, 16); memcpy(k.a, k.b, 16); memcpy(k.b, tmp, 16);
            uint16_t tp = k.pa; k.pa = k.pb; k.pb = tp;
        }
        tcp++;
        count(&k);
    }
    printf("packets %llu tcp %llu flows %zu\n", (unsigned long long)packets, (unsigned long long)tcp, flows);
    pcap_close(p);
    return 0;
}
