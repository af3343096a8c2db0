export * from "./cluster";
export * from "./tags";
export * from "./validation";
export * from "./helm";
export * from "./nodepools";
export * from "./vault";
export * from "./observability";
export * from "./custom-resource";
