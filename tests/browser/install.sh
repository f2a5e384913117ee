#!/usr/bin/env bash
# What the browser tests need beyond requirements-dev.txt (which brings Python playwright):
# Debian's Chromium and a CJK font (apt), a Java runtime for the Nu HTML checker,
# and npm's axe-core and vnu-jar (package-lock.json). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=()
[[ -x /usr/bin/chromium ]] || packages+=(chromium)
command -v fc-list >/dev/null && fc-list :lang=zh | grep -q . || packages+=(fonts-noto-cjk)
command -v java >/dev/null || packages+=(default-jre-headless)
if ((${#packages[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

# vnu-jar ships its jar; its install script only downloads a Java runtime, which we have.
npm ci --ignore-scripts --no-audit --no-fund
