"""The Python client's run history: list with filters, delete (against the app in-process)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apihelpers import tiny_spec
from fastapi.testclient import TestClient

from glassnet.client import GlassnetClient, GlassnetError


@pytest.fixture
def gn(client: TestClient) -> Iterator[GlassnetClient]:
    # The TestClient's transport calls the app in this process.
    with GlassnetClient("http://testserver", transport=client._transport) as c:
        yield c


def test_runs_of_one_client_share_its_owner_and_show_what_changed(gn: GlassnetClient) -> None:
    first = gn.create_run(tiny_spec(epochs=2), start=True)
    gn.wait(first.id)
    second = gn.create_run(tiny_spec(epochs=3), start=True)
    assert first.owner == second.owner == gn.owner
    newest, oldest = gn.list_runs()
    assert newest.id == second.id and newest.mine
    assert newest.diff is not None and newest.diff.previous == first.id
    assert [(c.pointer, c.old, c.new) for c in newest.diff.changes] == [("/training/epochs", 2, 3)]
    assert oldest.summary == "2-4-1 tanh · sgd α 0.03 · xor"


def test_list_runs_filters_by_state_and_room(gn: GlassnetClient) -> None:
    done = gn.create_run(tiny_spec(epochs=2), start=True)
    gn.wait(done.id)
    waiting = gn.create_run(tiny_spec())
    assert [r.id for r in gn.list_runs(state="finished")] == [done.id]
    assert {r.id for r in gn.list_runs(state=["finished", "created"])} == {done.id, waiting.id}
    assert gn.list_runs(room="NOROOM") == []
    page = gn.runs_page(limit=1)
    assert (page.count, page.total, page.next_offset) == (1, 2, 1)


def test_delete_run_removes_it_and_only_its_owner_may(
    gn: GlassnetClient, client: TestClient
) -> None:
    run = gn.create_run(tiny_spec())
    with GlassnetClient("http://testserver", transport=client._transport) as stranger:
        with pytest.raises(GlassnetError) as refused:
            stranger.delete_run(run.id)
        assert refused.value.status == 403
    gn.delete_run(run.id)
    with pytest.raises(GlassnetError) as gone:
        gn.get_run(run.id)
    assert gone.value.status == 404


def test_sweeps_page_lists_the_sweeps_newest_first(gn: GlassnetClient) -> None:
    axes = [{"pointer": "/seed", "values": [1, 2]}]
    older = gn.create_sweep(tiny_spec(), axes, start=False)
    newer = gn.create_sweep(tiny_spec(), axes, start=False)
    page = gn.sweeps_page()
    assert [s.id for s in page.sweeps] == [newer["id"], older["id"]]
    assert page.sweeps[0].progress.queued == 2 and page.total == 2
