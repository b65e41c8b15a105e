"""The recurrent presets do what they say: at the same lag the simple RNN fails and the LSTM
succeeds; the exploding RNN diverges unclipped and trains with clipping."""

from glassnet.engine import Trainer
from glassnet.presets import get_preset


def _train(preset_id):
    trainer = Trainer(get_preset(preset_id)["spec"])
    trainer.train()
    return trainer


def test_simple_rnn_fails_and_lstm_succeeds_at_the_same_lag():
    rnn, lstm = _train("rnn-long-lag-simple"), _train("lstm-long-lag")
    assert rnn.data.input_shape == lstm.data.input_shape == (31, 4)
    assert rnn.metrics[-1]["val_accuracy"] < 0.7  # chance is 0.5
    assert lstm.metrics[-1]["val_accuracy"] >= 0.95
    diagnosis = rnn.snapshot(channels=["layers"])["recurrent"][0]["diagnosis"]
    assert diagnosis["kind"] == "vanishing"


def test_exploding_rnn_diverges_unclipped_and_trains_clipped():
    spec = get_preset("rnn-exploding-clipped")["spec"]
    spec["training"]["epochs"] = 8
    clipped = Trainer(spec)
    diagnosis = clipped.snapshot(channels=["layers"])["recurrent"][0]["diagnosis"]
    assert diagnosis["kind"] == "exploding"
    clipped.train()
    assert clipped.status == "finished"
    assert clipped.metrics[-1]["loss"] < 0.5
    spec["training"]["clip"] = {"norm": None}
    unclipped = Trainer(spec)
    unclipped.train()
    assert unclipped.status == "diverged"
