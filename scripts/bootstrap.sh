#!/usr/bin/env bash
# Create the virtualenv and install ChannelHub with its development tools.
# On a bare Debian/Ubuntu, first installs python3-venv from the system's packages if missing.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! command -v "$python" >/dev/null || ! "$python" -c "import venv, ensurepip" 2>/dev/null; then
  echo "bootstrap: installing python3 and python3-venv from the system's packages"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3 python3-venv python3-pip
fi
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -e '.[dev]'
