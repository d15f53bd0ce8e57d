#!/usr/bin/env bash
# System packages the test suite needs beyond npm, from Debian, installed when missing:
# openssh-server, for the test that runs the esxi-ssh driver against a real sshd
# (libs/host-driver/src/esxi-ssh/openssh.e2e.spec.ts). Installing it starts no daemon:
# the test runs its own sshd on a loopback port; chromium, the headless browser the
# dashboard's tests drive through playwright-core (apps/web/test). Playwright's own
# browser download is not used: it fetches from a vendor's server.
# systemd, for `systemd-analyze verify` of the units in deploy/systemd (tools/src/deploy).
set -euo pipefail
missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v chromium >/dev/null || missing+=(chromium)
command -v systemd-analyze >/dev/null || missing+=(systemd)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need Debian's ${missing[*]}, which is not installed; install it with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} (apt-get)…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
