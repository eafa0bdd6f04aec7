"""Vietnamese first: the browser's language does not switch the UI, only the user's own choice does."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    """Like Django's LocaleMiddleware, but ignores Accept-Language: civil servants' browsers are
    often set to English, and the product speaks Vietnamese unless the user picks English
    (the language switch sets the cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
