#!/usr/bin/env bash
# Installs Tryton 6.0 (server, proteus and the modules Closeloop uses) from Debian's packages.
# Idempotent and fast when everything is there: apt is only touched for missing packages.
set -euo pipefail

PACKAGES=(
  tryton-server
  tryton-proteus
  tryton-modules-sale
  tryton-modules-account-invoice
  tryton-modules-account-credit-limit
  tryton-modules-sale-credit-limit
  tryton-modules-account-payment
  tryton-modules-account-dunning
  # Recommended by tryton-modules-country (dropped by --no-install-recommends): the ISO 3166
  # country list that setup_database.py loads so customer addresses can carry a country.
  python3-pycountry
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  SUDO=(sudo)
fi

echo "Installing Tryton packages: ${missing[*]}" >&2
"${SUDO[@]}" apt-get update -o DPkg::Lock::Timeout=600 >&2
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
