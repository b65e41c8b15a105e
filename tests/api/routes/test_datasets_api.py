from apihelpers import Runs, tiny_spec
from fastapi.testclient import TestClient

CSV = "a,b,label\n" + "\n".join(f"{i % 3},{i % 5},{i % 2}" for i in range(40)) + "\n"


def _upload(client: TestClient, text: str = CSV) -> dict:  # type: ignore[type-arg]
    r = client.post(
        "/api/v1/datasets",
        content=text.encode(),
        headers={"Content-Type": "text/csv"},
        params={"name": "toy.csv"},
    )
    assert r.status_code == 201, r.text
    return r.json()


def test_upload_then_train_on_it(client: TestClient, runs: Runs) -> None:
    up = _upload(client)
    assert up["rows"] == 40 and up["columns"] == ["a", "b", "label"]
    spec = tiny_spec(epochs=2)
    spec["data"] = {"dataset": "csv", "upload_id": up["upload_id"], "target_column": "label"}
    assert client.post("/api/v1/specs/validate", json=spec).status_code == 200
    run = runs.create(spec, start=True)
    assert runs.wait_state(run["id"], "finished", "failed")["state"] == "finished"
    # The stored spec keeps the upload id, not the file's text.
    assert runs.get(run["id"])["spec"]["data"]["upload_id"] == up["upload_id"]


def test_unknown_upload_id_points_at_the_field(client: TestClient) -> None:
    spec = tiny_spec()
    spec["data"] = {"dataset": "csv", "upload_id": "doesnotexist", "target_column": "label"}
    r = client.post("/api/v1/runs", json={"spec": spec})
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/spec/data/upload_id"


def test_bad_csv_is_422(client: TestClient) -> None:
    r = client.post("/api/v1/datasets", content=b"justone\n", headers={"Content-Type": "text/csv"})
    assert r.status_code == 422
    r = client.post(
        "/api/v1/datasets", content=b"\xff\xfe\x00", headers={"Content-Type": "text/csv"}
    )
    assert r.status_code == 422


def test_upload_has_its_own_larger_limit(client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    big = "a,b\n" + "1,2\n" * ((settings.max_body_bytes // 4) + 10)
    assert len(big) > settings.max_body_bytes
    assert _upload(client, big)["rows"] > 0
    too_big = "a,b\n" + "1,2\n" * (settings.max_upload_bytes // 4 + 10)
    r = client.post(
        "/api/v1/datasets", content=too_big.encode(), headers={"Content-Type": "text/csv"}
    )
    assert r.status_code == 413


def test_preview_get_and_post(client: TestClient) -> None:
    r = client.get("/api/v1/datasets/preview", params={"dataset": "spiral", "n": 50})
    assert r.status_code == 200
    assert r.json()["dataset"] == "spiral"
    up = _upload(client)
    r = client.post(
        "/api/v1/datasets/preview",
        json={"dataset": "csv", "upload_id": up["upload_id"], "target_column": "label"},
    )
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/datasets/preview", params={"dataset": "nope"}).status_code == 422
    assert client.get("/api/v1/datasets/preview", params={"n": -1}).status_code == 422


def _big_csv(min_bytes: int) -> str:
    rows = [f"{(i * 7) % 100 / 100:.6f},{(i * 13) % 100 / 100:.6f},{i % 2}" for i in range(90_000)]
    text = "a,b,label\n" + "\n".join(rows) + "\n"
    assert len(text) > min_bytes
    return text


def test_a_run_on_an_upload_over_one_and_a_half_megabytes_trains(
    client: TestClient, runs: Runs
) -> None:
    up = _upload(client, _big_csv(1_600_000))
    spec = tiny_spec(epochs=1, batch_size=4096)
    spec["data"] = {"dataset": "csv", "upload_id": up["upload_id"], "target_column": "label"}
    run = runs.create(spec, start=True)
    assert runs.wait_state(run["id"], "finished", "failed")["state"] == "finished"


def test_an_unusable_upload_points_at_upload_id_and_never_echoes_the_file(
    client: TestClient,
) -> None:
    text = "a,b,label\n" + "".join(f"{i},secret{i},1\n" for i in range(200))
    up = _upload(client, text)
    spec = tiny_spec()
    spec["data"] = {"dataset": "csv", "upload_id": up["upload_id"], "target_column": "label"}
    r = client.post("/api/v1/runs", json={"spec": spec})
    assert r.status_code == 422
    assert [p["pointer"] for p in r.json()["detail"]] == ["/spec/data/upload_id"]
    assert "csv_text" not in r.text
    assert "secret150" not in r.text


def test_upload_is_parsed_off_the_event_loop(client: TestClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from glassnet.store import UploadStore

    loops: list[bool] = []
    save = UploadStore.save

    def recording_save(self: UploadStore, text: str):  # type: ignore[no-untyped-def]
        try:
            asyncio.get_running_loop()
            loops.append(True)
        except RuntimeError:
            loops.append(False)  # a worker thread: the event loop keeps serving
        return save(self, text)

    monkeypatch.setattr(UploadStore, "save", recording_save)
    _upload(client)
    assert loops == [False]
