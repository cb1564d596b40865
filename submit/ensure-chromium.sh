#!/usr/bin/env bash
# Makes sure Debian's chromium and chromium-driver are installed (/usr/bin/chromium, /usr/bin/chromedriver):
# the leaderboard page's browser test (LeaderboardPageBrowserTest) drives them. Does nothing when both are
# present; otherwise installs them with apt-get (as root, else through `sudo -n`), or exits 1 saying how.
# Run by the spark-jobs build before its tests (exec-maven-plugin, phase process-test-classes).
set -euo pipefail
browser=/usr/bin/chromium
driver=/usr/bin/chromedriver
if [ -x "$browser" ] && [ -x "$driver" ]; then
  exit 0
fi
echo "ensure-chromium: $browser or $driver is missing; installing Debian's chromium and chromium-driver" >&2
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-chromium: cannot install them: not root and no password-less sudo." >&2
  echo "  Fix: run 'sudo apt-get install -y chromium chromium-driver' (Debian), or skip the tests with -DskipTests." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver
if [ ! -x "$browser" ] || [ ! -x "$driver" ]; then
  echo "ensure-chromium: apt-get finished but $browser or $driver is still missing." >&2
  exit 1
fi
