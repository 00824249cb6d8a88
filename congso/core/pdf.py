"""PDF documents from Django templates (WeasyPrint), rendered without ever touching the network.

Government networks are often closed, and a template that shows people's text must not be able to make the
server fetch anything: the only resources a PDF may load are congso's own static files (served from disk)
and ``data:`` URLs. Fonts come from the system (fonts-noto-core, fonts-liberation2).
"""

import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from congso.core.qr import public_base_url

logger = logging.getLogger(__name__)


class FetchRefused(ValueError):
    """A PDF asked for a resource that is not one of congso's static files."""


class StaticFilesFetcher(URLFetcher):
    """Serves ``<base origin><STATIC_URL>…`` from the static files on disk; refuses every other URL.

    WeasyPrint catches the refusal, logs it and renders the document without that resource.
    """

    def __init__(self, *, base_url: str):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        base = urlsplit(base_url)
        self.origin = (base.scheme, base.netloc)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)  # decoded in memory by urllib's DataHandler
        path = self._static_file(url)
        if path is None:
            logger.warning("PDF rendering refused to fetch %s", url)
            raise FetchRefused(f"not a static file of this site: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _static_file(self, url: str) -> Path | None:
        parts = urlsplit(url)
        static_url = settings.STATIC_URL
        if urlsplit(static_url).scheme:  # STATIC_URL on another host: compare whole addresses
            address, prefix = f"{parts.scheme}://{parts.netloc}{parts.path}", static_url
        elif (parts.scheme, parts.netloc) == self.origin:
            address, prefix = parts.path, static_url
        else:
            return None
        if not address.startswith(prefix):
            return None
        name = unquote(address[len(prefix) :])
        normalised = posixpath.normpath(name)
        if not name or normalised != name or normalised.startswith(("/", "..")) or "\\" in name:
            return None
        found = finders.find(name)
        if found:
            return Path(found)
        # In production {% static %} names the hashed copy that only collectstatic's STATIC_ROOT holds.
        try:
            if staticfiles_storage.exists(name):
                return Path(staticfiles_storage.path(name))
        except (NotImplementedError, ValueError, OSError):  # remote storage, or a name it rejects
            return None
        return None


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render an HTML string; relative URLs resolve against ``base_url`` (default: the public address)."""
    base_url = base_url or f"{public_base_url()}/"
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher(base_url=base_url)).write_pdf()


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """Render a Django template to PDF bytes.

    With a request, context processors run and links resolve against the request's own address; static
    files (``{% static %}``) are read from disk either way.
    """
    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    return html_to_pdf(html, base_url=base_url)
