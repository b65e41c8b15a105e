import { describe, expect, it } from "vitest";
import { gradRows } from "./table";

describe("gradient table rows", () => {
  it("relates δ to the output layer and derives ‖∂L/∂W‖ from its RMS when the norm is missing", () => {
    const rows = gradRows({
      layers: [
        {
          id: "h1",
          activation: "relu",
          n_in: 4,
          n_out: 25,
          delta: { stats: { rms: 1e-4 } },
          grad_W: { stats: { rms: 0.01 } },
          z: { stats: { frac_dead: 0.3 } },
          update_ratio: 1e-5,
        },
        {
          id: "y",
          activation: "sigmoid",
          delta_rms: 0.1,
          grad_W_norm: 2,
          var_z_predicted: 1,
          var_z_measured: 1.2,
        },
      ],
    });
    expect(rows[0].deltaRatio).toBeCloseTo(1e-3, 12);
    expect(rows[0].gradWNorm).toBeCloseTo(0.1, 12); // 0.01·√100
    expect(rows[0].dead).toBe(0.3);
    expect(rows[0].updateOff).toBeCloseTo(2, 12);
    expect(rows[1].gradWNorm).toBe(2);
    expect(rows[1].deltaRatio).toBe(1);
    expect(rows[1].varZMeasured).toBe(1.2);
  });
});
