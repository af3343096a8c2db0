import type { NodeGroup } from "@pulumi/aws/eks";
import type { Region as AwsRegion } from "@pulumi/aws/types/enums";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Provider as VaultProvider } from "@pulumi/vault/provider";
import { GitOps } from "../components/delivery/gitops";
import { GatewayDns, gatewayRecord } from "../components/delivery/gateway-record";
import { HealthEndpoint, regionalHealthLabel } from "../components/delivery/health-endpoint";
import { PrEnvironments } from "../components/delivery/pr-environments";
import { ProgressiveDelivery } from "../components/delivery/progressive-delivery";
import { gatewayAddress } from "../components/delivery/gateway-address";
import { telemetryEndpoints } from "../components/observability/endpoints";
import { telemetryUrls } from "../components/observability/otel-operator-values";
import { awsComponents, awsSdk, gcpComponents, gcpSdk } from "../components/cloud-sdk";
import type { EksCluster } from "../components/cluster/eks-cluster";
import type { GkeCluster } from "../components/cluster/gke-cluster";
import { CLUSTER_AUTOSCALER_SCRAPE } from "../components/nodepools/cluster-autoscaler-values";
import { KEDA_SCRAPE } from "../components/nodepools/keda-values";
import { costReport } from "../components/nodepools/cost";
import { WorkloadSchedule } from "../components/nodepools/workload-schedule";
import { VaultSecrets } from "../components/vault/vault-secrets";
import { InfraGitOps } from "../components/gitops/infra-gitops";
import { fleetVaultApps, hostedFleet } from "./fleet";
import { ObservabilityStack } from "../components/observability/observability-stack";
import { StackConfig, clusterKeyOf, clusterNameOf, costInputs } from "./config";
import { ARGOCD_GITHUB_SECRET, ARGOCD_SSO_SECRET, GATEWAY_TLS_SECRET, GRAFANA_ADMIN, OBSERVABILITY_NAMESPACE, appNamespaces, platformVaultApps, scheduledWorkloads } from "./platform-apps";

/**
 * The regional role: one cluster per region, with everything that runs on it — spot pools, Vault,
 * observability, GitOps and progressive delivery — composed in this one place.
 */
