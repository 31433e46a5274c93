#!/usr/bin/env bash
# Installs the Debian packages binlog-bridge's scripts and tests use, if missing, and makes sure the
# packaged MariaDB service is not running (the tests and run-local.sh start their own mariadbd on
# their own ports; the packaged one would hold port 3306 and a datadir nobody asked for).
#
#   bash scripts/install-packages.sh [PACKAGE...]     # default: what the tests need
#
# Runs apt-get as root, or through sudo -n otherwise. Java 17 and Maven are installed too when missing.
set -euo pipefail

PACKAGES=("$@")
if [ "${#PACKAGES[@]}" -eq 0 ]; then
  # libaio1: the MySQL 8.0 server the tests unpack from Maven Central links it; mariadb-*: MariaDB
  # sources and replicas, mariadb-binlog; sysbench: the benchmark load; openssl: test certificates;
  # chromium: HttpEndpointsTest renders the status page in it, headless, and keeps screenshots.
  PACKAGES=(libaio1 mariadb-server mariadb-client sysbench openssl chromium)
fi

log() { printf '[install-packages] %s\n' "$*"; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${PACKAGES[@]}"; do
  installed "$p" || missing+=("$p")
done
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-packages: missing ${missing[*]} and this is not a Debian-like system: install them by hand" >&2
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  # Keep the packaged MariaDB service from starting during the install.
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
  if [ "$policy_added" -eq 1 ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
fi

# Whatever started it, a mariadbd with the packaged pid file or datadir is the packaged service.
if command -v service >/dev/null 2>&1; then $SUDO service mariadb stop >/dev/null 2>&1 || true; fi
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet mariadb 2>/dev/null; then
  $SUDO systemctl stop mariadb || true
  $SUDO systemctl disable mariadb >/dev/null 2>&1 || true
fi
pids=""
if [ -f /run/mysqld/mysqld.pid ]; then pids="$(cat /run/mysqld/mysqld.pid 2>/dev/null || true)"; fi
if [ -z "$pids" ] && command -v pgrep >/dev/null 2>&1; then pids="$(pgrep -f -- '--datadir=/var/lib/mysql' || true)"; fi
for pid in $pids; do
  log "stopping the packaged MariaDB service (pid $pid)"
  $SUDO kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
done
