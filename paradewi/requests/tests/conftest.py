"""An S3 server on the loopback (moto's server mode) for the storage tests.

`s3_server` starts once per test process (each xdist worker has its own) on a free port of
127.0.0.1 and creates the bucket. `s3` points STORAGES["default"] at it for one test, under a
key prefix of the test's own, so every object a test finds is one it made. Django forgets the
previous storage when the setting changes (its `setting_changed` receiver resets
`default_storage`, the lazy object every FileField uses), so uploads, downloads, the archive
and retention all go through S3 exactly as in production.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.config import Config
from django.conf import LazySettings

S3_BUCKET = "paradewi-test"
S3_REGION = "us-east-1"
S3_KEY_ID = "testing"
S3_SECRET = "testing-secret"  # moto accepts any key


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEY_ID,
        aws_secret_access_key=S3_SECRET,
        # Loopback only, whatever proxy the environment names.
        config=Config(proxies={}, s3={"addressing_style": "path"}),
    )


@dataclass
class S3:
    """The bucket as a test sees it: its objects under the test's prefix, their ACLs."""

    endpoint: str
    bucket: str
    prefix: str
    client: Any

    def names(self) -> set[str]:
        """Storage names (without the prefix) of every object the test stored."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + "/"
        )
        return {
            item["Key"].removeprefix(self.prefix + "/")
            for page in pages
            for item in page.get("Contents", [])
        }

    def read(self, name: str) -> bytes:
        body = self.client.get_object(Bucket=self.bucket, Key=f"{self.prefix}/{name}")["Body"]
        data: bytes = body.read()
        return data

    def grants(self, name: str) -> list[dict[str, Any]]:
        acl = self.client.get_object_acl(Bucket=self.bucket, Key=f"{self.prefix}/{name}")
        grants: list[dict[str, Any]] = acl["Grants"]
        return grants

    def anonymous_get(self, name: str) -> int:
        """The HTTP status of a plain, unsigned GET of the object's address."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        url = f"{self.endpoint}/{self.bucket}/{self.prefix}/{name}"
        try:
            with opener.open(url, timeout=10) as response:
                status: int = response.status
                return status
        except urllib.error.HTTPError as error:
            return error.code


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto's S3 in server mode on 127.0.0.1 (a free port), with the bucket; its address."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per S3 request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3_client(endpoint).create_bucket(Bucket=S3_BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3(settings: LazySettings, s3_server: str) -> S3:
    """Files of this test go to the loopback S3 server, with the options settings.py uses."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "paradewi.core.storage.EncryptedS3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": s3_server,
                "region_name": S3_REGION,
                "access_key": S3_KEY_ID,
                "secret_key": S3_SECRET,
                "location": prefix,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "addressing_style": "path",
                "max_memory_size": 2_621_440,
                "proxies": {},
            },
        },
    }
    return S3(endpoint=s3_server, bucket=S3_BUCKET, prefix=prefix, client=s3_client(s3_server))
