#!/usr/bin/env bash
# Sets Gyakusan up on a fresh Debian/Ubuntu machine, and is quick when nothing changed:
#   system packages (only the missing ones, with apt), a virtual environment in .venv,
#   the pinned Python dependencies, the compiled translation catalogs and the database.
# Usage: scripts/setup.sh            what serving needs
#        scripts/setup.sh --tests    what the test suite needs too (Chromium, fonts, tools)
set -euo pipefail
cd "$(dirname "$0")/.."

for_tests=false
[ "${1:-}" = "--tests" ] && for_tests=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- System packages -------------------------------------------------------------------------
# The Day 1 PDF (WeasyPrint): Pango, Japanese fonts to embed (Noto CJK has a real bold), and
# HarfBuzz's subsetter, without which CJK fonts are subset about 15 times slower.
packages=(python3 python3-venv gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-noto-cjk fonts-ipaexfont-gothic)
if $for_tests; then
  # Chromium for the browser tests (Playwright cannot download browsers here); poppler's tools
  # to read the PDFs back.
  packages+=(chromium poppler-utils)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing system packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python ----------------------------------------------------------------------------------
python_bin=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python_bin=$(command -v "$candidate"); break
  fi
done
[ -n "$python_bin" ] || { echo "Gyakusan needs Python 3.11 or newer with venv." >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  say "Creating the virtual environment (.venv) with $python_bin"
  "$python_bin" -m venv .venv
fi
groups="runtime"
$for_tests && groups="runtime dev"
stamp=".venv/.installed-${groups// /-}"
wanted=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  say "Installing Python dependencies ($groups)"
  # The requirements are pyproject.toml's; constraints.txt pins every version, transitive ones too.
  mapfile -t requirements < <(.venv/bin/python - $groups <<'PY'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
wanted = list(project["dependencies"])
if "dev" in sys.argv[1:]:
    wanted += project["optional-dependencies"]["dev"]
print("\n".join(wanted))
PY
)
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt "${requirements[@]}"
  echo "$wanted" > "$stamp"
fi

# --- The app ---------------------------------------------------------------------------------
say "Compiling the translation catalogs"
.venv/bin/python manage.py compilemessages --ignore=.venv -v0
say "Migrating the database"
.venv/bin/python manage.py migrate --noinput -v0
