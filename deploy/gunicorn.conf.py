"""gunicorn settings for congso (deploy/systemd/congso-web.service: ``gunicorn -c deploy/gunicorn.conf.py``).

Every value can be overridden from the environment (``GUNICORN_*`` below) without editing this file.
"""

import multiprocessing
import os

# config.wsgi behind a wrapper that restores the client address nginx passes (see deploy/proxy_wsgi.py).
wsgi_app = "deploy.proxy_wsgi:application"

# nginx talks to gunicorn over a UNIX socket (see deploy/nginx/congso.conf); GUNICORN_BIND=127.0.0.1:8001
# for a TCP port instead.
bind = os.environ.get("GUNICORN_BIND", "unix:/run/congso/gunicorn.sock")

# Synchronous workers: congso's views are short database-bound requests. 2 × cores + 1 is gunicorn's rule
# of thumb; each worker holds one PostgreSQL connection (CONGSO_DB_CONN_MAX_AGE) and ~120 MB of memory.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request that takes longer than this is killed (its worker restarts). PDF forms and 10 MB uploads take a
# few seconds; 60 s leaves room without letting a stuck request hold a worker forever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# Recycle each worker after this many requests (plus jitter, so they do not restart together): bounds the
# memory a slow leak can take.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

# Import the application once in the master: workers fork with it loaded (faster start, shared memory).
preload_app = True
# Workers' heartbeat files in memory (/dev/shm): a slow disk must not make the master kill them.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, as its docs advise

# Access log to stdout (the journal) WITHOUT the query string: lookups carry the dossier code and its key
# (?ma=…&khoa=…), searches carry what citizens typed. %(U)s is the path only.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Behind nginx on the same machine: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
# Reject absurd header sizes early (nginx does too).
limit_request_field_size = 8190
