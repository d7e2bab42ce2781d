#!/usr/bin/env bash
# scripts/install-browser.sh: Debian's chromium + chromium-driver for the seller page's browser
# test (tests/e2e/test_dashboard_browser.py), installed only when missing. Needs root and apt.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-browser.sh: chromium and chromedriver are missing; as root on Debian run:" >&2
  echo "  apt-get update && apt-get install -y chromium chromium-driver" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
LOCK=(-o DPkg::Lock::Timeout=600)  # another install (a second checkout's tests) waits its turn
apt-get "${LOCK[@]}" update -qq
apt-get "${LOCK[@]}" install -y -qq chromium chromium-driver >/dev/null
chromium --version && chromedriver --version
