"""RunSpec network → torch module that runs the graph and, when asked, captures W, z, a and δ.

A weighted node (dense, conv2d) is one `Layer`: z = W·x + b, a = φ(z). Everything a view or a trace
shows is organised by these layers. Capture is off unless a `Capture` is passed to `forward`: the
training step pays for probes only when a snapshot is due.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from glassnet.engine.activations import ActivationFn, ActivationModule, get_activation
from glassnet.engine.initializers import default_init, init_weight
from glassnet.engine.recurrent import RecurrentCapture, RecurrentLayer
from shared_schemas.graph import infer_shapes, pair
from shared_schemas.graph_info import GraphInfo
from shared_schemas.runspec import (
    RECURRENT_KINDS,
    ActivationNode,
    AddNode,
    BatchNormNode,
    Conv2dNode,
    DenseNode,
    DropoutNode,
    NetworkSpec,
    PoolNode,
    activation_spec,
)


class Layer(nn.Module):
    """A weighted node: z = W·x + b (dense) or z = W ⋆ x + b (conv, cross-correlation), a = φ(z)."""

    def __init__(
        self,
        node: DenseNode | Conv2dNode,
        in_shape: tuple[int, ...],
        generator: torch.Generator,
        dtype: torch.dtype,
    ) -> None:
        super().__init__()
        self.id = node.id
        self.kind = node.kind
        act = activation_spec(node.activation)
        self.fn: ActivationFn = get_activation(act)
        if isinstance(node, DenseNode):
            shape: tuple[int, ...] = (node.units, in_shape[-1])  # a sequence: per step
            self.stride, self.padding = (1, 1), (0, 0)
        else:
            kh, kw = pair(node.kernel)
            shape = (node.filters, in_shape[0], kh, kw)
            self.stride, self.padding = pair(node.stride), pair(node.padding, 0)
        if node.weights is not None:
            w = torch.tensor(node.weights, dtype=dtype)
        else:
            w = init_weight(node.init or default_init(act), shape, generator, dtype)
        if self.kind == "conv2d":
            # channels-last: oneDNN's convolutions and torch's max pooling run on it 1.3-1.6×
            # faster per training step on a CPU than on NCHW, whose max pooling is not vectorised
            w = w.to(memory_format=torch.channels_last)
        if node.bias is not None:
            b = torch.tensor(node.bias, dtype=dtype)
        else:
            b = torch.full((shape[0],), float(node.bias_init), dtype=dtype)
        self.weight = nn.Parameter(w)
        self.bias = nn.Parameter(b)
        self.activation = ActivationModule(self.fn, dtype)
        # DropConnect (dense only): the probability of dropping each weight in a training step
        self.drop_connect = float(getattr(node, "drop_connect", 0.0))
        self.generator = generator
        self.last_mask: Tensor | None = None  # the weights kept in the last training step

    @property
    def n_in(self) -> int:
        """Fan-in: inputs feeding one unit (the n_in of var(z) = n_in·var(W)·var(x))."""
        return int(self.weight[0].numel())

    @property
    def n_out(self) -> int:
        return int(self.weight.shape[0])

    @property
    def stochastic(self) -> bool:
        """Whether this layer draws a DropConnect mask in training steps."""
        return self.drop_connect > 0

    def effective_weight(self) -> Tensor:
        """W as this pass uses it: with DropConnect in training, W ⊙ M / (1 − p) for a fresh
        Bernoulli mask M (kept with 1 − p), so E[W ⊙ M / (1 − p)] = W, as in evaluation."""
        if not self.training or self.drop_connect == 0:
            return self.weight
        w = self.weight
        draw = torch.rand(w.shape, generator=self.generator, device=w.device, dtype=w.dtype)
        mask = draw >= self.drop_connect
        self.last_mask = mask
        return w * mask / (1 - self.drop_connect)

    def pre_activation(self, x: Tensor) -> Tensor:
        """z for a batch x."""
        if self.kind == "dense":
            return F.linear(x, self.effective_weight(), self.bias)
        return F.conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding)

    def phi(self, z: Tensor) -> Tensor:
        """a = φ(z): the activation module's maths, called directly (no module-call overhead)."""
        return self.fn.forward(z, self.activation.slope)

    def forward(self, x: Tensor) -> Tensor:
        return self.phi(self.pre_activation(x))


