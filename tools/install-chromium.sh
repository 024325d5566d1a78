#!/usr/bin/env bash
# Install Debian's Chromium for the browser test of coopkg serve's pages (tests/test_pages.py), where
# it is missing, with a small CJK font so that the screenshots show Chinese names. Playwright (pip,
# in the dev extra) drives /usr/bin/chromium; never run `playwright install`, which downloads a
# browser build of its own.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-chromium: chromium is missing; run as root, or: sudo apt-get install chromium fonts-wqy-microhei" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei >/dev/null
command -v chromium >/dev/null
