"""The API is called as an ERP would: a key in the Authorization header, JSON in and out."""

from __future__ import annotations

import itertools
import json

import pytest
from django.test import Client

from api.keys import api_key_create

_ids = itertools.count(1)


class Api:
    """A client holding one key; writes carry a fresh Idempotency-Key unless one is given."""

    def __init__(self, secret: str | None, language: str | None = None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        if language:
            self.headers["Accept-Language"] = language

    def get(self, path, data=None, **headers):
        return self.client.get(path, data, headers={**self.headers, **headers})

    def post(self, path, body=None, *, idem: str | None = None, **headers):
        extra = {"Idempotency-Key": idem or f"test-{next(_ids)}"}
        return self.client.post(path, json.dumps(body or {}), content_type="application/json",
                                headers={**self.headers, **extra, **headers})


    def delete(self, path, *, idem: str | None = None, **headers):
        extra = {"Idempotency-Key": idem or f"test-{next(_ids)}"}
        return self.client.delete(path, headers={**self.headers, **extra, **headers})


def make_key(user, scopes=("read", "samples"), days=30, name=None, kind=None):
    return api_key_create(owner=user, name=name or f"erp-{next(_ids)}", scopes=list(scopes), days=days, kind=kind)


@pytest.fixture
def api_for():
    def build(user, scopes=("read", "samples"), language=None, **kwargs):
        key, secret = make_key(user, scopes, **kwargs)
        api = Api(secret, language)
        api.key = key
        return api

    return build
