#!/bin/bash
# Installs the security server's internal TLS key and certificate, issued by the cluster's CA
# (cert-manager's Secret: tls.crt, tls.key), as the three files X-Road 7.8.0 keeps them in, before
# its entrypoint starts. The entrypoint generates a self-signed set only while internal.crt is
# missing (_entrypoint_common.sh), so it keeps these. Formats as generate_certificate.sh writes them:
#   internal.crt  the certificate alone, PEM (admin UI, op-monitor's client check, archive transport)
#   internal.key  its private key, PEM PKCS#8 (admin UI, archive transport)
#   internal.p12  key and chain under alias "internal", password "internal" (InternalSSLKey: what
#                 the client port 8443 presents, and the client key towards HTTPS services)
# Mode 0660 and owner xroad:xroad as generate_certificate.sh sets them, the directory 0750
# (xroad-base.postinst). Written beside the old files and renamed over them.
set -euo pipefail
source="${INTERNAL_TLS_SOURCE:-/internal-tls}"
target="${INTERNAL_TLS_TARGET:-/etc/xroad/ssl}"
owner="${INTERNAL_TLS_OWNER:-xroad:xroad}"

umask 077
mkdir -p "$target"
chmod 0750 "$target"
chown "$owner" "$target"
# "*.tmp": the secondaries' rsync of /etc/xroad skips it (balancer-secondary-entrypoint.sh).
staging="$(mktemp -d "$target/.internal-tls-XXXXXX.tmp")"
trap 'rm -rf "$staging"' EXIT

openssl x509 -in "$source/tls.crt" -out "$staging/internal.crt"
openssl pkey -in "$source/tls.key" -out "$staging/internal.key"
# -in holds the certificate and the chain cert-manager issued with it: all go into the keystore.
# X-Road's convention (generate_certificate.sh -p, InternalSSLKey): alias and password are the base
# name, a published constant, not a secret; the key's protection is the file's mode.
name=internal
openssl pkcs12 -export -in "$source/tls.crt" -inkey "$staging/internal.key" -name "$name" \
  -passout "pass:${name}" -out "$staging/internal.p12"

for file in internal.crt internal.key internal.p12; do
  chmod 0660 "$staging/$file"
  chown "$owner" "$staging/$file"
  mv -f "$staging/$file" "$target/$file"
done
echo "installed the internal TLS certificate $(openssl x509 -in "$target/internal.crt" -noout -serial -enddate | tr '\n' ' ')"
