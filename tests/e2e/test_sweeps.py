"""Many runs in the browser: a 2×3 sweep with its parallel-coordinates plot, three of its runs
compared (δ histograms overlaid on shared bins, then as differences from a reference run), and a
past sweep found in the sweeps list and opened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from appsteps import load_preset, open_app, spec_of

RUN_COLOURS = {"blue": (0, 114, 178), "orange": (230, 159, 0), "green": (0, 158, 115)}

# Pixels of each colour on a canvas (within a small tolerance): proof that a line was drawn in it.
COUNT_COLOURS = """([testId, colours]) => {
  const c = document.querySelector(`[data-testid='${testId}']`);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const out = {};
  for (const [name, [r, g, b]] of Object.entries(colours)) {
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
      if (d[i + 3] > 200 && Math.abs(d[i] - r) < 30 && Math.abs(d[i + 1] - g) < 30 && Math.abs(d[i + 2] - b) < 30) n++;
    out[name] = n;
  }
  return out;
}"""


def _sweep_two_by_three(page: Any, server: str) -> None:
    load_preset(page, server, "playground-circle")
    page.evaluate("() => window.__glassnet.specs.getState().setTraining({ epochs: 40 })")
    page.get_by_test_id("open-many-runs").click()
    page.get_by_test_id("sweep-values-0").fill("0.03, 0.3")
    page.get_by_test_id("sweep-add-axis").click()
    page.get_by_test_id("sweep-field-1").select_option("/network/nodes/1/units")
    page.get_by_test_id("sweep-values-1").fill("2, 4, 8")
    page.get_by_test_id("sweep-run").click()
    page.wait_for_selector("[data-testid='sweep-state']:text('done')", timeout=240_000)


def test_a_two_by_three_sweep_shows_every_run_in_parallel_coordinates(
    page: Any, server: str, shot: Callable[[Any, str], Path]
) -> None:
    _sweep_two_by_three(page, server)
    rows = page.locator("[data-testid='sweep-table'] tbody tr")
    assert rows.count() == 6
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(6)] == ["0.03"] * 3 + [
        "0.3"
    ] * 3
    assert [rows.nth(i).locator("td").nth(2).inner_text() for i in range(3)] == ["2", "4", "8"]
    # Six polylines from best (blue) to worst (orange): both ends of the scale are drawn.
    page.wait_for_function(
        """() => { const c = document.querySelector("[data-testid='sweep-parallel']");
                   return c && c.width > 300; }"""
    )
    drawn = page.evaluate(
        COUNT_COLOURS, ["sweep-parallel", {"best": [8, 110, 185], "worst": [230, 120, 20]}]
    )
    assert drawn["best"] > 20 and drawn["worst"] > 20, drawn
    assert page.locator("[data-testid='sweep-curves'] .u-legend tr").count() >= 6
    shot(page, "sweep-2x3")
    assert not page.errors


def test_three_runs_compare_their_delta_histograms_on_shared_bins(
    page: Any, server: str, shot: Callable[[Any, str], Path]
) -> None:
    _sweep_two_by_three(page, server)
    boxes = page.locator("[data-testid='sweep-table'] tbody input[type='checkbox']")
    for i in (0, 2, 5):
        boxes.nth(i).check()
    page.get_by_test_id("sweep-compare").click()
    delta = "compare-hist-h1-delta"
    page.wait_for_selector(f"[data-testid='{delta}']", timeout=60_000)
    page.wait_for_function(
        "(id) => document.querySelector(`[data-testid='${id}']`).width > 100", arg=delta
    )
    drawn = page.evaluate(COUNT_COLOURS, [delta, RUN_COLOURS])
    assert all(n > 10 for n in drawn.values()), drawn  # one outline per run
    legend = page.get_by_test_id("compare-legend").locator("li")
    assert legend.count() == 3
    shot(page, "compare-delta")
    # As differences from a reference run (the second): each other run's share per bin minus the
    # reference's, as bars around zero; the reference's own bars are zero, so its colour is gone.
    page.get_by_test_id("compare-mode-difference").click()
    page.get_by_test_id("compare-ref").select_option(index=1)
    page.wait_for_selector("[data-testid='compare-hists'][data-mode='difference']")
    page.wait_for_function(
        f"""(args) => {{ const n = ({COUNT_COLOURS})(args);
                        return n.orange === 0 && n.blue > 10 && n.green > 10; }}""",
        arg=[delta, RUN_COLOURS],
    )
    assert page.get_by_test_id("compare-ref-mark").count() == 1
    assert "minus the reference" in page.get_by_test_id("compare-hist-caption").inner_text()
    diff_hash = page.evaluate("() => window.location.hash")
    ref = page.get_by_test_id("compare-ref").input_value()
    compared = diff_hash.split("&")[0].removeprefix("#compare=").split(",")
    assert diff_hash.endswith(f"&hist=diff&ref={ref}") and ref == compared[1]
    shot(page, "compare-delta-differences")
    # A fresh page opened on the link shows the same differences from the same run.
    fresh = page.context.new_page()
    fresh.goto(server + "/" + diff_hash)
    fresh.get_by_test_id("compare-ref").wait_for(timeout=60_000)
    assert fresh.get_by_test_id("compare-ref").input_value() == ref
    assert fresh.get_by_test_id("compare-mode-difference").get_attribute("aria-pressed") == "true"
    fresh.close()
    page.get_by_test_id("compare-mode-overlay").click()
    # One scrubber moves every run to its nearest recorded step at or before the chosen one.
    scrubber = page.get_by_test_id("compare-scrubber")
    scrubber.fill("0")
    page.wait_for_selector("[data-testid='compare-step']:text-is('0')")
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='compare-legend'] li")]
                 .every((li) => li.textContent.includes('step 0'))"""
    )
    shot(page, "compare-step-0")
    # The comparison is a link: opened afresh, it shows the same three runs.
    hash_ = page.evaluate("() => window.location.hash")
    assert hash_.startswith("#compare=") and hash_.count(",") == 2
    page.goto(server + "/" + hash_)
    page.get_by_test_id("compare-legend").wait_for(timeout=60_000)
    assert page.get_by_test_id("compare-legend").locator("li").count() == 3
    assert not page.errors


