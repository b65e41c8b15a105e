from fastapi.testclient import TestClient


def test_catalog_lists_engine_and_datasets(client: TestClient) -> None:
    body = client.get("/api/v1/catalog").json()
    for key in ("layers", "activations", "losses", "datasets"):
        assert body[key], key
    names = {
        d["name"] if isinstance(d, dict) and "name" in d else d.get("id") for d in body["datasets"]
    }
    assert "spiral" in names


def test_presets_list_and_get(client: TestClient) -> None:
    r = client.get("/api/v1/presets")
    assert r.status_code == 200
    presets = r.json()["presets"]
    if presets:
        one = client.get(f"/api/v1/presets/{presets[0]['id']}")
        assert one.status_code == 200
        assert "network" in one.json()["spec"]


def test_unknown_preset_is_404(client: TestClient) -> None:
    r = client.get("/api/v1/presets/no-such-preset")
    assert r.status_code == 404
    assert r.json()["detail"][0]["message"]


def test_errata_is_json_or_404(client: TestClient) -> None:
    assert client.get("/api/v1/errata").status_code in (200, 404)


def test_every_preset_passes_the_servers_checks(client: TestClient) -> None:
    for preset in client.get("/api/v1/presets").json()["presets"]:
        spec = client.get(f"/api/v1/presets/{preset['id']}").json()["spec"]
        r = client.post("/api/v1/specs/validate", json=spec)
        assert r.status_code == 200, (preset["id"], r.json())


def test_a_presets_look_at_reaches_the_list_and_the_preset(client: TestClient) -> None:
    listed = {p["id"]: p for p in client.get("/api/v1/presets").json()["presets"]}
    one = client.get("/api/v1/presets/deep-residual-network").json()
    assert one["look_at"].startswith("Look at: the Gradients view")
    assert listed["deep-residual-network"]["look_at"] == one["look_at"]
    # presets without one say so with null
    assert listed["kelleher-power-plant-logistic"]["look_at"] is None
