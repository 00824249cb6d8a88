"""Load benchmarks through a real gunicorn server (``deploy/gunicorn.conf.py``): ``python -m bench.load``."""
