import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as vault from "@pulumi/vault";
import { EksCluster } from "../components/cluster/eks-cluster";
import { GkeCluster } from "../components/cluster/gke-cluster";
import { ClusterAutoscaler } from "../components/nodepools/cluster-autoscaler";
import { CLUSTER_AUTOSCALER_SCRAPE } from "../components/nodepools/cluster-autoscaler-values";
import { KEDA_SCRAPE } from "../components/nodepools/keda-values";
import { costReport } from "../components/nodepools/cost";
import { EksSpotNodePool } from "../components/nodepools/eks-spot-node-pool";
import { GkeSpotNodePool } from "../components/nodepools/gke-spot-node-pool";
import { WorkloadSchedule } from "../components/nodepools/workload-schedule";
import { VaultSecrets } from "../components/vault/vault-secrets";
import { ObservabilityStack } from "../components/observability/observability-stack";
import { GRAFANA_ADMIN, StackConfig, clusterKeyOf, clusterNameOf, costInputs, grafanaVaultApp } from "./config";

/**
 * The regional role: one cluster per region, with everything that runs on it. Later components
 * (Vault, observability, GitOps) are wired in here, in one obvious place.
 */
export function regional(config: StackConfig): Record<string, unknown> {
    const name = clusterNameOf(config.stack);
    const { tags } = config;
    let cluster: EksCluster | GkeCluster;
    if (config.cloud === "aws") {
        // Explicit providers: the region comes from paved config, never from ambient settings.
        const provider = new aws.Provider("aws", { region: config.region as aws.Region });
        const eks = new EksCluster(name, config.cluster, { providers: [provider] });
        for (const pool of config.nodePools) new EksSpotNodePool(pool.name, { ...pool, cluster: eks }, { providers: [provider] });
        if (config.nodePools.length > 0) {
            new ClusterAutoscaler("cluster-autoscaler", { cluster: eks, pools: config.nodePools.map((p) => p.name), tags }, { providers: [provider] });
        }
        cluster = eks;
    } else {
        const provider = new gcp.Provider("gcp", { project: config.gcpProject, region: config.region });
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
        grafanaAdmin: GRAFANA_ADMIN,
        // The platform's own controllers, where this stack runs them.
        scrapeTargets: [
            ...(config.cloud === "aws" && config.nodePools.length > 0 ? [CLUSTER_AUTOSCALER_SCRAPE] : []),
            ...(config.schedule ? [KEDA_SCRAPE] : []),
        ],
    });
    if (config.vault) {
        // The address comes from config; the token from the caller's environment (VAULT_TOKEN or a CI login), never from here.
        const provider = new vault.Provider("vault", { address: config.vault.address });
        const grafana = observability ? [grafanaVaultApp(config.environment, observability.namespace)] : [];
        new VaultSecrets("vault", {
            cluster,
            clusterKey: clusterKeyOf(config),
            environment: config.environment,
            vaultAddress: config.vault.address,
            kv: config.vault.kv,
            apps: [...config.vault.apps, ...grafana],
        }, { providers: [provider], dependsOn: observability ? [observability.namespaceResource] : [] });
    }
    if (config.schedule) {
        new WorkloadSchedule("on-hours", { cluster, schedule: config.schedule, workloads: config.scaleToZero });
    }
    return {
        cloud: config.cloud,
        region: config.region,
        environment: config.environment,
        clusterName: cluster.clusterName,
        endpoint: cluster.endpoint,
        kubeconfig: cluster.kubeconfig,
        costReport: costReport(config.environment, costInputs(config), config.cost),
    };
}
