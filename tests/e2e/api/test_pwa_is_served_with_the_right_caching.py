import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings


@pytest.fixture
def pwa_client(data_dir, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>访谈</title><div id=app></div>", encoding="utf-8")
    (dist / "sw.js").write_text("self.addEventListener('fetch', () => {})")
    (dist / "assets" / "index-abc123.js").write_text("console.log('app')")
    (dist / "manifest.webmanifest").write_text('{"name": "干部访谈"}', encoding="utf-8")
    settings = Settings.from_env(environ={}, data_dir=data_dir, static_dir=dist)
    with TestClient(create_app(settings)) as client:
        yield client


def test_index_and_service_worker_are_never_cached(pwa_client):
    for path in ("/", "/sw.js", "/manifest.webmanifest"):
        response = pwa_client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-cache"
    assert "访谈" in pwa_client.get("/").text
    assert pwa_client.get("/manifest.webmanifest").headers["content-type"].startswith("application/manifest+json")


def test_hashed_assets_are_immutable(pwa_client):
    response = pwa_client.get("/assets/index-abc123.js")
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert response.headers["content-type"].startswith("text/javascript")


def test_deep_links_get_the_app_shell_but_missing_files_and_api_do_not(pwa_client):
    deep = pwa_client.get("/interviews/0192/edit")
    assert deep.status_code == 200 and "访谈" in deep.text
    assert pwa_client.get("/assets/missing-123.js").status_code == 404
    api = pwa_client.get("/api/interviews")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def test_path_traversal_is_refused(pwa_client):
    response = pwa_client.get("/..%2f..%2fetc%2fpasswd")
    assert response.status_code in (200, 404)
    assert "root:" not in response.text


def test_without_a_built_pwa_the_root_says_how_to_build_it(client):
    response = client.get("/")
    assert response.status_code == 503
    assert "make run" in response.text
