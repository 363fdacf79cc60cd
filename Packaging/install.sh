#!/usr/bin/env bash
# Installs tcpflow-audit with its manual pages and shell completions:
#
#   Packaging/install.sh [PREFIX]        (default /usr/local; needs write access to it)
#
# PREFIX/bin/tcpflow-audit                                  the release build
# PREFIX/share/man/man1/tcpflow-audit*.1                    from swift-argument-parser's generate-manual plugin
# PREFIX/share/bash-completion/completions/tcpflow-audit    bash
# PREFIX/share/zsh/site-functions/_tcpflow-audit            zsh
# PREFIX/share/fish/vendor_completions.d/tcpflow-audit.fish fish
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"

swift build -c release --product tcpflow-audit >&2
bin="$(swift build -c release --show-bin-path)/tcpflow-audit"
swift package --allow-writing-to-package-directory generate-manual --multi-page >&2
manuals=.build/plugins/GenerateManual/outputs/tcpflow-audit

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
    "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
install -m 755 "$bin" "$prefix/bin/tcpflow-audit"
install -m 644 "$manuals"/*.1 "$prefix/share/man/man1/"
"$bin" --generate-completion-script bash > "$prefix/share/bash-completion/completions/tcpflow-audit"
"$bin" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_tcpflow-audit"
"$bin" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/tcpflow-audit.fish"
echo "installed tcpflow-audit $("$prefix/bin/tcpflow-audit" --version) under $prefix (man tcpflow-audit)" >&2
