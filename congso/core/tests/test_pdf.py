import socket
import unicodedata

import pypdfium2 as pdfium
import pytest
from django.test import override_settings

from congso.core.pdf import FetchRefused, StaticFilesFetcher, render_pdf

TEMPLATES = {
    "letter.html": (
        "<!doctype html><html lang='vi'><style>body { font-family: 'Noto Sans', sans-serif }</style>"
        "<h1>Cộng hòa xã hội chủ nghĩa Việt Nam</h1><p>Độc lập – Tự do – Hạnh phúc</p><p>{{ who }}</p>"
    ),
    "remote.html": "<p>Ảnh ngoài</p><img src='http://example.com/x.png'><img src='https://example.com/y.png'>",
    "local.html": (
        "{% load static %}<link rel='stylesheet' href='{% static \"css/congso.css\" %}'>"
        "<img src='{% static \"img/favicon.svg\" %}'><img src='/static/../config/settings.py'>"
        "<img src='file:///etc/passwd'><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
    ),
}
LOCMEM_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
    }
]


def pdf_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        text = " ".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def fetches(monkeypatch):
    """Every URL WeasyPrint asks for, with what the fetcher did."""
    seen = []
    fetch = StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = fetch(self, url, headers)
        except FetchRefused:
            seen.append((url, "refused"))
            raise
        seen.append((url, "served"))
        return response

    monkeypatch.setattr(StaticFilesFetcher, "fetch", spy)
    return seen


@pytest.fixture
def no_network(monkeypatch):
    """Fails loudly (and records) any attempt to resolve a name or open a connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access during a PDF render")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_render_pdf_keeps_vietnamese_text():
    pdf = render_pdf("letter.html", {"who": "Nguyễn Thị Ánh Tuyết, ấp Đất Mũi"})
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in text
    assert "Độc lập – Tự do – Hạnh phúc" in text
    assert "Nguyễn Thị Ánh Tuyết, ấp Đất Mũi" in text


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_render_pdf_refuses_remote_urls_without_touching_the_network(fetches, no_network):
    pdf = render_pdf("remote.html", {})
    assert pdf.startswith(b"%PDF-")
    assert "Ảnh ngoài" in pdf_text(pdf)
    assert fetches == [("http://example.com/x.png", "refused"), ("https://example.com/y.png", "refused")]
    assert no_network == []


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_render_pdf_reads_static_files_from_disk_and_nothing_else(fetches, no_network, rf):
    pdf = render_pdf("local.html", {}, request=rf.get("/"))
    assert pdf.startswith(b"%PDF-")
    assert sorted(fetches) == [
        ("data:image/gif;base64,R0lGODlhAQABAAAAACw=", "served"),
        ("file:///etc/passwd", "refused"),
        ("http://testserver/config/settings.py", "refused"),  # the ".." is resolved before we see it
        ("http://testserver/static/css/congso.css", "served"),
        ("http://testserver/static/img/favicon.svg", "served"),
    ]
    assert no_network == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/img/%2e%2e/%2e%2e/config/settings.py",
        "http://127.0.0.1:8000/static//etc/passwd",
        "http://127.0.0.1:8000/static/img/nothing-here.png",
        "http://other.example/static/img/favicon.svg",
        "http://127.0.0.1:8000/media/catalog/templates/form.docx",
    ],
)
def test_fetcher_refuses_anything_but_a_static_file_of_this_site(url, no_network):
    fetcher = StaticFilesFetcher(base_url="http://127.0.0.1:8000/")
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert no_network == []
