"""An XLSX sheet is measured before it is parsed: one that would expand too far is refused with a
clear message on the page and the command line, and no message names a file on the server."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook

from catalog.security.archives import ArchiveLimits
from catalog.security.archives import ArchiveTooLarge
from catalog.security.archives import check_archive
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in

SHARED = "xl/sharedStrings.xml"


def bomb(path: Path, expanded: int = 40 * 1024 * 1024) -> Path:
    """A real workbook whose shared strings are replaced by one string of *expanded* bytes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["sku", "name_zh"])
    sheet.append(["KZ-BOMB-1", "面粉"])
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    huge = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    huge += b"A" * expanded + b"</t></si></sst>"
    relation = (
        b'<Relationship Id="rIdBomb" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )
    content_type = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", relation)
            elif member.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", content_type)
            target.writestr(member.filename, data)
        target.writestr(SHARED, huge)  # openpyxl reads the whole shared-strings table on opening
    return path


def test_the_bomb_is_small_on_disk(tmp_path: Path) -> None:
    path = bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 200 * 1024
    with pytest.raises(ArchiveTooLarge, match="expands"):
        check_archive(path, ArchiveLimits())
    with pytest.raises(ArchiveTooLarge, match="would expand to 40 MB"):
        check_archive(path, ArchiveLimits(max_total_bytes=16 * 1024 * 1024, max_ratio=10_000))


def test_the_command_line_refuses_it(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["import", "products", str(bomb(tmp_path / "bomb.xlsx"))])
    assert result.exit_code != 0
    assert "too large to read" in result.output


def test_the_page_refuses_it_and_names_no_server_path(
    app: Flask, client: FlaskClient, editor: str, tmp_path: Path
) -> None:
    sign_in(client, editor)
    token = csrf_token(client.get("/staff/import").get_data(as_text=True))
    data = bomb(tmp_path / "bomb.xlsx").read_bytes()
    response = client.post(
        "/staff/import",
        data={"csrf_token": token, "sheet": (io.BytesIO(data), "supplier.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "too large to read" in html
    broken = client.post(
        "/staff/import",
        data={"csrf_token": token, "sheet": (io.BytesIO(b"PK\x03\x04 broken"), "supplier.xlsx")},
        content_type="multipart/form-data",
    )
    assert broken.status_code == 422
    text = broken.get_data(as_text=True)
    assert "not a readable XLSX workbook" in text
    assert "/tmp" not in text and str(tmp_path) not in text and "Errno" not in text
