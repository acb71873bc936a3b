#!/usr/bin/env bash
# Installs Chromium from Debian's packages for the preview's browser tests (preview/test), which
# drive /usr/bin/chromium with playwright-core. Nothing happens when it is already there.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  SUDO=(sudo)
fi

echo "Installing Chromium for the preview's browser tests" >&2
"${SUDO[@]}" apt-get update -o DPkg::Lock::Timeout=600 >&2
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  -o DPkg::Lock::Timeout=600 chromium >&2
