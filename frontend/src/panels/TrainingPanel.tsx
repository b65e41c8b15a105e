/** Loss, optimiser, learning-rate schedule, batches, epochs and stop rules, regularisation, numerics. */
import { useShallow } from "zustand/react/shallow";
import type { OptionSpec } from "../catalog/types";
import type { EarlyStoppingSpec, OptimizerSpec, ScheduleSpec, StopSpec, TrainingSpec } from "../spec/types";
import { useCatalogStore, useSpecStore, useStores } from "../store/context";
import { Field, NumberInput, ParamInput, ProblemList, Select, Toggle } from "./forms";
import { SchedulePlot } from "./SchedulePlot";

function labels(options: readonly OptionSpec[]): Record<string, string> {
  return Object.fromEntries(options.map((o) => [o.name, o.title]));
}

const PENALTIES = [
  { key: "l1", label: "L1", hint: "adds λ·Σ|w| (weights, not biases)" },
  { key: "l2", label: "L2", hint: "adds λ·Σw² (gradient 2λw)" },
] as const;

const CLIPS = [
  { key: "value", label: "clip each gradient to ±" },
  { key: "norm", label: "clip gradient norm ‖g‖₂ to" },
] as const;

function problemAt(
  problems: readonly { pointer: string; message: string }[],
  path: string,
): string | undefined {
  return problems.find((p) => p.pointer === path || p.pointer.startsWith(path + "/"))?.message;
}

/** A catalogue choice (optimiser, schedule) and a field for each parameter of the chosen option. */
function OptionFields<S extends { kind?: string | null }>({
  label,
  options,
  spec,
  kind,
  pointer,
  undoKey,
  paramLabel = (name) => name,
  problems,
  onChange,
}: {
  label: string;
  options: readonly OptionSpec[];
  spec: S;
  /** the chosen option: `spec.kind`, or the default the server applies when it is absent */
  kind: string;
  /** where the spec sits in the run spec, for the parameters' problems */
  pointer: string;
  /** prefix of the undo key, so that typing into one parameter is one undo step */
  undoKey: string;
  paramLabel?: (name: string) => string;
  problems: readonly { pointer: string; message: string }[];
  onChange: (spec: S, key?: string) => void;
}) {
  const option = options.find((o) => o.name === kind);
  return (
    <>
      <Field label={label}>
        <Select
          ariaLabel={label}
          value={kind}
          options={options.map((o) => o.name)}
          labels={labels(options)}
          onChange={(next) => onChange({ ...spec, kind: next })}
        />
      </Field>
      {(option?.params ?? []).map((p) => (
        <Field
          key={p.name}
          label={paramLabel(p.name)}
          hint={p.description}
          error={problemAt(problems, `${pointer}/${p.name}`)}
        >
          <ParamInput
            param={p}
            value={(spec as Record<string, unknown>)[p.name]}
            onChange={(v) => onChange({ ...spec, [p.name]: v }, `${undoKey}:${p.name}`)}
          />
        </Field>
      ))}
    </>
  );
}

