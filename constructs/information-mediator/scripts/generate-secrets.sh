#!/bin/bash
# Creates each Secret listed in $1 unless it already exists, so values are generated once, in the
# cluster, and never leave it. Lines: "credentials <secret> <key>..." (random alphanumeric values
# with upper case, lower case and digits, which X-Road's token PIN policy accepts) or
# "ssh-key <secret>" (an ed25519 key pair as private-key / public-key).
set -euo pipefail

api="https://kubernetes.default.svc"
sa=/var/run/secrets/kubernetes.io/serviceaccount
namespace="$(cat "$sa/namespace")"
work="$(mktemp -d)"

call() { # method path [body-file] -> prints the HTTP status
  local args=(-sS -o "$work/response" -w '%{http_code}' --cacert "$sa/ca.crt" -H "Authorization: Bearer $(cat "$sa/token")" -X "$1")
  if [ $# -gt 2 ]; then args+=(-H 'Content-Type: application/json' --data-binary "@$3"); fi
  curl "${args[@]}" "$api/api/v1/namespaces/$namespace/$2"
}

random_value() {
  local value=""
  until [[ "$value" =~ [A-Z] && "$value" =~ [a-z] && "$value" =~ [0-9] ]]; do
    value="$(openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | head -c 24)"
  done
  printf '%s' "$value"
}

b64() { base64 -w0 "$1"; }

create() { # name, then "key file" pairs
  local name="$1"; shift
  local data="" sep=""
  while [ $# -gt 0 ]; do
    data+="$sep\"$1\":\"$(b64 "$2")\""; sep=","; shift 2
  done
  printf '{"apiVersion":"v1","kind":"Secret","type":"Opaque","metadata":{"name":"%s","labels":{"app.kubernetes.io/managed-by":"govstack-kit-secret-generator"}},"data":{%s}}' \
    "$name" "$data" >"$work/body"
  local status; status="$(call POST secrets "$work/body")"
  case "$status" in
    201) echo "created Secret $name" ;;
    409) echo "Secret $name was created concurrently; keeping it" ;;
    *) echo "creating Secret $name failed with HTTP $status: $(cat "$work/response")" >&2; exit 1 ;;
  esac
}

while read -r kind name keys; do
  [ -z "$kind" ] && continue
  status="$(call GET "secrets/$name")"
  if [ "$status" = 200 ]; then echo "Secret $name exists; keeping its values"; continue; fi
  if [ "$status" != 404 ]; then echo "reading Secret $name failed with HTTP $status" >&2; exit 1; fi
  rm -f "$work"/value-* "$work"/key "$work"/key.pub
  case "$kind" in
    credentials)
      pairs=()
      for key in $keys; do random_value >"$work/value-$key"; pairs+=("$key" "$work/value-$key"); done
      create "$name" "${pairs[@]}"
      ;;
    ssh-key)
      ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$work/key"
      create "$name" private-key "$work/key" public-key "$work/key.pub"
      ;;
    *) echo "unknown secret kind $kind" >&2; exit 1 ;;
  esac
done <"$1"
rm -rf "$work"
