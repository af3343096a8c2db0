// What every entry point exports: the cloud-neutral components, and the platform's wiring of Vault
// that ObservabilityStack's `grafanaAdmin` comes from.
export * from "./components";
export { GRAFANA_ADMIN, OBSERVABILITY_NAMESPACE, platformVaultApps } from "./stacks/platform-apps";
