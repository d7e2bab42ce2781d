from __future__ import annotations

import pytest
from chalice.test import Client

from chalicelib.api import context

from . import fakes


@pytest.fixture
def services():
    return fakes.build()


@pytest.fixture
def client(services):
    import app
    context.use(services)
    with Client(app.app) as test_client:
        yield test_client
    context.use(None)


@pytest.fixture
def aws_env(monkeypatch):
    """Fake credentials so no test can reach a real AWS account."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SECURITY_TOKEN": "testing", "AWS_SESSION_TOKEN": "testing",
                        "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
