#!/bin/bash
# Starts NIIS's development central server with what the sandbox needs on top of the image:
# the admin user's generated password instead of the image's published one, the generated token PIN
# for autologin, and auto-approval of registration requests ([center] in local.ini, read by the admin
# service at start).
set -euo pipefail
printf 'xrd:%s\n' "$(cat /credentials/admin-password)" | chpasswd
# The file the image's entrypoint would write from XROAD_TOKEN_PIN, and autologin (user xroad) reads:
# given as a file, the PIN never passes through the container's environment.
install -m 0640 -o root -g xroad /credentials/token-pin /etc/xroad/autologin
for setting in auto-approve-auth-cert-reg-requests auto-approve-client-reg-requests auto-approve-owner-change-requests; do
  crudini --set /etc/xroad/conf.d/local.ini center "$setting" true
done
exec /root/entrypoint.sh