class Dropout(nn.Module):
    """Inverted dropout drawing its mask from the run's generator (torch's uses the global RNG):
    a unit is kept with ρ = 1 − p and scaled by 1/ρ (Kelleher's Algorithm 2 with the rescaling)."""

    def __init__(self, p: float, generator: torch.Generator) -> None:
        super().__init__()
        self.p = p
        self.generator = generator
        self.last_mask: Tensor | None = None  # the units kept in the last training step

    @property
    def stochastic(self) -> bool:
        return self.p > 0

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or self.p == 0:
            return x
        keep = torch.rand(x.shape, generator=self.generator, device=x.device, dtype=x.dtype)
        mask = keep >= self.p
        self.last_mask = mask
        return x * mask / (1 - self.p)


class ResidualAdd(nn.Module):
    """An add with stochastic depth (Huang et al. 2016): the first input is the identity skip, the
    sum of the others the residual branch. Training keeps the branch with probability
    `survival` for the whole batch (b ~ Bernoulli(survival), no rescaling); evaluation uses
    skip + survival · branch, the branch's expected contribution."""

    def __init__(self, survival: float, generator: torch.Generator) -> None:
        super().__init__()
        self.survival = survival
        self.generator = generator
        self.last_kept: bool | None = None  # whether the branch was kept in the last step

    @property
    def stochastic(self) -> bool:
        return self.survival < 1

    def forward(self, xs: list[Tensor]) -> Tensor:
        skip, branch = xs[0], xs[1]
        for other in xs[2:]:
            branch = branch + other
        if not self.training:
            return skip + self.survival * branch
        draw = torch.rand((), generator=self.generator, device=skip.device, dtype=skip.dtype)
        kept = bool(draw < self.survival)  # one host sync per step: the choice is made here
        self.last_kept = kept
        # A dropped branch stays in the graph times 0: its layers get zero gradients (and their
        # probes a δ) rather than none.
        return skip + branch if kept else skip + 0 * branch


def batchnorm_module(
    node: BatchNormNode, in_shape: tuple[int, ...], dtype: torch.dtype
) -> nn.Module:
    """torch's BatchNorm1d/2d with the node's ε, momentum and explicit γ, β (ones, zeros unless
    given). Training normalises with the batch's biased variance; evaluation uses the running
    mean and (unbiased) variance."""
    cls = nn.BatchNorm1d if len(in_shape) == 1 else nn.BatchNorm2d
    bn = cls(in_shape[0], eps=node.eps, momentum=node.momentum, dtype=dtype)
    with torch.no_grad():
        if node.gamma is not None:
            bn.weight.copy_(torch.tensor(node.gamma, dtype=dtype))
        if node.beta is not None:
            bn.bias.copy_(torch.tensor(node.beta, dtype=dtype))
    return bn


@dataclass
class LayerCapture:
    """What one layer saw during one forward/backward pass."""

    x: Tensor
    z: Tensor
    a: Tensor
    delta: Tensor | None = None


# nodes without weights whose values a capture keeps (the live views show what they do)
CAPTURED_NODE_KINDS = ("batchnorm", "dropout", "add", "activation")


@dataclass
class NodeCapture:
    """What one batchnorm, dropout, add or activation node saw during one pass: its inputs, its
    output y, δ at y and the δ it sent back into each input (through this node alone)."""

    inputs: list[Tensor]
    y: Tensor
    delta: Tensor | None = None
    input_deltas: list[Tensor | None] = field(default_factory=list)


@dataclass
class Capture:
    """Per-layer tensors of one pass; δ arrives when backward runs through z."""

    layers: dict[str, LayerCapture] = field(default_factory=dict)
    recurrent: dict[str, RecurrentCapture] = field(default_factory=dict)
    nodes: dict[str, NodeCapture] = field(default_factory=dict)
    outputs: dict[str, Tensor] = field(default_factory=dict)  # every node's output
    keep_outputs: bool = False

    def hook(self, layer_id: str) -> object:
        def store(grad: Tensor) -> None:
            self.layers[layer_id].delta = grad.detach()

        return store

    def node_hook(self, node_id: str, slot: int | None) -> object:
        """Stores δ at a node's output (slot None) or the δ it sends into input `slot`."""

        def store(grad: Tensor) -> None:
            node = self.nodes[node_id]
            if slot is None:
                node.delta = grad.detach()
            else:
                node.input_deltas[slot] = grad.detach()

        return store


