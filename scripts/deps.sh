#!/usr/bin/env bash
# Install every Debian package jixiao needs to build, run and test.
# Safe to re-run: does nothing when everything is already installed.
# Usage: bash scripts/deps.sh            (as root, or with sudo available)
set -euo pipefail

PACKAGES=(
	build-essential gcc clang clang-format clang-tidy cmake ninja-build
	pkg-config python3
	libjansson-dev libcmocka-dev
	libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-client
	libclang-rt-14-dev
	libmicrohttpd-dev libsodium-dev wrk curl
	chromium fonts-noto-cjk
	libzip-dev libexpat1-dev libxlsxwriter-dev python3-openpyxl python3-docx
	libcairo2-dev libpango1.0-dev poppler-utils
	libreoffice-calc-nogui libreoffice-writer-nogui
)

# Node.js and npm for the web UI's packages (ECharts, playwright-core):
# the machine's own when present, else Debian's.
if ! command -v npm >/dev/null 2>&1; then
	PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
install_npm() {
	# The UI's packages, exactly as package-lock.json pins them.
	local root
	root="$(cd "$(dirname "$0")/.." && pwd)"
	if [ -f "$root/package-lock.json" ] &&
		! (cd "$root" && npm ls --omit=dev >/dev/null 2>&1); then
		echo "jixiao: npm ci" >&2
		(cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
	fi
}
if [ ${#missing[@]} -eq 0 ]; then
	install_npm
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
echo "jixiao: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_npm
