"""The app's own static files: served, compressed as the client accepts, revalidated."""

from __future__ import annotations

import gzip

import brotli
import pytest
from flask.testing import FlaskClient

from directory.settings import STATIC_FOLDER

UNPACK = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.mark.parametrize("encoding", ["gzip", "br"])
@pytest.mark.parametrize("name", ["css/site.css", "css/map.css", "js/map.js", "js/locate.js"])
def test_static_files_come_compressed(client: FlaskClient, name: str, encoding: str) -> None:
    response = client.get(f"/static/{name}", headers={"Accept-Encoding": f"deflate, {encoding}"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert UNPACK[encoding](response.get_data()) == (STATIC_FOLDER / name).read_bytes()


def test_static_files_as_they_are_and_revalidated(client: FlaskClient) -> None:
    plain = client.get("/static/js/map.js")
    assert "Content-Encoding" not in plain.headers
    assert plain.get_data() == (STATIC_FOLDER / "js" / "map.js").read_bytes()
    assert "no-cache" in plain.headers["Cache-Control"]
    again = client.get("/static/js/map.js", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path", ["/static/nope.css", "/static/../__init__.py", "/static/css", "/static/%2e%2e/db.py"]
)
def test_only_files_of_the_folder(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404
