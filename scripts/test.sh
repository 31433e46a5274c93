#!/usr/bin/env bash
# The project's test command: installs what the integration tests need (Debian packages; Maven
# fetches the rest from Maven Central), then runs every unit and integration test.
#
#   bash scripts/test.sh [extra Maven arguments]
#
# Unit tests only: bash scripts/test.sh -DskipITs. One integration class: bash scripts/test.sh -Dit.test=ReplayerDumpTest
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-packages.sh

printf '\n==> Tool versions\n'
# sed reads to the end: with head, a tool still writing gets SIGPIPE and pipefail ends the script (seen once).
java -version 2>&1 | sed -n 1p
mvn -v 2>&1 | sed -n 1p
mariadbd --version 2>/dev/null || /usr/sbin/mariadbd --version

printf '\n==> mvn -B -ntp verify %s\n' "$*"
exec mvn -B -ntp verify "$@"
