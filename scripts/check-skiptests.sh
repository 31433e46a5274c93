#!/usr/bin/env bash
# Proves that "mvn -DskipTests package" builds every artifact and runs no test at all: on a clean
# clone of HEAD it builds, then fails if Maven reported any test run or left any test report.
#
#   bash scripts/check-skiptests.sh
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q . "$work/clone"
cd "$work/clone"

start=$(date +%s)
if ! mvn -B -ntp -DskipTests package > "$work/build.log" 2>&1; then
  tail -40 "$work/build.log"
  echo "check-skiptests: mvn -DskipTests package failed on a clean clone" >&2
  exit 1
fi
seconds=$(( $(date +%s) - start ))

for artifact in relay-server/target/relay-server.jar replayer/target/replayer.jar connector/target/binlog-bridge-connector.zip; do
  [ -f "$artifact" ] || { echo "check-skiptests: $artifact was not built" >&2; exit 1; }
done
ran="$(grep -E 'Tests run: [0-9]+' "$work/build.log" || true)"
reports="$(find . -path '*/target/*-reports' -type d | head -5)"
if [ -n "$ran" ] || [ -n "$reports" ]; then
  echo "check-skiptests: mvn -DskipTests package ran tests:" >&2
  printf '%s\n%s\n' "$ran" "$reports" >&2
  exit 1
fi
echo "check-skiptests: mvn -DskipTests package built the jars and the plugin zip in ${seconds} s and ran no test"
