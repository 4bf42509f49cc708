"""The S3 settings of more than one node, against moto's in-process S3 (no network).

`s3_bucket` switches the default storage to what config/settings.py builds from
PORTAL_S3_BUCKET and the AWS_* variables (read by a fresh interpreter, so the test uses the
settings' own S3 options, not a copy of them), creates the bucket, and yields a boto3 client to
look inside it. Registered as a plugin in tests/conftest.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "portal-files"
S3_ENV = {
    "PORTAL_S3_BUCKET": BUCKET,
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


def settings_probe(expression: str, **env_changes: str) -> object:
    """The value of `expression` (over the settings module `s`) with these variables set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PORTAL_S3", "AWS_", "REDIS_URL"))
    }
    env.update(env_changes)
    probe = f"import json; from config import settings as s; print(json.dumps({expression}))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def bucket_keys(client) -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def bucket_bytes(client, key: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def s3_default_storage() -> dict:
    storage = settings_probe("s.STORAGES['default']", **S3_ENV)
    assert isinstance(storage, dict)
    return storage


@pytest.fixture
def s3_bucket(settings, s3_default_storage, monkeypatch):
    import boto3
    from moto import mock_aws

    for key, value in S3_ENV.items():
        monkeypatch.setenv(key, value)  # boto3 inside moto must not find real credentials
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": s3_default_storage}
        yield client
