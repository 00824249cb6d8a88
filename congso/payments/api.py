"""The payments JSON API; config wiring in congso/api/urls.py."""

from ninja import Router

router = Router(tags=["payments"])
