"""Websocket protocol of `/ws/v1` (version 1).

Text frames carry JSON control messages, each with `type` and `v`. Binary frames carry telemetry.

Client → server: `hello`, `subscribe`, `unsubscribe`, `ack`, `control`.
Server → client: `welcome`, `run_state`, `graph`, `error`, and binary `tel` frames.

Flow: send `hello {v: 1}` first (optionally with the `owner` token of runs you created, which lets
you send `control`), wait for `welcome`, then `subscribe {run_id}`. A browser tab can pick one random
token (8+ characters), pass it as `owner` in every `POST /api/v1/runs` and in `hello`, and steer all
its runs. The server answers with `graph`
(the layer index table; sent again once a just-created run has been built) and `run_state` (again on
every change), then streams `tel` frames at most `max_hz` per second.
Every `tel` frame must be acknowledged with `ack {seq}` (its `seq`; acks are cumulative per run):
at most `welcome.credit` frames of each run are in flight, and a viewer that falls behind gets fewer,
fresher frames, never old ones. Unknown message types or versions produce an `error` and the socket
stays open; so do messages nested more than 16 levels deep, and messages beyond the per-socket rate
(one `rate_limited` error per burst of dropped messages; acks are not counted). Messages larger
than `welcome.max_message_bytes` close the socket (code 1009).

Binary `tel` frames are msgpack maps: the DESIGN.md snapshot (`v, run, seq, step, epoch, loss,
val_loss, accuracy, layers, boundary, feature_maps, predictions`) plus `type: "tel"` and `t` (server wall clock
of the snapshot, Unix seconds, for measuring delay). `channels` names: metrics, layers, boundary,
feature_maps, predictions. Numeric arrays travel packed
as msgpack extension types, little-endian, to keep frames small and decoding cheap:

- ext type 1: uint32 array (histogram `counts`)  → `Uint32Array` in the browser
- ext type 2: float32 array (grids, maps, values) → `Float32Array`
- ext type 3: int32 array                          → `Int32Array`

Any flat list of at least `PACK_MIN` numbers is packed (integers in [0, 2**32) as type 1, other integers
as type 3, floats as type 2); shorter lists stay msgpack arrays. Decoders must copy the bytes before
viewing them as a typed array (the ext payload need not be 4-byte aligned).
A frame carries the union of the layers and channels its run's viewers asked for.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared_schemas.api import ActionKind, RunState
from shared_schemas.base import ClientModel

WS_VERSION: Final = 1
EXT_UINT32 = 1
EXT_FLOAT32 = 2
EXT_INT32 = 3
PACK_MIN = 8

ErrorCode = Literal[
    "bad_message",
    "unsupported_version",
    "unknown_type",
    "hello_required",
    "not_found",
    "forbidden",
    "too_many_viewers",
    "conflict",
    "limit",
    "rate_limited",
]


class Msg(ClientModel):
    v: Literal[1] = WS_VERSION


# --- client → server -----------------------------------------------------------------------


class Hello(Msg):
    type: Literal["hello"] = "hello"
    owner: str | None = Field(None, max_length=128, description="owner token(s) for control")
    client: str | None = Field(None, max_length=200, description="free text, e.g. 'glassnet-ui/1'")


class Subscribe(Msg):
    type: Literal["subscribe"] = "subscribe"
    run_id: str = Field(max_length=64)
    channels: list[str] | None = Field(
        None, max_length=16, description="None: everything (e.g. scalars, layers, boundary)"
    )
    layers: list[str] | None = Field(None, max_length=256, description="None: every layer")
    max_hz: float = Field(30.0, gt=0, le=60)


class Unsubscribe(Msg):
    type: Literal["unsubscribe"] = "unsubscribe"
    run_id: str = Field(max_length=64)


class Ack(Msg):
    type: Literal["ack"] = "ack"
    seq: int = Field(ge=0)
    run_id: str | None = Field(None, max_length=64, description="None: the only/every subscription")


class Control(Msg):
    type: Literal["control"] = "control"
    run_id: str = Field(max_length=64)
    action: ActionKind
    steps: int = Field(1, ge=1, le=100_000)
    lr: float | None = Field(None, gt=0, le=100)


ClientMsg = Annotated[Hello | Subscribe | Unsubscribe | Ack | Control, Field(discriminator="type")]


# --- server → client -----------------------------------------------------------------------


class ServerMessage(Msg):
    """Base of what the server sends: its schema lists every field, as the server writes them all."""

    model_config = ConfigDict(json_schema_mode_override="serialization")


class Welcome(ServerMessage):
    type: Literal["welcome"] = "welcome"
    server: str
    credit: int = Field(description="telemetry frames in flight before an ack is needed")
    max_hz: float
    max_message_bytes: int


class RunStateMsg(ServerMessage):
    type: Literal["run_state"] = "run_state"
    run_id: str
    state: RunState
    step: int = 0
    epoch: int = 0
    stop_reason: str | None = None
    diagnosis: dict[str, Any] | None = None


class GraphLayer(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    kind: str
    activation: Any = None
    n_in: int | None = None
    n_out: int | None = None
    shape: list[int] | None = None


class Graph(ServerMessage):
    type: Literal["graph"] = "graph"
    run_id: str
    layers: list[GraphLayer]


class Error(ServerMessage):
    type: Literal["error"] = "error"
    code: ErrorCode
    message: str
    run_id: str | None = None


ServerMsg = Annotated[Welcome | RunStateMsg | Graph | Error, Field(discriminator="type")]
