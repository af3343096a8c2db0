// The cloud-neutral public API (the AWS and GCP parts are ./aws and ./gcp): what a team's stack
// program composes. Everything else under components/ is internal and may change in any release.

// Clusters, as the cloud-neutral components take them.
export type { ClusterConnection, KubernetesCluster } from "./cluster/kubernetes-cluster";
export type { SystemPoolArgs } from "./cluster/system-pool";

// Cost tags and labels, and the problems a component's validation reports.
export type { CostTags } from "./tags";
export { awsTags, gcpLabels } from "./tags";
export type { Problem, Problems } from "./validation";

// Node pools and their schedule, and the cost report.
export type { SpotPoolArgs, Taint, TaintEffect } from "./nodepools/spot-pool-args";
export type { CronWindow, DaysAndHours, ScheduleArgs } from "./nodepools/schedule";
export type { ScalableKind, ScheduledWorkload } from "./nodepools/scaled-object";
export type { WorkloadScheduleArgs } from "./nodepools/workload-schedule";
export { WorkloadSchedule } from "./nodepools/workload-schedule";
export type { CostLine, CostOptions, CostReport, PoolCost, PoolCostInput } from "./nodepools/cost";
export { costReport } from "./nodepools/cost";

// Secrets from Vault.
export type { SecretCapability, VaultAppSpec, VaultSecretRef, WorkloadKind } from "./vault/app-spec";
export { withPodAnnotations } from "./vault/annotations";
export type { VaultSecretsArgs } from "./vault/vault-secrets";
export { VaultSecrets } from "./vault/vault-secrets";

// Metrics, logs and traces.
export type { GrafanaAdminSecret } from "./observability/chart-values";
export type { AppTracing, TracingLanguage } from "./observability/instrumentation";
export type { ObservabilityStackArgs } from "./observability/observability-stack";
export { ObservabilityStack } from "./observability/observability-stack";
export type { ScrapeTarget } from "./observability/service-monitor";
export type { ObservabilitySizing } from "./observability/sizing";
export type { SloSpec } from "./observability/slo";
export type { EksStorageCluster, GkeStorageCluster, StorageCluster } from "./observability/telemetry-buckets";

// Delivery: GitOps, canaries, preview environments, the health endpoint.
export type { CanaryAnalysis, CanarySpec, CanaryStep } from "./delivery/canary-spec";
export type { GatewayDns } from "./delivery/gateway-record";
export type { GitSource, SsoConfig } from "./delivery/gitops-spec";
export type { GitOpsArgs } from "./delivery/gitops";
export { GitOps } from "./delivery/gitops";
export type { HealthEndpointArgs } from "./delivery/health-endpoint";
export { HealthEndpoint } from "./delivery/health-endpoint";
export type { PrEnvironmentsArgs } from "./delivery/pr-environments";
export { PrEnvironments } from "./delivery/pr-environments";
export type { ProgressiveDeliveryArgs } from "./delivery/progressive-delivery";
export { ProgressiveDelivery } from "./delivery/progressive-delivery";

// The platform's infrastructure GitOps: the Pulumi Kubernetes Operator reconciling the fleet's stacks.
export type { FleetSource, FleetStack } from "./gitops/fleet-spec";
export type { InfraGitOpsArgs } from "./gitops/infra-gitops";
export { InfraGitOps } from "./gitops/infra-gitops";

// Regional failover (the components are per cloud).
export type { FailoverArgs, FailoverRegion } from "./failover/failover-args";
