#ifndef TCPFLOW_AUDIT_CPCAP_SHIM_H
#define TCPFLOW_AUDIT_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
