from glassnet.runs.state import LIVE, STATES, TERMINAL, TRANSITIONS, allowed_actions, next_state


def test_every_state_is_live_or_terminal() -> None:
    assert set(STATES) == LIVE | TERMINAL
    assert not LIVE & TERMINAL


def test_transitions() -> None:
    assert next_state("start", "created") == "running"
    assert next_state("pause", "running") == "paused"
    assert next_state("resume", "paused") == "running"
    assert next_state("step", "paused") == "paused"
    assert next_state("stop", "running") == "stopped"
    assert next_state("start", "interrupted") == "running"
    assert next_state("resume", "finished") is None
    assert next_state("warp", "running") is None


def test_ended_runs_accept_nothing_but_a_restart_or_resume_of_interrupted() -> None:
    for state in TERMINAL - {"interrupted"}:
        assert allowed_actions(state) == []
    assert allowed_actions("interrupted") == ["start", "resume"]
    assert all(target in STATES for table in TRANSITIONS.values() for target in table.values())


def test_a_stalled_run_accepts_only_stop_and_still_holds_its_slot() -> None:
    assert allowed_actions("stalled") == ["stop"]
    assert next_state("stop", "stalled") == "stopped"
    assert "stalled" in LIVE
