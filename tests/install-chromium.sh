#!/bin/sh
# Debian's chromium for the browser tests (tests/.../Browser). Needs root and apt; elsewhere it says
# what to install and the browser tests fail with the same advice.
set -e
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "warning: the browser tests need Chromium at /usr/bin/chromium (Debian: apt-get install chromium)."
fi
