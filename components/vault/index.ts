export * from "./annotations";
export * from "./app-spec";
export * from "./operator-resources";
export * from "./policy";
export * from "./vault-secrets";
export * from "./vault-values";
