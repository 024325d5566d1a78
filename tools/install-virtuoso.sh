#!/usr/bin/env bash
# Install Virtuoso Open Source 7 (Debian package) for the tests of remote endpoints, where it is missing.
# The package's postinst would start a system-wide server on all interfaces: a temporary
# policy-rc.d stops that. The tests start their own server on 127.0.0.1 (tests/servers.py).
set -euo pipefail
if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-virtuoso: virtuoso-t is missing; run as root, or: sudo apt-get install virtuoso-opensource" >&2
  exit 1
fi
policy=/usr/sbin/policy-rc.d
placed=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  placed=1
fi
trap '[ "$placed" = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null
command -v virtuoso-t >/dev/null
