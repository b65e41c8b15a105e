export * from "./types";
export * from "./compile";
export * from "./layout";
export * from "./problems";
