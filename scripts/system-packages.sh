#!/usr/bin/env bash
# Debian packages the test suite and PDF rendering need beyond Python:
#   chromium          headless browser journeys (driven by Playwright, executable_path)
#   libpango*, libharfbuzz-subset0, fonts-thai-tlwg   WeasyPrint with Thai text
#   libthai0, libthai-data   Thai line breaking at word boundaries (pango asks libthai)
#   poppler-utils     pdftotext, to read generated PDFs back in tests
#   gettext           compilemessages, to check the committed catalogues
# Installs only what is missing. With --if-root it quietly does nothing where it cannot
# (not root, or no apt-get); the tests that need a package then skip, except under CI.
set -euo pipefail
packages=(chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-thai-tlwg
  libthai0 libthai-data
  poppler-utils gettext)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  if [ "${1:-}" = "--if-root" ]; then
    echo "NOTE: missing Debian packages (${missing[*]}); tests needing them will be skipped."
    exit 0
  fi
  echo "Install these Debian packages first: ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]} ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
