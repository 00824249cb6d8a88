#!/usr/bin/env bash
# `nginx -t` on deploy/nginx/congso.conf as it ships, with a throw-away certificate and paths in a temporary
# folder (nothing under /etc is touched). CI runs it when nginx is installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 \
  -subj /CN=dichvucong.camau.gov.vn >/dev/null 2>&1
sed -e "s#/etc/letsencrypt/live/dichvucong.camau.gov.vn/fullchain.pem#$work/cert.pem#" \
    -e "s#/etc/letsencrypt/live/dichvucong.camau.gov.vn/privkey.pem#$work/key.pem#" \
    -e "s#/etc/nginx/congso_proxy.conf#$here/congso_proxy.conf#" \
    "$here/congso.conf" >"$work/site.conf"
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
  include /etc/nginx/mime.types;
  access_log off;
  include $work/site.conf;
}
CONF
nginx -t -q -c "$work/nginx.conf" -p "$work"
echo "nginx -t: deploy/nginx/congso.conf is valid ($(nginx -v 2>&1))"