export function TrainingPanel() {
  const { specs } = useStores();
  const { training, seed, dtype, device, problems } = useSpecStore(
    useShallow((s) => ({
      training: s.rest.training,
      seed: s.rest.seed,
      dtype: s.rest.dtype,
      device: s.rest.device,
      problems: s.validation.mapped.byArea.training,
    })),
  );
  const { losses, optimizers, schedules } = useCatalogStore(
    useShallow((s) => ({
      losses: s.catalog.losses,
      optimizers: s.catalog.optimizers,
      schedules: s.catalog.schedules,
    })),
  );
  const set = (patch: Partial<TrainingSpec>, key?: string) => specs.getState().setTraining(patch, key);
  const optimizer: OptimizerSpec = training.optimizer ?? { kind: "sgd", lr: 0.03 };
  const schedule: ScheduleSpec = training.schedule ?? { kind: "constant" };
  const batch = training.batch_size ?? null;
  const mode = batch === null ? "full" : batch === 1 ? "stochastic" : "mini";
  const early = training.stop?.early_stopping ?? null;
  const setStop = (patch: Partial<StopSpec>) => set({ stop: { ...training.stop, ...patch } });
  const setEarly = (patch: Partial<EarlyStoppingSpec>) => setStop({ early_stopping: { ...early, ...patch } });
  const parallel = training.parallel ?? null;
  const lossDescription = losses.find((l) => l.name === training.loss)?.description;

  return (
    <div className="panel training-panel">
      <ProblemList problems={problems.filter((p) => !p.pointer.startsWith("/training/"))} />
      <h3>Loss</h3>
      <Field label="loss" hint={lossDescription} error={problemAt(problems, "/training/loss")}>
        <Select
          ariaLabel="loss"
          value={training.loss ?? "mse"}
          options={losses.map((l) => l.name)}
          labels={labels(losses)}
          onChange={(loss) => set({ loss: loss as TrainingSpec["loss"] })}
        />
      </Field>
      {lossDescription ? <p className="hint">{lossDescription}</p> : null}

      <h3>Optimiser</h3>
      <OptionFields
        label="optimiser"
        options={optimizers}
        spec={optimizer}
        kind={optimizer.kind ?? "sgd"}
        pointer="/training/optimizer"
        undoKey="opt"
        paramLabel={(name) => (name === "lr" ? "learning rate α" : name)}
        problems={problems}
        onChange={(next, key) => set({ optimizer: next }, key)}
      />

      <h3>Learning-rate schedule</h3>
      <OptionFields
        label="schedule"
        options={schedules}
        spec={schedule}
        kind={schedule.kind ?? "constant"}
        pointer="/training/schedule"
        undoKey="sched"
        problems={problems}
        onChange={(next, key) => set({ schedule: next }, key)}
      />
      <SchedulePlot schedule={schedule} lr={optimizer.lr ?? 0.03} epochs={training.epochs ?? 100} />

      <h3>Batches and epochs</h3>
      <div className="segmented" role="radiogroup" aria-label="batch mode">
        {(
          [
            ["full", "full batch", null],
            ["mini", "mini-batch", 10],
            ["stochastic", "stochastic (1)", 1],
          ] as const
        ).map(([m, label, size]) => (
          <button
            key={m}
            role="radio"
            aria-checked={mode === m}
            className={mode === m ? "active" : ""}
            onClick={() => set({ batch_size: size })}
          >
            {label}
          </button>
        ))}
      </div>
      {mode === "mini" ? (
        <Field label="batch size" error={problemAt(problems, "/training/batch_size")}>
          <NumberInput
            value={batch}
            integer
            min={1}
            max={100000}
            onChange={(v) => v !== null && set({ batch_size: v })}
            ariaLabel="batch size"
          />
        </Field>
      ) : null}
      <Field label="epochs" error={problemAt(problems, "/training/epochs")}>
        <NumberInput
          value={training.epochs ?? 100}
          integer
          min={1}
          max={100000}
          onChange={(v) => v !== null && set({ epochs: v })}
          ariaLabel="epochs"
        />
      </Field>
      <Field label="stop when loss below" hint="empty: never" error={problemAt(problems, "/training/stop")}>
        <NumberInput
          value={training.stop?.loss_below ?? null}
          nullable
          min={0}
          onChange={(v) => setStop({ loss_below: v })}
          ariaLabel="stop when loss below"
        />
      </Field>
      <Toggle
        label="early stopping"
        checked={early !== null}
        title="Stop when the monitored loss has not improved for `patience` epochs"
        onChange={(on) =>
          setStop({
            early_stopping: on
              ? { patience: 10, min_delta: 0, monitor: "val_loss", restore_best: true }
              : null,
          })
        }
      />
      {early ? (
        <div className="option-params">
          <Field label="patience (epochs)">
            <NumberInput
              value={early.patience ?? 10}
              integer
              min={1}
              onChange={(v) => v !== null && setEarly({ patience: v })}
              ariaLabel="patience"
            />
          </Field>
          <Field label="min improvement">
            <NumberInput
              value={early.min_delta ?? 0}
              min={0}
              onChange={(v) => setEarly({ min_delta: v ?? 0 })}
              ariaLabel="min improvement"
            />
          </Field>
          <Field label="monitor">
            <Select
              ariaLabel="monitor"
              value={early.monitor ?? "val_loss"}
              options={["val_loss", "loss"] as const}
              onChange={(monitor) => setEarly({ monitor })}
            />
          </Field>
          <Toggle
            label="restore best weights"
            checked={early.restore_best ?? true}
            onChange={(restore_best) => setEarly({ restore_best })}
          />
        </div>
      ) : null}

      <h3>Data parallel</h3>
      <Field
        label="workers k"
        hint="empty: one worker takes the whole batch; k: each batch is split into k shards whose gradients are all-reduced"
        error={problemAt(problems, "/training/parallel/workers")}
      >
        <NumberInput
          value={parallel?.workers ?? null}
          nullable
          integer
          min={1}
          max={8}
          onChange={(v) =>
            set({
              parallel:
                v === null
                  ? null
                  : { workers: v, mode: parallel?.mode ?? "sync", staleness: parallel?.staleness ?? 0 },
            })
          }
          ariaLabel="workers"
        />
      </Field>
      {parallel ? (
        <>
          <Field
            label="updates"
            hint="sync: every update uses gradients of the current weights; async: of the weights s steps ago"
            error={problemAt(problems, "/training/parallel/mode")}
          >
            <Select
              ariaLabel="parallel mode"
              value={parallel.mode ?? "sync"}
              options={["sync", "async"] as const}
              onChange={(mode) =>
                set({
                  parallel: {
                    ...parallel,
                    mode,
                    staleness: mode === "sync" ? 0 : Math.max(parallel.staleness ?? 0, 1),
                  },
                })
              }
            />
          </Field>
          {parallel.mode === "async" ? (
            <Field
              label="staleness s"
              hint="how many updates old the weights are that the gradients were computed on"
              error={problemAt(problems, "/training/parallel/staleness")}
            >
              <NumberInput
                value={parallel.staleness ?? 0}
                integer
                min={0}
                max={16}
                onChange={(v) => set({ parallel: { ...parallel, staleness: v ?? 0 } })}
                ariaLabel="staleness"
              />
            </Field>
          ) : null}
        </>
      ) : null}

      <h3>Regularisation and clipping</h3>
      {PENALTIES.map(({ key, label, hint }) => (
        <Field key={key} label={`${label} λ`} hint={hint}>
          <NumberInput
            value={training.regularization?.[key] ?? 0}
            min={0}
            max={10}
            onChange={(v) => set({ regularization: { ...training.regularization, [key]: v ?? 0 } })}
            ariaLabel={label}
          />
        </Field>
      ))}
      {CLIPS.map(({ key, label }) => (
        <Field key={key} label={label} hint="empty: off">
          <NumberInput
            value={training.clip?.[key] ?? null}
            nullable
            min={0}
            onChange={(v) => set({ clip: { ...training.clip, [key]: v } })}
            ariaLabel={`clip ${key}`}
          />
        </Field>
      ))}

      <h3>Numerics</h3>
      <Field label="seed" hint="same seed, same initial weights and data">
        <NumberInput
          value={seed}
          integer
          min={0}
          onChange={(v) => v !== null && specs.getState().setRest({ seed: v })}
          ariaLabel="seed"
        />
      </Field>
      <Field label="dtype" hint="float64 reproduces textbook numbers to the last digit">
        <Select
          ariaLabel="dtype"
          value={dtype}
          options={["float32", "float64"] as const}
          onChange={(d) => specs.getState().setRest({ dtype: d })}
        />
      </Field>
      <Field label="device">
        <Select
          ariaLabel="device"
          value={device}
          options={["auto", "cpu", "cuda"] as const}
          onChange={(d) => specs.getState().setRest({ device: d })}
        />
      </Field>
      <Field
        label="trainer"
        hint="gradient: backprop; perceptron: the perceptron rule for one threshold layer; forward only: no updates"
        error={problemAt(problems, "/training/trainer")}
      >
        <Select
          ariaLabel="trainer"
          value={training.trainer ?? "gradient"}
          options={["gradient", "perceptron", "forward_only"] as const}
          onChange={(trainer) => set({ trainer })}
        />
      </Field>
    </div>
  );
}
