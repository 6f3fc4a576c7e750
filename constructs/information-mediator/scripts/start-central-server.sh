#!/bin/bash
# Starts NIIS's development central server with what the sandbox needs on top of the image:
# the admin user's generated password instead of the image's published one, and auto-approval of
# registration requests ([center] in local.ini, read by the admin service at start).
set -euo pipefail
printf 'xrd:%s\n' "$(cat /credentials/admin-password)" | chpasswd
for setting in auto-approve-auth-cert-reg-requests auto-approve-client-reg-requests auto-approve-owner-change-requests; do
  crudini --set /etc/xroad/conf.d/local.ini center "$setting" true
done
exec /root/entrypoint.sh
