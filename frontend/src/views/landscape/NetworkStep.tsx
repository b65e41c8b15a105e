/**
 * One step of the network being edited, by its own optimiser (POST /trace/spec with use_optimizer):
 * every weight before, its gradient, the optimiser's state (v, m, v, m̂, v̂ …) and the weight after.
 */
import { useState } from "react";
import type * as trace from "../../generated";
import { ApiError } from "../../net/api";
import { useStores } from "../../store/context";
import { layerRows, MAX_ROWS_PER_LAYER, STATE_COLUMNS, type TraceLayer } from "./networkStep";
import { exact } from "./race";
import { LabError } from "./LabError";

function LayerTable({ layer }: { layer: TraceLayer }) {
  const rows = layerRows(layer);
  const columns = STATE_COLUMNS.filter(([key]) => rows.some((r) => key in r.state));
  return (
    <table className="lab-numbers lab-step-table" data-testid={`lab-step-${layer.id}`}>
      <caption>
        layer {layer.id} ({layer.activation})
      </caption>
      <thead>
        <tr>
          <th />
          <th>before</th>
          <th>g = ∂E/∂·</th>
          {columns.map(([key, label]) => (
            <th key={key}>{label}</th>
          ))}
          <th>after</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <th>{r.name}</th>
            <td>{r.before}</td>
            <td>{r.grad}</td>
            {columns.map(([key]) => (
              <td key={key}>{r.state[key]}</td>
            ))}
            <td>{r.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function NetworkStep() {
  const { api, specs } = useStores();
  const [result, setResult] = useState<trace.TraceResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    setError(null);
    api
      .request<trace.TraceResponse>("POST", "/trace/spec", {
        spec: specs.getState().spec(),
        use_optimizer: true,
      })
      .then(setResult)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  };
  const weighted = result?.layers.filter((l) => l.kind === "dense" || l.kind === "conv2d") ?? [];
  return (
    <section className="lab-network-step" data-testid="lab-network-step">
      <h4>
        Your network, one step of its own optimiser{" "}
        <button type="button" onClick={run}>
          Trace one step
        </button>
      </h4>
      <LabError error={error} />
      {result ? (
        <>
          <p className="lab-formula">
            {result.step_optimizer?.kind} at α = {result.step_optimizer?.lr} on {result.loss_function}: E ={" "}
            {exact(result.loss)} → {exact(result.loss_after)} (the first {MAX_ROWS_PER_LAYER} parameters of
            each layer)
          </p>
          <div className="lab-step-tables">
            {weighted.map((l) => (
              <LayerTable key={l.id} layer={l} />
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}
