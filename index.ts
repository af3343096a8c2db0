/** paved-road: Pulumi components for the platform's paved road. */
export * from "./components";
export { loadStackConfig, StackConfig, StackConfigError } from "./stacks/config";
