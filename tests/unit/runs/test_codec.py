import msgpack
import numpy as np

from glassnet.runs.codec import decode_frame, encode_frame, json_safe
from shared_schemas.ws import EXT_FLOAT32, EXT_UINT32


def test_histogram_counts_travel_as_packed_uint32() -> None:
    counts = list(range(32))
    frame = {
        "v": 1,
        "run": "r",
        "seq": 3,
        "layers": [{"z": {"hist": {"counts": counts}}}],
        "short": [1, 2],
        "flags": [True] * 10,
    }
    data = encode_frame(frame)
    raw = msgpack.unpackb(data, raw=False)
    packed = raw["layers"][0]["z"]["hist"]["counts"]
    assert isinstance(packed, msgpack.ExtType) and packed.code == EXT_UINT32
    assert np.frombuffer(packed.data, "<u4").tolist() == counts
    assert raw["short"] == [1, 2] and raw["flags"] == [True] * 10
    decoded = decode_frame(data)
    assert decoded["type"] == "tel"
    assert decoded["layers"][0]["z"]["hist"]["counts"] == counts


def test_floats_and_numpy_arrays_pack_as_float32() -> None:
    data = encode_frame(
        {"grid": [0.5] * 16, "arr": np.arange(10, dtype=np.float64), "neg": list(range(-5, 5))}
    )
    raw = msgpack.unpackb(data, raw=False)
    assert raw["grid"].code == EXT_FLOAT32
    back = decode_frame(data)
    assert back["grid"] == [0.5] * 16
    assert back["arr"] == list(range(10))
    assert back["neg"] == list(range(-5, 5))


def test_json_safe_replaces_non_finite() -> None:
    assert json_safe({"a": [float("nan"), 1.0, float("inf")]}) == {"a": [None, 1.0, None]}


def test_mixed_and_unpackable_lists() -> None:
    mixed = [1, 2, 3, 4, 5, 6, 7, 8.5]
    assert decode_frame(encode_frame({"m": mixed}))["m"] == mixed
    holes = [1.0, None, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert decode_frame(encode_frame({"h": holes}))["h"] == holes
    huge = [2**40] * 8
    assert decode_frame(encode_frame({"x": huge}))["x"] == huge
    nested = [[1.0] * 8] * 8
    assert decode_frame(encode_frame({"n": nested}))["n"] == nested


def test_a_frame_with_nodes_carries_masks_and_statistics_over_the_wire() -> None:
    from glassnet.engine import Trainer

    nodes = [
        {"id": "x", "kind": "input", "shape": [2]},
        {"id": "h", "kind": "dense", "units": 6, "activation": "linear", "drop_connect": 0.5},
        {"id": "bn", "kind": "batchnorm"},
        {"id": "phi", "kind": "activation", "activation": "tanh"},
        {"id": "drop", "kind": "dropout", "keep_probability": 0.6},
        {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
    ]
    spec = {
        "network": {"nodes": nodes},
        "data": {"dataset": "circle", "n": 40, "train_fraction": 1.0},
        "training": {"loss": "bce", "optimizer": {"kind": "sgd", "lr": 0.1}, "epochs": 5},
        "device": "cpu",
    }
    trainer = Trainer(spec)
    trainer.step(2, capture=True)
    frame = trainer.snapshot()
    back = decode_frame(encode_frame(frame))
    assert [n["id"] for n in back["nodes"]] == ["bn", "phi", "drop"]
    drop = back["nodes"][2]["mask"]
    assert drop["mask"] == frame["nodes"][2]["mask"]["mask"]  # 0/1 ints, unchanged
    assert back["layers"][0]["drop_connect"]["mask"] == frame["layers"][0]["drop_connect"]["mask"]
    stats, sent = back["nodes"][0]["batchnorm"], frame["nodes"][0]["batchnorm"]
    assert np.allclose(stats["running_mean"], sent["running_mean"], rtol=1e-6, atol=1e-7)
