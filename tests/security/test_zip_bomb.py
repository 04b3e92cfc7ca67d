"""The upload type check never unpacks a zip member: a small upload that declares gigabytes,
or thousands of parts, is refused with a German message at the cost of a few kilobytes."""

import io
import struct
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applicants.uploads import check_upload

ODT = "application/vnd.oasis.opendocument.text"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("antrag.odt", data, content_type=ODT)


def test_a_real_opendocument_is_accepted():
    assert check_upload(_upload(_zip({"mimetype": ODT.encode(), "content.xml": b"<x/>"}))) == ODT


def test_a_huge_member_is_read_a_few_bytes_at_most():
    # 64 MB of padding behind the declared type: packed to about 64 KB.
    data = _zip({"mimetype": ODT.encode() + b" " * (64 * 1024 * 1024)})
    assert len(data) < 1024 * 1024

    tracemalloc.start()
    try:
        check_upload(_upload(data))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 5 * 1024 * 1024


def test_a_package_declaring_gigabytes_is_refused():
    data = bytearray(_zip({"mimetype": ODT.encode(), "content.xml": b"<x/>"}))
    # Declare 4 GB unpacked for the second member in the central directory.
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 0xFFFFFFF0)

    with pytest.raises(ValidationError) as refused:
        check_upload(_upload(bytes(data)))

    assert refused.value.code == "zip_bomb"
    assert "ungewöhnlich stark gepackt" in refused.value.messages[0]


def test_a_package_with_thousands_of_parts_is_refused():
    data = _zip({"mimetype": ODT.encode(), **{f"p/{n}": b"" for n in range(2500)}})

    with pytest.raises(ValidationError) as refused:
        check_upload(_upload(data))

    assert refused.value.code == "zip_bomb"