def test_a_bad_value_is_named_beside_its_axis(
    page: Any, server: str, shot: Callable[[Any, str], Path]
) -> None:
    load_preset(page, server, "playground-circle")
    shot(page, "header")
    page.get_by_test_id("open-many-runs").click()
    page.get_by_test_id("sweep-values-0").fill("0.1, -1")
    page.get_by_test_id("sweep-run").click()
    problem = page.get_by_test_id("sweep-axis-0").get_by_role("alert")
    problem.wait_for()
    assert "/axes/0/values/1" in problem.inner_text()
    assert "greater than 0" in problem.inner_text()
    shot(page, "bad-value")
    page.get_by_test_id("mr-close").click()
    page.get_by_test_id("many-runs").wait_for(state="detached")


def test_the_sweeps_list_shows_a_past_sweep_and_opens_it(
    page: Any, server: str, shot: Callable[[Any, str], Path]
) -> None:
    load_preset(page, server, "playground-circle")
    spec = spec_of(page)
    spec["training"]["epochs"] = 20
    axes = [{"pointer": "/training/optimizer/lr", "values": [0.03, 0.3]}]
    made = page.request.post(
        server + "/api/v1/sweeps", data={"spec": spec, "axes": axes, "name": "circle lr"}
    )
    assert made.status == 201, made.text()
    sweep_id = made.json()["id"]
    # The list follows the sweep while its runs train, until it is done.
    page.get_by_test_id("open-many-runs").click()
    entry = page.locator(f"[data-testid='sweep-entry'][data-sweep-id='{sweep_id}']")
    entry.locator(".badge:text-is('done')").wait_for(timeout=240_000)
    # A later visit (no owner token in this tab) finds it in the list as a past sweep.
    open_app(page, server)
    page.get_by_test_id("open-many-runs").click()
    entry.wait_for()
    text = entry.inner_text()
    assert "circle lr" in text and "learning rate 0.03, 0.3" in text
    assert "2 runs: 2 ended" in text and "best loss" in text
    shot(page, "sweeps-list")
    entry.click()
    page.wait_for_selector("[data-testid='sweep-state']:text('done')")
    assert (page.get_by_test_id("sweep-name").text_content() or "").strip() == "circle lr"
    assert entry.get_attribute("aria-current") == "true"
    assert page.locator("[data-testid='sweep-table'] tbody tr").count() == 2
    assert page.get_by_test_id("sweep-stop").count() == 0  # not this tab's sweep to steer
    page.wait_for_function(
        """() => { const c = document.querySelector("[data-testid='sweep-parallel']");
                   return c && c.width > 300; }"""
    )
    drawn = page.evaluate(
        COUNT_COLOURS, ["sweep-parallel", {"best": [8, 110, 185], "worst": [230, 120, 20]}]
    )
    assert drawn["best"] > 20 and drawn["worst"] > 20, drawn
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='sweep-curves'] .u-legend tr\").length >= 2"
    )
    assert page.evaluate("() => window.location.hash") == f"#sweep={sweep_id}"
    shot(page, "sweeps-list-opened")
    assert not page.errors
