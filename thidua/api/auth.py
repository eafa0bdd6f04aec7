"""Bearer authentication with personal API tokens (no session cookies: no CSRF to consider)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from thidua.api.services import user_for_secret


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <secret>`: the request acts as the token's user, with exactly that
    user's scope. Unknown, malformed or revoked tokens and inactive users get 401."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_secret(token.strip())
        if user is not None:
            request.user = user
        return user
