"""Helpers shared by the classroom tests (imported as `roomhelpers`; tests/api is on sys.path)."""

from __future__ import annotations

from typing import Any

from apihelpers import tiny_spec
from fastapi.testclient import TestClient


class Room:
    """A room opened through the API, with its teacher token."""

    def __init__(self, client: TestClient, title: str = "Backprop, week 3", spec: Any = None):
        self.client = client
        body: dict[str, Any] = {"title": title, "spec": tiny_spec() if spec is None else spec}
        r = client.post("/api/v1/rooms", json=body)
        assert r.status_code == 201, r.text
        self.code: str = r.json()["code"]
        self.teacher: dict[str, str] = {"X-Glassnet-Teacher": r.json()["teacher_token"]}
        self.url = f"/api/v1/rooms/{self.code}"

    def state(self) -> dict[str, Any]:
        r = self.client.get(self.url)
        assert r.status_code == 200, r.text
        return r.json()

    def patch(self, **changes: Any) -> dict[str, Any]:
        r = self.client.patch(self.url, json=changes, headers=self.teacher)
        assert r.status_code == 200, r.text
        return r.json()

    def join(self, name: str | None = None) -> dict[str, str]:
        """A new student's headers."""
        r = self.client.post(f"{self.url}/join", json={"name": name} if name else {})
        assert r.status_code == 201, r.text
        return {"X-Glassnet-Student": r.json()["student_token"]}

    def ask(self, kind: str = "choice", prompt: str = "Will the loss go down?", **kw: Any) -> str:
        body = {"kind": kind, "prompt": prompt, **kw}
        if kind == "choice":
            body.setdefault("options", ["yes", "no", "it will diverge"])
        r = self.client.post(f"{self.url}/questions", json=body, headers=self.teacher)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def answer(self, qid: str, student: dict[str, str], value: Any) -> Any:
        return self.client.post(
            f"{self.url}/questions/{qid}/answers", json={"value": value}, headers=student
        )

    def results(self, qid: str, headers: dict[str, str] | None = None) -> Any:
        return self.client.get(f"{self.url}/questions/{qid}", headers=headers or self.teacher)

    def set_question(self, qid: str, status: str, **kw: Any) -> dict[str, Any]:
        r = self.client.patch(
            f"{self.url}/questions/{qid}", json={"status": status, **kw}, headers=self.teacher
        )
        assert r.status_code == 200, r.text
        return r.json()
