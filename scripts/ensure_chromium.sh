#!/usr/bin/env bash
# Chart images (kaleido) and the browser test need Debian's Chromium; install it when missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi dejavu; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-liberation poppler-utils >/dev/null
else
  echo "Chromium saknas: kör 'sudo apt-get install chromium fonts-dejavu-core' (behövs för diagrambilder och webbläsartestet)." >&2
fi
