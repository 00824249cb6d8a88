#!/usr/bin/env bash
# `make prod-check`: Django's deployment checks with the production values of deploy/congso.env.example
# (a throw-away secret, a temporary CONGSO_VAR_DIR), failing on any warning; and every variable
# config/settings.py reads must be documented in the template.
set -euo pipefail
cd "$(dirname "$0")/.."
template=deploy/congso.env.example

missing=""
for name in $(grep -oE '"(CONGSO_[A-Z0-9_]+|DATABASE_URL)"' config/settings.py | tr -d '"' | sort -u); do
  grep -qE "^#? ?${name}=" "$template" || missing="$missing $name"
done
if [ -n "$missing" ]; then
  echo "prod-check: not in $template:$missing" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The template's values, without comments; paths that must exist on this machine are redirected.
env_args=()
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  env_args+=("$line")
done < "$template"
env_args+=(
  "CONGSO_SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')"
  "CONGSO_VAR_DIR=$tmp/var"
  "CONGSO_STATIC_ROOT=$tmp/static"
  "CONGSO_MEDIA_ROOT=$tmp/media"
  # The template cannot name the province's SMS gateway: a stand-in that sends nothing fills the slot.
  "CONGSO_SMS_BACKEND=deploy.prod_check_sms.StandInSmsProvider"
)
env -i PATH="$PATH" HOME="$tmp" "${env_args[@]}" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
echo "prod-check: OK (SMS gateway was a stand-in: on the server, \`manage.py check --deploy\` with the real"
echo "            /etc/congso/congso.env must show no notifications.W001)"
