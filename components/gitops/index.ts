export * from "./charts";
export * from "./fleet-application";
export * from "./fleet-spec";
export * from "./infra-gitops";
export * from "./stack-manifest";
export * from "./pr-stacks";
