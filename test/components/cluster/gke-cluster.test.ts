import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { GKE_NODE_ROLES, GkeCluster, GkeClusterArgs, gkeClusterProblems, resolveGkeClusterArgs, serviceAccountId } from "../../../components/cluster";
import { MOCK_GCP_PROJECT_NUMBER } from "../../../automation/offline/cloud-answers";
import { StackEvaluation, inputsOf, isSecret, ofType, one, runFailing, runProgram } from "../../harness";
import { tagArgumentsOf } from "../../taggable";

const tags = { environment: "dev", owner: "platform-team", costCenter: "CC 1001" };
const happy: GkeClusterArgs = { tags, project: "acme-platform-dev", region: "europe-west1", kubernetesVersion: "1.33" };

function build(args: GkeClusterArgs): Promise<StackEvaluation> {
    return runProgram(() => {
        const cluster = new GkeCluster("demo", args);
        return { kubeconfig: cluster.kubeconfig, endpoint: cluster.endpoint };
    });
}

describe("GkeCluster", () => {
    let dev: StackEvaluation;
    let prod: StackEvaluation;
    before(async () => {
        dev = await build(happy);
        prod = await build({ ...happy, production: true });
    });

    it("builds a custom VPC with pod and service secondary ranges and Cloud NAT for private nodes", () => {
        expect(inputsOf(one(dev.resources, "gcp:compute/network:Network")).autoCreateSubnetworks).to.equal(false);
        const subnet = inputsOf(one(dev.resources, "gcp:compute/subnetwork:Subnetwork"));
        expect(subnet.ipCidrRange).to.equal("10.10.0.0/20");
        expect(subnet.privateIpGoogleAccess).to.equal(true);
        expect(subnet.secondaryIpRanges).to.deep.equal([
            { rangeName: "pods", ipCidrRange: "10.16.0.0/14" },
            { rangeName: "services", ipCidrRange: "10.20.0.0/20" },
        ]);
        expect(inputsOf(one(dev.resources, "gcp:compute/routerNat:RouterNat")).sourceSubnetworkIpRangesToNat).to.equal("ALL_SUBNETWORKS_ALL_IP_RANGES");
    });

    it("keeps nodes and the control plane private, with no authorized networks by default", () => {
        const cluster = inputsOf(one(dev.resources, "gcp:container/cluster:Cluster"));
        expect(cluster.privateClusterConfig).to.include({ enablePrivateNodes: true, enablePrivateEndpoint: true, masterIpv4CidrBlock: "172.16.0.0/28" });
        expect(cluster.masterAuthorizedNetworksConfig).to.deep.equal({ cidrBlocks: [], gcpPublicCidrsAccessEnabled: false });
        expect(cluster.masterAuth).to.deep.equal({ clientCertificateConfig: { issueClientCertificate: false } });
    });

    it("enables Workload Identity, Dataplane V2, shielded nodes, logging and managed Prometheus", () => {
        const cluster = inputsOf(one(dev.resources, "gcp:container/cluster:Cluster"));
        expect(cluster.workloadIdentityConfig).to.deep.equal({ workloadPool: "acme-platform-dev.svc.id.goog" });
        expect(cluster.datapathProvider).to.equal("ADVANCED_DATAPATH");
        expect(cluster.networkingMode).to.equal("VPC_NATIVE");
        expect(cluster.enableShieldedNodes).to.equal(true);
        expect(cluster.loggingConfig.enableComponents).to.include.members(["SYSTEM_COMPONENTS", "APISERVER", "WORKLOADS"]);
        expect(cluster.monitoringConfig.managedPrometheus).to.deep.equal({ enabled: true });
    });

    it("removes the default node pool and follows a release channel at the newest patch of the requested version", () => {
        const cluster = inputsOf(one(dev.resources, "gcp:container/cluster:Cluster"));
        expect(cluster.removeDefaultNodePool).to.equal(true);
        expect(cluster.releaseChannel).to.deep.equal({ channel: "REGULAR" });
        expect(cluster.minMasterVersion).to.equal("1.33.5-gke.1125000");
        expect(inputsOf(one(prod.resources, "gcp:container/cluster:Cluster")).releaseChannel).to.deep.equal({ channel: "STABLE" });
    });

    it("protects production from deletion, and only production", () => {
        expect(inputsOf(one(dev.resources, "gcp:container/cluster:Cluster")).deletionProtection).to.equal(false);
        expect(inputsOf(one(prod.resources, "gcp:container/cluster:Cluster")).deletionProtection).to.equal(true);
    });

    it("encrypts Secrets with a rotating Cloud KMS key that only GKE's service agent may use", () => {
        const key = one(dev.resources, "gcp:kms/cryptoKey:CryptoKey");
        expect(inputsOf(key).rotationPeriod).to.equal("7776000s");
        const cluster = one(dev.resources, "gcp:container/cluster:Cluster");
        expect(inputsOf(cluster).databaseEncryption.state).to.equal("ENCRYPTED");
        expect(inputsOf(cluster).databaseEncryption.keyName).to.match(
            /^projects\/acme-platform-dev\/locations\/europe-west1\/keyRings\/demo-keys-\w+\/cryptoKeys\/demo-secrets-\w+$/,
        );
        const grant = one(dev.resources, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
        expect(inputsOf(grant).member).to.equal(`serviceAccount:service-${MOCK_GCP_PROJECT_NUMBER}@container-engine-robot.iam.gserviceaccount.com`);
        expect(cluster.dependencies).to.include(grant.urn);
    });

    describe("system node pool", () => {
        it("runs on a dedicated least-privilege service account, not the Compute default", () => {
            const pool = inputsOf(one(dev.resources, "gcp:container/nodePool:NodePool", "demo-system"));
            const account = inputsOf(one(dev.resources, "gcp:serviceaccount/account:Account"));
            expect(pool.nodeConfig.serviceAccount).to.equal(`${account.accountId}@acme-platform-dev.iam.gserviceaccount.com`);
            const roles = ofType(dev.resources, "gcp:projects/iAMMember:IAMMember").map((r) => inputsOf(r).role);
            expect(roles).to.have.members(GKE_NODE_ROLES);
            expect(roles).to.not.include.members(["roles/editor", "roles/owner"]);
        });

        it("blocks project SSH keys, requires OS Login, and no firewall rule of the platform allows port 22", () => {
            const metadata = inputsOf(one(dev.resources, "gcp:container/nodePool:NodePool", "demo-system")).nodeConfig.metadata;
            expect(metadata).to.deep.equal({ "block-project-ssh-keys": "true", "enable-oslogin": "true", "disable-legacy-endpoints": "true" });
            const allowed = ofType(dev.resources, "gcp:compute/firewall:Firewall").flatMap((f) => (inputsOf(f).allows ?? []) as { protocol: string; ports?: string[] }[]);
            expect(allowed).to.not.be.empty;
            for (const a of allowed) expect(a.protocol === "all" || (a.protocol === "tcp" && (a.ports ?? []).some((p) => p === "22" || p === "0-65535")), JSON.stringify(a)).to.be.false;
        });

        it("uses shielded instances, the GKE metadata server, autoscaling, auto-repair and auto-upgrade", () => {
            const pool = inputsOf(one(dev.resources, "gcp:container/nodePool:NodePool", "demo-system"));
            expect(pool.nodeConfig.shieldedInstanceConfig).to.deep.equal({ enableSecureBoot: true, enableIntegrityMonitoring: true });
            expect(pool.nodeConfig.workloadMetadataConfig).to.deep.equal({ mode: "GKE_METADATA" });
            expect(pool.autoscaling).to.deep.equal({ minNodeCount: 1, maxNodeCount: 2 });
            expect(pool.management).to.deep.equal({ autoRepair: true, autoUpgrade: true });
            expect(pool.nodeConfig.taints).to.deep.equal([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
            // Outside production on spot, a node pool per machine type; production on demand, one type.
            expect(pool.nodeConfig.spot).to.equal(true);
            const second = inputsOf(one(dev.resources, "gcp:container/nodePool:NodePool", "demo-system-1"));
            expect([second.nodeConfig.machineType, second.nodeConfig.spot, second.autoscaling]).to.deep.equal(["n2d-standard-4", true, { minNodeCount: 0, maxNodeCount: 2 }]);
            const prodPools = ofType(prod.resources, "gcp:container/nodePool:NodePool").map(inputsOf);
            expect(prodPools.map((p) => [p.nodeConfig.machineType, "spot" in p.nodeConfig])).to.deep.equal([["e2-standard-4", false]]);
            expect(one(dev.resources, "gcp:container/nodePool:NodePool", "demo-system").ignoreChanges).to.deep.equal(["initialNodeCount"]);
        });
    });

    it("labels every labelable resource with label-safe cost labels", () => {
        const labelable = dev.resources.filter((r) => r.custom && r.type.startsWith("gcp:") && tagArgumentsOf(r.type, ["labels", "resourceLabels"]).length > 0);
        expect(labelable.map((r) => r.type)).to.include.members(["gcp:container/cluster:Cluster", "gcp:kms/cryptoKey:CryptoKey"]);
        const expected = { environment: "dev", owner: "platform-team", "cost-center": "cc-1001", "managed-by": "paved-road" };
        for (const resource of labelable) {
            const inputs = inputsOf(resource);
            expect(inputs.resourceLabels ?? inputs.labels, `${resource.type} ${resource.name}`).to.deep.equal(expected);
        }
        expect(inputsOf(one(dev.resources, "gcp:container/nodePool:NodePool", "demo-system")).nodeConfig.resourceLabels).to.deep.equal(expected);
    });

    it("hands out a secret kubeconfig that authenticates with gke-gcloud-auth-plugin, never a static token", () => {
        expect(isSecret(dev.outputs.kubeconfig)).to.be.true;
        const provider = one(dev.resources, "pulumi:providers:kubernetes");
        expect(isSecret(provider.inputs.kubeconfig)).to.be.true;
        const config = JSON.parse(inputsOf(provider).kubeconfig);
        expect(config.users[0].user).to.not.have.property("token");
        expect(config.users[0].user.exec).to.include({ command: "gke-gcloud-auth-plugin", provideClusterInfo: true });
        expect(config.clusters[0].cluster.server).to.equal("https://172.16.0.2");
    });

    describe("validation", () => {
        const problemPaths = (args: GkeClusterArgs) => gkeClusterProblems(resolveGkeClusterArgs(args)).list.map((p) => p.propertyPath);
        const cases: [string, Partial<GkeClusterArgs>, string][] = [
            ["a public endpoint without authorized networks", { publicEndpoint: true }, "authorizedNetworks"],
            ["an authorized network open to the internet", { authorizedNetworks: [{ cidrBlock: "0.0.0.0/0", displayName: "all" }] }, "authorizedNetworks[0].cidrBlock"],
            ["a malformed Kubernetes version", { kubernetesVersion: "1.33.5-gke.1" }, "kubernetesVersion"],
            ["an empty node pool size range", { systemPool: { minSize: 0, maxSize: 0 } }, "systemPool.maxSize"],
            ["a minimum above the maximum", { systemPool: { minSize: 3, maxSize: 1 } }, "systemPool.minSize"],
            ["two machine types for one on-demand GKE pool", { systemPool: { instanceTypes: ["e2-standard-4", "n2-standard-4"], spot: false } }, "systemPool.instanceTypes"],
            ["a control-plane range that is not a /28", { masterCidr: "172.16.0.0/24" }, "masterCidr"],
            ["a malformed pod range", { podCidr: "10.16.0.0/33" }, "podCidr"],
            ["an unknown release channel", { releaseChannel: "BETA" as never }, "releaseChannel"],
            ["a malformed project ID", { project: "Acme_Dev" }, "project"],
            ["an AWS region", { region: "us-east-1" }, "region"],
        ];

        it("accepts the happy arguments", () => {
            expect(problemPaths(happy)).to.deep.equal([]);
            expect(problemPaths({ ...happy, publicEndpoint: true, authorizedNetworks: [{ cidrBlock: "203.0.113.0/24", displayName: "office" }] })).to.deep.equal([]);
        });

        for (const [what, change, path] of cases) {
            it(`rejects ${what} at ${path}`, () => {
                expect(problemPaths({ ...happy, ...change })).to.deep.equal([path]);
            });
        }

        it("throws one InputPropertiesError before creating anything", async () => {
            const failure = await runFailing(() => {
                new GkeCluster("bad", { ...happy, publicEndpoint: true, kubernetesVersion: "1.x" });
            });
            expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
            expect((failure.cause as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath)).to.deep.equal(["kubernetesVersion", "authorizedNetworks"]);
            expect(failure.resources.filter((r) => r.custom)).to.be.empty;
        });

        it("fails clearly when GKE offers no such Kubernetes version", async () => {
            const failure = await runFailing(() => {
                new GkeCluster("old", { ...happy, kubernetesVersion: "1.20" });
            });
            expect(failure.message).to.include("GKE offers no Kubernetes 1.20 in europe-west1");
        });
    });
});

describe("serviceAccountId", () => {
    it("keeps a valid name and repairs what GCP would reject", () => {
        expect(serviceAccountId("paved-dev-gcp-nodes")).to.equal("paved-dev-gcp-nodes");
        expect(serviceAccountId("paved-prod-europe-west1-nodes-x")).to.equal("paved-prod-europe-west1-nodes");
        expect(serviceAccountId("Team_A")).to.equal("team-a");
        expect(serviceAccountId("1a")).to.equal("sa-1a0");
    });
});
