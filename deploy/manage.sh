#!/usr/bin/env bash
# Run manage.py as the congso user with the settings of /etc/congso/congso.env, as the services do.
#   deploy/manage.sh migrate --noinput        (as root; e.g. ln -s /srv/congso/app/deploy/manage.sh
#                                              /usr/local/bin/congso-manage)
# The env file uses systemd's EnvironmentFile syntax (NAME=value, values may contain spaces): it is read
# line by line here, not sourced by the shell.
set -euo pipefail
app=${CONGSO_APP:-/srv/congso/app}
env_file=${CONGSO_ENV_FILE:-/etc/congso/congso.env}
settings=()
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  settings+=("$line")
done < "$env_file"
cd "$app"
exec runuser -u congso -- env "${settings[@]}" "$app/.venv/bin/python" manage.py "$@"
