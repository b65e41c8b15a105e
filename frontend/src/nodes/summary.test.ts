import { describe, expect, it } from "vitest";
import { detailText, sizeText } from "./summary";

describe("node card text", () => {
  it("an activation node shows its φ", () => {
    expect(detailText({ id: "phi1", kind: "activation", activation: "leaky_relu" })).toBe("φ = leaky relu");
  });

  it("a dropout given by Kelleher's ρ shows ρ and the p it means", () => {
    expect(sizeText({ id: "d", kind: "dropout", keep_probability: 0.8 })).toBe("ρ = 0.8 (p = 0.2)");
    expect(sizeText({ id: "d", kind: "dropout", drop_probability: 0.25 })).toBe("p = 0.25");
  });

  it("a dense layer flags DropConnect and an add its stochastic depth", () => {
    expect(detailText({ id: "h", kind: "dense", units: 2, activation: "tanh", drop_connect: 0.5 })).toBe(
      "tanh · DropConnect 0.5",
    );
    expect(sizeText({ id: "r", kind: "add", survival_probability: 0.8 })).toBe("branch survives 0.8");
  });
});
