#!/bin/bash
# Kubernetes, unlike Docker, does not fill an empty volume with the image's files: copy each
# directory the central server keeps state in onto the volume once, before its first start.
set -euo pipefail
for dir in /etc/xroad /var/lib/xroad /var/lib/postgresql/16/main; do
  name="$(echo "${dir#/}" | tr / -)"
  if [ ! -e "/data/.copied-$name" ]; then
    mkdir -p "/data/$name"
    cp -a "$dir/." "/data/$name/"
    chown --reference="$dir" "/data/$name"
    chmod --reference="$dir" "/data/$name"
    touch "/data/.copied-$name"
    echo "copied $dir from the image to the volume"
  fi
done
