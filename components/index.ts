export * from "./cluster";
export * from "./tags";
export * from "./validation";
