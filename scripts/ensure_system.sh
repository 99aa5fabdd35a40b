#!/usr/bin/env bash
# The real components the product and its tests use, from Debian's packages and the npm registry:
# Chromium (chart images, browser tests), fonts, poppler (PDF structure checks), LibreOffice Impress (PPTX rendering),
# PostgreSQL (the follow-up database's server tests) and the Node packages in tests/node (axe-core, oidc-provider).
set -euo pipefail
cd "$(dirname "$0")/.."

PAKET=(chromium fonts-dejavu-core fonts-liberation fonts-crosextra-carlito poppler-utils libreoffice-impress libreoffice-calc postgresql)
saknas=()
command -v chromium >/dev/null 2>&1 || saknas+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || saknas+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -qi carlito || saknas+=(fonts-crosextra-carlito fonts-liberation)
command -v pdfinfo >/dev/null 2>&1 || saknas+=(poppler-utils)
command -v soffice >/dev/null 2>&1 && ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1 || saknas+=(libreoffice-impress libreoffice-calc)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || saknas+=(postgresql)
command -v npm >/dev/null 2>&1 || saknas+=(nodejs)

if [ ${#saknas[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    command -v npm >/dev/null 2>&1 || PAKET+=(nodejs npm)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PAKET[@]}" >/dev/null
  else
    echo "Saknas: ${saknas[*]}. Kör: sudo apt-get install ${PAKET[*]}" >&2
  fi
fi

if [ -f tests/node/package.json ] && command -v npm >/dev/null 2>&1; then
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
fi
