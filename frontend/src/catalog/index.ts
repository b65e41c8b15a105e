export * from "./types";
export * from "./builtin";
export * from "./normalize";
