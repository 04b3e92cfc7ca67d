"""Private files on S3-compatible object storage (S3_BUCKET, django-storages), tested against
moto's server mode on a local port: an upload lands in the bucket, not on the disk, is served
back through the access-checked view, and an export is written to the bucket as well. Runs on
SQLite and PostgreSQL alike: the store is a separate server either way."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from grants.models import Attachment, DocumentType
from tests.factories import draft

BUCKET = "foerderportal-private"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, tmp_path):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-central-1",
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    # As config/settings.py builds it from S3_* variables.
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "eu-central-1",
                "access_key": "test",
                "secret_key": "test",
                "addressing_style": "path",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_an_upload_is_stored_in_the_bucket_and_served_back(client, world, bucket, tmp_path):
    app = draft(world)
    document_type = DocumentType.objects.create(
        programme=world.programme, code="satzung", name="Satzung"
    )
    client.force_login(world.owner)
    response = client.post(
        f"/antraege/{app.pk}/anlagen/",
        {
            "document_type": document_type.pk,
            "file": SimpleUploadedFile("satzung.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content[:500]
    attachment = Attachment.objects.get(application=app)
    assert _keys(bucket) == [attachment.file.name]
    assert bucket.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read() == PDF
    assert not any(tmp_path.iterdir()), "nothing is written to the local directory"
    download = client.get(f"/antraege/{app.pk}/anlagen/{attachment.pk}/")
    assert b"".join(download.streaming_content) == PDF
    client.force_login(world.outsider)
    assert client.get(f"/antraege/{app.pk}/anlagen/{attachment.pk}/").status_code == 404


def test_files_are_private_and_never_overwritten(bucket):
    from django.core.files.storage import default_storage

    first = default_storage.save("exports/liste.xlsx", ContentFile(b"eins"))
    second = default_storage.save("exports/liste.xlsx", ContentFile(b"zwei"))
    assert first != second
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=first)
    assert not [g for g in acl["Grants"] if "AllUsers" in str(g["Grantee"])]
    assert "Signature=" in default_storage.url(first) or "X-Amz-Signature" in (
        default_storage.url(first)
    )
