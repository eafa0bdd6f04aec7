"""Helpers for the API tests: a token for an actor, and requests that carry it."""

from __future__ import annotations

import pytest

from thidua.api.services import token_create


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


class Api:
    """Django's test client speaking to /api/ with one token."""

    def __init__(self, client, secret: str):
        self.client, self.headers = client, bearer(secret)

    def get(self, path: str, **params):
        return self.client.get(f"/api{path}", params, headers=self.headers)

    def put(self, path: str, body: dict, method: str = "put"):
        return getattr(self.client, method)(f"/api{path}", body, content_type="application/json",
                                            headers=self.headers)

    def patch(self, path: str, body: dict):
        return self.put(path, body, method="patch")


@pytest.fixture
def api_as(client):
    """api_as(user) → an Api client acting with a fresh token of `user`."""

    def make(user) -> Api:
        _token, secret = token_create(user=user, name=f"Kiểm thử {user.username}")
        return Api(client, secret)

    return make
