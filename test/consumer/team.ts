// A product team's stack on the paved road: its own EKS cluster with an ARM spot pool, secrets from
// Vault, and the observability stack whose Grafana login Vault provides. One resource is
// deliberately bad (SSH open to the world) so that the platform's policy pack has something to flag.
import * as aws from "@pulumi/aws";
import * as vault from "@pulumi/vault";
import { EksCluster, EksSpotNodePool, GRAFANA_ADMIN, ObservabilityStack, VaultSecrets, awsTags, platformVaultApps } from "paved-road/aws";

const tags = { environment: "dev", owner: "team-a", costCenter: "cc-42" };

export function teamStack() {
    const provider = new aws.Provider("aws", { region: "eu-west-1" });
    const cluster = new EksCluster("team-a", { kubernetesVersion: "1.33", tags }, { providers: [provider] });
    new EksSpotNodePool("apps", {
        cluster,
        tags,
        instanceTypes: ["m7g.large", "m6g.large", "m8g.large"],
        minSize: 0,
        maxSize: 6,
        schedule: { timeZone: "Europe/Dublin", days: "Mon-Fri", start: "07:00", end: "19:00" },
    }, { providers: [provider] });
    const secrets = new VaultSecrets("vault", {
        cluster,
        clusterKey: "team-a-dev",
        environment: "dev",
        vaultAddress: "https://vault.example.com:8200",
        apps: [
            ...platformVaultApps({ environment: "dev", observability: true }),
            { name: "orders", namespace: "orders", secrets: [{ name: "db", path: "dev/orders/db" }] },
        ],
    }, { providers: [new vault.Provider("vault", { address: "https://vault.example.com:8200" })] });
    new ObservabilityStack("observability", { cluster, tags, grafanaAdmin: GRAFANA_ADMIN }, { providers: [provider], dependsOn: [secrets] });
    // Deliberately bad: a debugging security group with SSH open to the world.
    new aws.ec2.SecurityGroup("debug-ssh", {
        vpcId: cluster.vpcId,
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
        tags: awsTags(tags),
    }, { provider });
    return { kubeconfig: cluster.kubeconfig, grafanaAdminSecret: GRAFANA_ADMIN.name };
}
