// Trains one network with one peer library for a few seconds and prints {examples_per_s, ...} as JSON.
//   node peers.mjs '{"library": "convnetjs"|"tfjs", "net": "mnist_demo"|"playground", "batch": 20,
//                    "seconds": 3, "data": "/tmp/x.f32", "labels": "/tmp/y.f32", "n": 1000,
//                    "shape": [1, 28, 28], "classes": 10}'
// The data files are little-endian float32: inputs row-major [n, ...shape]; labels one value per
// example (a class index, or the regression target).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cfg = JSON.parse(process.argv[2]);
const floats = (path) => {
  const buf = readFileSync(path);
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
};
const X = floats(cfg.data);
const Y = floats(cfg.labels);
const size = cfg.shape.reduce((a, b) => a * b, 1);
const [C, H, W] = cfg.shape.length === 3 ? cfg.shape : [cfg.shape[0], 1, 1];

// ConvNetJS's MNIST demo (conv 8@5×5 relu, pool 2, conv 16@5×5 relu, pool 3, softmax 10) and
// TensorFlow Playground's largest network (six tanh layers of 8 on 7 features, one output).
function convnetjsNet(convnetjs) {
  const layers = [{ type: "input", out_sx: W, out_sy: H, out_depth: C }];
  if (cfg.net === "mnist_demo") {
    layers.push({ type: "conv", sx: 5, filters: 8, stride: 1, pad: 2, activation: "relu" });
    layers.push({ type: "pool", sx: 2, stride: 2 });
    layers.push({ type: "conv", sx: 5, filters: 16, stride: 1, pad: 2, activation: "relu" });
    layers.push({ type: "pool", sx: 3, stride: 3 });
    layers.push({ type: "softmax", num_classes: cfg.classes });
  } else {
    for (let i = 0; i < 6; i++) layers.push({ type: "fc", num_neurons: 8, activation: "tanh" });
    layers.push({ type: "regression", num_neurons: 1 });
  }
  const net = new convnetjs.Net();
  net.makeLayers(layers);
  return net;
}

// Examples per wall-clock second, and per CPU second of this process (steadier on a busy machine).
function rates(examples, t0, cpu0) {
  const cpu = process.cpuUsage(cpu0);
  return {
    examples_per_s: examples / ((performance.now() - t0) / 1000),
    examples_per_cpu_s: examples / ((cpu.user + cpu.system) / 1e6),
  };
}

function runConvnetjs() {
  const convnetjs = require("convnetjs");
  const net = convnetjsNet(convnetjs);
  const trainer = new convnetjs.Trainer(net, {
    method: "sgd",
    learning_rate: 0.01,
    momentum: 0.9,
    batch_size: cfg.batch,
    l2_decay: 0,
  });
  // ConvNetJS keeps volumes as [x, y, depth] with depth fastest; the data is [C, H, W].
  const vols = [];
  for (let i = 0; i < cfg.n; i++) {
    const v = new convnetjs.Vol(W, H, C, 0.0);
    for (let c = 0; c < C; c++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) v.set(x, y, c, X[i * size + (c * H + y) * W + x]);
    vols.push(v);
  }
  const target = (i) => (cfg.net === "mnist_demo" ? Y[i] : [Y[i]]);
  let i = 0;
  const trainOne = () => {
    trainer.train(vols[i], target(i));
    i = (i + 1) % cfg.n;
  };
  for (let k = 0; k < 5 * cfg.batch; k++) trainOne(); // warm-up
  let examples = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - t0 < cfg.seconds * 1000) {
    for (let k = 0; k < cfg.batch; k++) trainOne();
    examples += cfg.batch;
  }
  return rates(examples, t0, cpu0);
}

async function runTfjs() {
  const tf = require("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  const model = tf.sequential();
  if (cfg.net === "mnist_demo") {
    const conv = (filters, inputShape) =>
      tf.layers.conv2d({ filters, kernelSize: 5, padding: "same", activation: "relu", ...inputShape });
    model.add(conv(8, { inputShape: [H, W, C] }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    model.add(conv(16, {}));
    model.add(tf.layers.maxPooling2d({ poolSize: 3, strides: 3 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: cfg.classes, activation: "softmax" }));
    model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: "sparseCategoricalCrossentropy" });
  } else {
    model.add(tf.layers.dense({ units: 8, activation: "tanh", inputShape: [size] }));
    for (let k = 0; k < 5; k++) model.add(tf.layers.dense({ units: 8, activation: "tanh" }));
    model.add(tf.layers.dense({ units: 1 }));
    model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: "meanSquaredError" });
  }
  // channels-last for tfjs: [n, H, W, C]
  const xs =
    cfg.net === "mnist_demo"
      ? tf.tensor4d(X, [cfg.n, C, H, W]).transpose([0, 2, 3, 1])
      : tf.tensor2d(X, [cfg.n, size]);
  const ys = tf.tensor2d(Y, [cfg.n, 1]);
  const batches = Math.floor(cfg.n / cfg.batch);
  const batchAt = (b) => [xs.slice(b * cfg.batch, cfg.batch), ys.slice(b * cfg.batch, cfg.batch)];
  const slices = Array.from({ length: batches }, (_, b) => batchAt(b));
  let b = 0;
  const trainOne = async () => {
    await model.trainOnBatch(slices[b][0], slices[b][1]);
    b = (b + 1) % batches;
  };
  for (let k = 0; k < 5; k++) await trainOne(); // warm-up
  let examples = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - t0 < cfg.seconds * 1000) {
    await trainOne();
    examples += cfg.batch;
  }
  return { ...rates(examples, t0, cpu0), backend: tf.getBackend() };
}

const result = cfg.library === "convnetjs" ? runConvnetjs() : await runTfjs();
process.stdout.write(JSON.stringify(result) + "\n");
