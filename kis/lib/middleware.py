"""Request plumbing that every app relies on: request ids, the UI language, no caching."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from allauth.core.internal.httpkit import get_client_ip
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from kis.lib import context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id (kept from a trusted proxy if well-formed) and remember the client."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # The same client address as the login throttling sees (ALLAUTH_TRUSTED_PROXY_COUNT).
        token = context.begin(request_id=request_id, ip=get_client_ip(request) or None)
        try:
            response = self.get_response(request)
        finally:
            context.end(token)
        response["X-Request-ID"] = request_id
        return response


class LanguageMiddleware:
    """Polish unless the user chose otherwise with the language switch.

    The browser's Accept-Language is ignored on purpose: municipal PCs and headless browsers
    often say en-US, and the product is Polish first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class NoStoreMiddleware:
    """Personal data must not linger in browser or proxy caches (ASVS 14.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
        return response