class GraphModel(nn.Module):
    """Runs the nodes of a network in topological order."""

    def __init__(
        self,
        network: NetworkSpec,
        generator: torch.Generator,
        dtype: torch.dtype,
        device_generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        self.info: GraphInfo = infer_shapes(network)
        self.nodes = {n.id: n for n in network.nodes}
        self.order = [nid for nid in self.info.order if self.nodes[nid].kind != "input"]
        self.input_id = self.info.input_id
        self.output_id = self.info.output_node
        self.inputs_of = self.info.inputs_of
        self.blocks = nn.ModuleDict()
        for nid in self.order:
            node = self.nodes[nid]
            in_shape = self.info.shapes[self.inputs_of[nid][0]]
            if isinstance(node, (DenseNode, Conv2dNode)):
                self.blocks[nid] = Layer(node, in_shape, generator, dtype)
            elif isinstance(node, BatchNormNode):
                self.blocks[nid] = batchnorm_module(node, in_shape, dtype)
            elif isinstance(node, DropoutNode):
                self.blocks[nid] = Dropout(node.p, device_generator or generator)
            elif isinstance(node, ActivationNode):
                self.blocks[nid] = ActivationModule(get_activation(node.activation), dtype)
            elif isinstance(node, AddNode) and node.survival_probability < 1:
                self.blocks[nid] = ResidualAdd(
                    node.survival_probability, device_generator or generator
                )
            elif node.kind in RECURRENT_KINDS:
                self.blocks[nid] = RecurrentLayer(node, in_shape, generator, dtype)  # type: ignore[arg-type]
        self.layers: list[Layer] = [m for m in self.blocks.values() if isinstance(m, Layer)]
        self.recurrent: list[RecurrentLayer] = [
            m for m in self.blocks.values() if isinstance(m, RecurrentLayer)
        ]
        # truncated BPTT (training.bptt.truncate): the trainer sets it; None = the whole sequence
        self.truncate: int | None = None
        # initial (h, c) per recurrent layer id; zeros when absent (the trace can give them)
        self.initial_state: dict[str, tuple[Tensor, Tensor | None]] = {}
        # Each node with its inputs and module, looked up once rather than on every forward.
        self._plan = [(nid, self.inputs_of[nid], self.block(nid)) for nid in self.order]
        # Only dropout, DropConnect, stochastic depth and batchnorm behave differently in
        # evaluation mode; without them, mode switches (a walk over every module, ~20 µs each
        # way) are skipped.
        self.mode_dependent = bool(self.stochastic_modules()) or any(
            isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)) for m in self.modules()
        )

    @property
    def output_layer(self) -> Layer | None:
        """The output node's layer, if it is one (a property: as an attribute, nn.Module would
        register it a second time and every export would hold its parameters twice)."""
        output = self.block(self.output_id)
        return output if isinstance(output, Layer) else None

    def block(self, nid: str | None) -> nn.Module | None:
        """The module of a node, or None for nodes without one (pooling, flatten, add, concat)."""
        return self.blocks[nid] if nid is not None and nid in self.blocks else None

    @contextmanager
    def eval_mode(self) -> Iterator[None]:
        """Evaluation mode (dropout off, batchnorm on its running statistics) for the duration,
        then the previous mode again."""
        if not self.mode_dependent:
            yield
            return
        was_training = self.training
        self.eval()
        try:
            yield
        finally:
            self.train(was_training)

    def stochastic_modules(self) -> list[Dropout | Layer | ResidualAdd]:
        """The modules that draw a random mask in a training step: dropout, DropConnect layers
        and stochastic-depth adds."""
        return [
            m
            for m in self.blocks.values()
            if isinstance(m, (Dropout, Layer, ResidualAdd)) and m.stochastic
        ]

    def set_dropout_generator(self, generator: torch.Generator) -> None:
        """Dropout, DropConnect and stochastic-depth masks must be drawn on the device the
        activations live on."""
        for m in self.blocks.values():
            if isinstance(m, (Dropout, ResidualAdd)) or (isinstance(m, Layer) and m.stochastic):
                m.generator = generator

    def _run_node(self, nid: str, xs: list[Tensor]) -> Tensor:
        node = self.nodes[nid]
        x = xs[0]
        kind = node.kind
        if kind in ("maxpool2d", "avgpool2d"):
            assert isinstance(node, PoolNode)
            k = pair(node.kernel)
            s = pair(node.stride) if node.stride is not None else k
            p = pair(node.padding, 0)
            if kind == "maxpool2d":
                return F.max_pool2d(x, k, s, p)
            return F.avg_pool2d(x, k, s, p)
        if kind == "flatten":
            return x.flatten(1)
        if kind == "add":
            if nid in self.blocks:
                summed: Tensor = self.blocks[nid](xs)  # a ResidualAdd (its projection)
                return summed
            total = xs[0]
            for other in xs[1:]:
                total = total + other
            return total
        if kind == "concat":
            return torch.cat(xs, dim=1)
        y: Tensor = self.blocks[nid](x)  # batchnorm, dropout or an activation module
        return y

    def forward_zy(self, x: Tensor, capture: Capture | None = None) -> tuple[Tensor, Tensor]:
        """(z, a) of the output layer for a batch x; fills `capture` when given. When the output
        is an activation node, z is its input (the logits a softmax or sigmoid reads)."""
        values, z_out = self._forward(x, capture, None)
        y = values[self.output_id]
        if z_out is None and isinstance(self.nodes[self.output_id], ActivationNode):
            z_out = values[self.inputs_of[self.output_id][0]]
        return (z_out if z_out is not None else y), y

    def forward_logits(self, x: Tensor) -> Tensor:
        """The output's z alone: an output layer's softmax or sigmoid is not applied. What an
        uncaptured training step needs when its loss reads logits (cross-entropy, BCE)."""
        values, z_out = self._forward(x, None, None, activate_output=False)
        if z_out is None and isinstance(self.nodes[self.output_id], ActivationNode):
            z_out = values[self.inputs_of[self.output_id][0]]
        return z_out if z_out is not None else values[self.output_id]

    def forward_until(self, x: Tensor, capture: Capture, last: str) -> None:
        """Run the nodes up to and including `last` only, filling `capture` (the feature maps
        need nothing after the last conv or pooling node)."""
        self._forward(x, capture, last)

    def _forward(
        self,
        x: Tensor,
        capture: Capture | None,
        last: str | None,
        activate_output: bool = True,
    ) -> tuple[dict[str, Tensor], Tensor | None]:
        values: dict[str, Tensor] = {self.input_id: x} if self.input_id else {}
        z_out: Tensor | None = None
        bare = None if activate_output else self.output_id  # the layer whose φ is skipped
        for nid, inputs, block in self._plan:
            xs = [values[p] for p in inputs]
            if isinstance(block, Layer):
                z = block.pre_activation(xs[0])
                a = z if nid == bare else block.phi(z)
                if capture is not None:
                    capture.layers[nid] = LayerCapture(x=xs[0].detach(), z=z.detach(), a=a.detach())
                    if z.requires_grad:
                        z.register_hook(capture.hook(nid))
                if nid == self.output_id:
                    z_out = z
                values[nid] = a
            elif isinstance(block, RecurrentLayer):
                values[nid] = block(
                    xs[0],
                    self.initial_state.get(nid),
                    self.truncate,
                    capture.recurrent if capture is not None else None,
                )
            elif capture is not None and self.nodes[nid].kind in CAPTURED_NODE_KINDS:
                values[nid] = self._run_captured(nid, xs, capture)
            else:
                values[nid] = self._run_node(nid, xs)
            if capture is not None and capture.keep_outputs:
                capture.outputs[nid] = values[nid].detach()
            if nid == last:
                break
        return values, z_out

    def _run_captured(self, nid: str, xs: list[Tensor], capture: Capture) -> Tensor:
        """Run a node without weights and keep its tensors. Each input enters through a view of
        its own, so the hook on that view sees the δ this node sends into the input alone (the
        input's own gradient also sums what its other readers send, e.g. a residual skip)."""
        seen = [x.view_as(x) for x in xs]
        y = self._run_node(nid, seen)
        node = NodeCapture(
            inputs=[x.detach() for x in xs], y=y.detach(), input_deltas=[None] * len(xs)
        )
        capture.nodes[nid] = node
        if y.requires_grad:
            y.register_hook(capture.node_hook(nid, None))
        for slot, v in enumerate(seen):
            if v.requires_grad:
                v.register_hook(capture.node_hook(nid, slot))
        return y

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_zy(x)[1]

    def weight_parameters(self) -> list[Tensor]:
        """Weights that L1/L2 penalise: W of every layer (every gate of a recurrent layer), never
        biases or norm parameters."""
        return [layer.weight for layer in self.layers] + [
            w for layer in self.recurrent for w in layer.gate_weights()
        ]
