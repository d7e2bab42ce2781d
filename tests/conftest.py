from __future__ import annotations

import os

import pytest
from chalice.test import Client
from hypothesis import settings

from chalicelib.api import context

from . import fakes

# `make test` is repeatable: the same Hypothesis examples on every run and machine, so a red CI
# is a regression, not luck. HYPOTHESIS_PROFILE=explore draws new examples (and may find more).
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


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