export function regional(config: StackConfig, projectDir: string): Record<string, unknown> {
    const name = clusterNameOf(config.stack);
    const { tags } = config;
    let cluster: EksCluster | GkeCluster;
    let nodeGroups: NodeGroup[] = [];
    const cloudProviders: pulumi.ProviderResource[] = [];
    // Only the stack's own cloud is loaded: a team on one cloud has no SDK of the other.
    if (config.cloud === "aws") {
        const { EksCluster, EksSpotNodePool, ClusterAutoscaler } = awsComponents();
        // Explicit providers: the region comes from paved config, never from ambient settings.
        const provider = new (awsSdk().Provider)("aws", { region: config.region as AwsRegion });
        cloudProviders.push(provider);
        const eks = new EksCluster(name, config.cluster, { providers: [provider] });
        const pools = config.nodePools.map((pool) => new EksSpotNodePool(pool.name, { ...pool, cluster: eks }, { providers: [provider] }));
        nodeGroups = [eks.systemNodeGroup, ...pools.flatMap((p) => p.nodeGroups)];
        if (config.nodePools.length > 0) {
            new ClusterAutoscaler("cluster-autoscaler", { cluster: eks, pools: config.nodePools.map((p) => p.name), tags }, { providers: [provider] });
        }
        cluster = eks;
    } else {
        const { GkeCluster, GkeSpotNodePool } = gcpComponents();
        const provider = new (gcpSdk().Provider)("gcp", { project: config.gcpProject, region: config.region });
        cloudProviders.push(provider);
        const gke = new GkeCluster(name, config.cluster, { providers: [provider] });
        for (const pool of config.nodePools) new GkeSpotNodePool(pool.name, { ...pool, cluster: gke }, { providers: [provider] });
        cluster = gke;
    }
    const observability = config.observability && new ObservabilityStack("observability", {
        cluster,
        tags,
        production: config.production,
        sizing: config.observability.sizing,
        slos: config.observability.slos,
        traceSampling: config.observability.traceSampling,
        grafanaAdmin: GRAFANA_ADMIN,
        // The platform's own controllers, where this stack runs them.
        scrapeTargets: [
            ...(config.cloud === "aws" && config.nodePools.length > 0 ? [CLUSTER_AUTOSCALER_SCRAPE] : []),
            ...(config.schedule ? [KEDA_SCRAPE] : []),
        ],
    });
    const gitops = config.gitops && new GitOps("gitops", {
        cluster,
        source: config.gitops,
        production: config.production,
        sso: config.gitops.sso && { ...config.gitops.sso, clientSecretRef: ARGOCD_SSO_SECRET },
    });
    const delivery = config.gitops && new ProgressiveDelivery("delivery", {
        cluster,
        domain: config.domain,
        prometheusAddress: telemetryEndpoints(OBSERVABILITY_NAMESPACE).prometheusQuery,
        production: config.production,
        canaries: config.canaries,
        // HTTPS needs the certificate Vault syncs; a stack without Vault serves HTTP only.
        tlsSecretName: config.vault ? GATEWAY_TLS_SECRET : undefined,
    });
    const health = delivery && new HealthEndpoint("health", { cluster, domain: config.domain, region: config.region, scheme: delivery.scheme }, { dependsOn: [delivery] });
    // Records for the shared Gateway go into the domain's zone: Route 53 by name, Cloud DNS by managed zone.
    const dns: GatewayDns = config.cloud === "aws"
        ? { cloud: "aws" }
        : { cloud: "gcp", project: config.gcpProject, managedZone: config.prEnvironments?.managedZone ?? config.domain.replace(/\./g, "-") };
    if (delivery) {
        // This region's own health name: what ring gates and failover health checks probe.
        gatewayRecord("health-record", { label: regionalHealthLabel(config.region), domain: config.domain, gateway: delivery.gateway, dns }, { provider: cloudProviders[0] });
    }
    if (config.prEnvironments && delivery) {
        new PrEnvironments("pr-environments", {
            cluster,
            source: config.prEnvironments.source,
            github: { ...config.prEnvironments.github, tokenSecret: ARGOCD_GITHUB_SECRET },
            domain: config.domain,
            gateway: delivery.gateway,
            dns,
        }, { providers: cloudProviders });
    }
    // The management cluster: the operator, and the Application owning the Stack objects of every operator-owned stack.
    const fleet = config.fleet && hostedFleet(projectDir, config.fleet, config.stack);
    const infraGitOps = fleet && new InfraGitOps("fleet", { cluster, source: fleet.source, stacks: fleet.stacks, prStacks: fleet.prStacks?.github, production: config.production }, { dependsOn: gitops ? [gitops] : [] });
    // Namespaces of apps that no component creates (Vault apps such as payments): created here, before anything goes into them.
    const namespaces = appNamespaces(config).map((ns) => new k8s.core.v1.Namespace(`namespace-${ns}`, {
        metadata: { name: ns, labels: { "app.kubernetes.io/managed-by": "paved-road" } },
    }, { provider: cluster.provider }));
    if (config.vault) {
        // The address comes from config; the token from the caller's environment (VAULT_TOKEN or a CI login), never from here.
        const provider = new VaultProvider("vault", { address: config.vault.address });
        new VaultSecrets("vault", {
            cluster,
            clusterKey: clusterKeyOf(config),
            environment: config.environment,
            vaultAddress: config.vault.address,
            kv: config.vault.kv,
            apps: [...config.vault.apps, ...platformVaultApps(config), ...(fleet ? fleetVaultApps(fleet, config.environment) : [])],
        }, {
            providers: [provider],
            // The platform's Secrets go into namespaces those components create.
            dependsOn: [observability?.namespaceResource, gitops?.namespaceResource, delivery?.gatewayNamespace, infraGitOps?.namespaceResource, ...namespaces].filter((r) => r !== undefined),
        });
    }
    if (config.schedule) {
        new WorkloadSchedule("on-hours", {
            cluster,
            schedule: config.schedule,
            wake: config.wake,
            // Kind and API version from what the stack deploys: a canary app is a Rollout.
            workloads: scheduledWorkloads(config.scaleToZero, config.canaries),
            workloadsFrom: [...(delivery ? [delivery] : []), ...namespaces],
        });
    }
    return {
        cloud: config.cloud,
        region: config.region,
        environment: config.environment,
        clusterName: cluster.clusterName,
        // What the next `paved up` checks its version step against, and `paved plan` its node replacements.
        kubernetesVersion: config.cluster.kubernetesVersion,
        ...(cluster.cloud === "aws" ? { nodeReleaseVersion: cluster.nodeReleaseVersion, nodeGroups: pulumi.all(nodeGroups.map((g) => g.urn)).apply((urns) => urns.map((u) => u.split("::").pop())) } : {}),
        // The platform's firewalls as deployed: the scope `paved drift` checks for rules outside Git.
        firewalls: cluster.firewalls,
        endpoint: cluster.endpoint,
        kubeconfig: cluster.kubeconfig,
        costReport: costReport(config.environment, costInputs(config), config.cost),
        ...(health ? { healthEndpoint: health.url } : {}),
        // Where `paved trace` asks (in-cluster addresses: reach them through a port-forward, or pass --prometheus/--tempo/--grafana).
        ...(observability ? telemetryUrls(OBSERVABILITY_NAMESPACE) : {}),
        // What the drill reads back: whether the promotion it asked for is applied, not what a file says.
        ...(config.failover ? { failoverPromoted: config.failover.promoted } : {}),
        // The stacks the operator on this cluster reconciles, in file order.
        ...(fleet ? { fleetStacks: fleet.stacks.map((s) => s.name) } : {}),
        // What `paved wake` reads back: the early wake this update applied.
        ...(config.wake ? { wake: config.wake } : {}),
        // What preview stacks point their records at: the shared Gateway's load balancer.
        ...(delivery ? { gatewayHostname: gatewayAddress(delivery.gateway, "Hostname"), gatewayAddress: gatewayAddress(delivery.gateway, "IPAddress") } : {}),
    };
}
