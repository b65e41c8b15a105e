import { describe, expect, it } from "vitest";
import { agreesWithSlide, vectorWalk } from "./lstmWalks";

const close = (a: number[] | number[][], b: number[] | number[][], tol = 1e-9) => {
  const x = a.flat();
  const y = b.flat();
  expect(x).toHaveLength(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThanOrEqual(tol));
};

describe("the lecture's LSTM worked examples", () => {
  it("forget gate: f = [0.997527377, 0.002472623, 0.5] (eqs. 114–115)", () => {
    const walk = vectorWalk("lstm-forget-gate")!;
    const [z, f, kept] = walk.steps;
    expect(z!.value).toEqual([6, -6, 0]);
    close(f!.value, [0.997527377, 0.002472623, 0.5]);
    close(kept!.value, [0.997527377, 0.002472623, 0.5]);
    expect(walk.steps.every((s) => agreesWithSlide(s.value, s.printed))).toBe(true);
  });

  it("backward step: δ_f and ΔW^(f) as the slides print them (eqs. 138–144)", () => {
    const walk = vectorWalk("lstm-backward-step")!;
    const byEq = (start: string) => walk.steps.find((s) => s.equation.startsWith(start))!.value;
    close(byEq("∂E/∂o_t"), [0.9, 0.85]);
    close(byEq("∂E/∂c_t"), [0.867455753, 0.941532531]);
    close(byEq("δ_f"), [0.064732317, 0.141057014]);
    close(byEq("ΔW^(f)"), [
      [0.064732317, 0.006473232, 0.051785854, 0.058259085],
      [0.141057014, 0.014105701, 0.112845611, 0.126951313],
    ]);
    // with o†₂ corrected, every step agrees with the slide to its printed digits
    for (const s of walk.steps) expect(agreesWithSlide(s.value, s.printed), s.equation).toBe(true);
  });

  it("flags the slide's o†₂ as an erratum", () => {
    const oDagger = vectorWalk("lstm-backward-step")!.given.find((g) => g.name.startsWith("o†"))!;
    expect(oDagger.value).toEqual([0.575420058, 0.520987661]);
    expect(agreesWithSlide(oDagger.value, oDagger.printed)).toBe(false);
    expect(oDagger.erratum).toContain("0.520987661");
  });
});
