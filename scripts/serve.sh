#!/usr/bin/env bash
# The web server and the task worker side by side. Ctrl-C (or either one dying) stops both.
set -u
addr="${1:-127.0.0.1:8000}"
py=.venv/bin/python
trap 'trap - EXIT; kill $(jobs -p) 2>/dev/null; wait' INT TERM EXIT
"$py" manage.py db_worker &
"$py" manage.py runserver --noreload "$addr" &
# The Tasks API has no retries of its own: every minute, re-queue notifications that are due again, and run
# each app's clock-driven work (manage.py periodic).
(
  trap 'kill $nap 2>/dev/null; wait $nap 2>/dev/null; exit 0' TERM INT
  while :; do
    sleep 60 & nap=$!
    wait $nap
    "$py" manage.py notifications_sweep --verbosity 0 || true
    "$py" manage.py sync_sweep --verbosity 0 || true
    "$py" manage.py periodic --verbosity 0 || true
  done
) &
wait -n
