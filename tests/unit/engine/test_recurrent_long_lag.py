"""The long-lag presets: at the same lag the simple RNN fails and the LSTM succeeds."""

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
