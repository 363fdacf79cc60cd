#!/usr/bin/env bash
# Regenerates the real captures in Captures/real/ (or DIR): real Linux TCP stacks in two network
# namespaces, nftables drops, tcpdump. Needs root, iproute2, nftables, tcpdump and python3.
# Then: RECORD_GOLDEN=1 swift test --filter RegressionTests, review, commit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/real}"
shift || true
mkdir -p "$out"
exec python3 "$here/tools/real_scenarios.py" "$out" "$@"
