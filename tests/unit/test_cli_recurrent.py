"""The CLI trains a recurrent preset headless and writes its recurrent telemetry."""

import json

from glassnet.cli import main


def test_cli_runs_a_recurrent_preset(tmp_path):
    out = tmp_path / "result.json"
    code = main(["run", "preset:lstm-long-lag", "--steps", "2", "--quiet", "--out", str(out)])
    result = json.loads(out.read_text())
    assert code == 0
    assert result["steps"] == 2
    assert result["snapshot"]["recurrent"][0]["gate_names"] == [
        "forget",
        "input",
        "candidate",
        "output",
    ]
