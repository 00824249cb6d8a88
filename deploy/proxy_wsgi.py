"""The WSGI application gunicorn serves in production (deploy/gunicorn.conf.py ``wsgi_app``).

congso's rate limits and audit log read the client's address from ``REMOTE_ADDR``
(congso.core.ratelimit.client_ip). Behind nginx on a UNIX socket, gunicorn leaves it empty (every citizen
would share one lookup quota); on 127.0.0.1 it would be nginx's own address. This wrapper takes the address
from ``X-Real-IP``, which deploy/nginx/congso_proxy.conf sets from the connecting client, but only when the
request came from the local proxy (a UNIX socket or a loopback address), so a client cannot forge it.
"""

from django.urls import get_resolver

from config.wsgi import application as django_application

# Import every URLconf and view module now, in gunicorn's master (preload_app): a worker that replaces a
# dead one starts warm, and a broken import stops the deployment at start instead of at the first request.
get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect


def _warm_search_index() -> None:
    """Build the catalogue's in-memory search index once, here in the master: every worker (and every
    replacement after max_requests) inherits it through fork instead of spending seconds building its own
    on its first search. The database connection used for it is closed before the fork: a connection must
    never be shared between processes."""
    import logging

    from django.db import connections

    try:
        from congso.catalog.search import get_index

        get_index()
    except Exception:  # the database is not reachable yet: each worker builds the index when first asked
        logging.getLogger(__name__).warning("catalogue search index not built at start", exc_info=True)
    finally:
        connections.close_all()


_warm_search_index()

TRUSTED_PEERS = {"", "127.0.0.1", "::1"}


def application(environ, start_response):
    real_ip = environ.get("HTTP_X_REAL_IP", "").strip()
    if real_ip and environ.get("REMOTE_ADDR", "") in TRUSTED_PEERS:
        environ["REMOTE_ADDR"] = real_ip
    return django_application(environ, start_response)
