import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as policyProxy from "@pulumi/policy/proxy";
import { expect } from "chai";
import { checkPolicies } from "../../automation/offline/policy-check";
import {
    PLATFORM_POLICIES,
    encryptionAtRest,
    imdsv2Required,
    noLatestImages,
    noPlaintextSecrets,
    noPublicClusterEndpoint,
    noSshIntoNodes,
    requiredCostTags,
    spotForNonProdPools,
} from "../../policy/policies";
import { runProgram, runStack } from "../harness";
import { violations } from "./policy-report";


const tags = { environment: "dev", owner: "platform-team", "cost-center": "cc-1" };
const template = {
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3" } }],
    tags,
};
const deployment = (container: Record<string, unknown>) => ({ spec: { template: { spec: { containers: [{ name: "web", image: "ghcr.io/acme/web:1.4.2", ...container }] } } } });

describe("platform policies (happy props, then break one field)", () => {
    it("no-ssh-into-nodes", async () => {
        expect(await violations(noSshIntoNodes, "aws:ec2/launchTemplate:LaunchTemplate", template)).to.be.empty;
        expect(await violations(noSshIntoNodes, "aws:ec2/launchTemplate:LaunchTemplate", { ...template, keyName: "ops" })).to.have.length(1);
        expect(await violations(noSshIntoNodes, "aws:eks/nodeGroup:NodeGroup", { capacityType: "SPOT" })).to.be.empty;
        expect(await violations(noSshIntoNodes, "aws:eks/nodeGroup:NodeGroup", { remoteAccess: { ec2SshKey: "ops" } })).to.have.length(1);
        expect(await violations(noSshIntoNodes, "aws:ec2/securityGroup:SecurityGroup", { ingress: [{ fromPort: 443, toPort: 443, protocol: "tcp" }] })).to.be.empty;
        expect(await violations(noSshIntoNodes, "aws:ec2/securityGroup:SecurityGroup", { ingress: [{ fromPort: 0, toPort: 1024, protocol: "tcp" }] })).to.have.length(1);
        expect(await violations(noSshIntoNodes, "aws:ec2/keyPair:KeyPair", { publicKey: "ssh-ed25519 AAAA" })).to.have.length(1);
        expect(await violations(noSshIntoNodes, "gcp:compute/firewall:Firewall", { allows: [{ protocol: "tcp", ports: ["443"] }] })).to.be.empty;
        expect(await violations(noSshIntoNodes, "gcp:compute/firewall:Firewall", { allows: [{ protocol: "tcp", ports: ["20-25"] }] })).to.have.length(1);
        const pool = { nodeConfig: { metadata: { "enable-oslogin": "true", "block-project-ssh-keys": "true" } } };
        expect(await violations(noSshIntoNodes, "gcp:container/nodePool:NodePool", pool)).to.be.empty;
        expect(await violations(noSshIntoNodes, "gcp:container/nodePool:NodePool", { nodeConfig: { metadata: { "enable-oslogin": "true" } } })).to.have.length(1);
    });

    it("no-public-cluster-endpoint", async () => {
        const eks = { vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false } };
        expect(await violations(noPublicClusterEndpoint, "aws:eks/cluster:Cluster", eks)).to.be.empty;
        expect(await violations(noPublicClusterEndpoint, "aws:eks/cluster:Cluster", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } })).to.be.empty;
        expect(await violations(noPublicClusterEndpoint, "aws:eks/cluster:Cluster", { vpcConfig: { endpointPublicAccess: true } })).to.have.length(1);
        expect(await violations(noPublicClusterEndpoint, "aws:eks/cluster:Cluster", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } })).to.have.length(1);
        const gke = { privateClusterConfig: { enablePrivateEndpoint: true }, masterAuthorizedNetworksConfig: { cidrBlocks: [] } };
        expect(await violations(noPublicClusterEndpoint, "gcp:container/cluster:Cluster", gke)).to.be.empty;
        expect(await violations(noPublicClusterEndpoint, "gcp:container/cluster:Cluster", { ...gke, privateClusterConfig: { enablePrivateEndpoint: false } })).to.have.length(1);
    });

    it("encryption-at-rest", async () => {
        expect(await violations(encryptionAtRest, "aws:eks/cluster:Cluster", { encryptionConfig: { resources: ["secrets"], provider: { keyArn: "k" } } })).to.be.empty;
        expect(await violations(encryptionAtRest, "aws:eks/cluster:Cluster", {})).to.have.length(1);
        expect(await violations(encryptionAtRest, "aws:ec2/launchTemplate:LaunchTemplate", template)).to.be.empty;
        expect(await violations(encryptionAtRest, "aws:ec2/launchTemplate:LaunchTemplate", { ...template, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] })).to.have.length(1);
        expect(await violations(encryptionAtRest, "gcp:container/cluster:Cluster", { databaseEncryption: { state: "ENCRYPTED", keyName: "k" } })).to.be.empty;
        expect(await violations(encryptionAtRest, "gcp:container/cluster:Cluster", { databaseEncryption: { state: "DECRYPTED" } })).to.have.length(1);
    });

    it("required-cost-tags", async () => {
        expect(await violations(requiredCostTags, "aws:ec2/vpc:Vpc", { tags })).to.be.empty;
        expect(await violations(requiredCostTags, "aws:ec2/vpc:Vpc", { tags: { ...tags, owner: "" } })).to.deep.equal([
            "missing cost tags owner: pass CostTags to the component (paved:environment, paved:owner, paved:costCenter)",
        ]);
        expect(await violations(requiredCostTags, "gcp:storage/bucket:Bucket", { labels: tags })).to.be.empty;
        expect(await violations(requiredCostTags, "gcp:storage/bucket:Bucket", { labels: { environment: "dev" } })).to.have.length(1);
    });

    it("imdsv2-required", async () => {
        expect(await violations(imdsv2Required, "aws:ec2/launchTemplate:LaunchTemplate", template)).to.be.empty;
        expect(await violations(imdsv2Required, "aws:ec2/launchTemplate:LaunchTemplate", { ...template, metadataOptions: { httpTokens: "optional" } })).to.have.length(1);
    });

    it("no-plaintext-secrets-in-workloads", async () => {
        const fromSecret = { env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] };
        expect(await violations(noPlaintextSecrets, "kubernetes:apps/v1:Deployment", deployment(fromSecret))).to.be.empty;
        expect(await violations(noPlaintextSecrets, "kubernetes:apps/v1:Deployment", deployment({ env: [{ name: "DB_PASSWORD", value: "hunter2" }] }))).to.have.length(1);
        expect(await violations(noPlaintextSecrets, "kubernetes:core/v1:ConfigMap", { data: { LOG_LEVEL: "info" } })).to.be.empty;
        expect(await violations(noPlaintextSecrets, "kubernetes:core/v1:ConfigMap", { data: { API_TOKEN: "abc" } })).to.have.length(1);
    });

    it("no-latest-images", async () => {
        expect(await violations(noLatestImages, "kubernetes:apps/v1:Deployment", deployment({}))).to.be.empty;
        expect(await violations(noLatestImages, "kubernetes:apps/v1:Deployment", deployment({ image: "ghcr.io/acme/web@sha256:" + "a".repeat(64) }))).to.be.empty;
        expect(await violations(noLatestImages, "kubernetes:apps/v1:Deployment", deployment({ image: "nginx:latest" }))).to.have.length(1);
        expect(await violations(noLatestImages, "kubernetes:argoproj.io/v1alpha1:Rollout", deployment({ image: "localhost:5000/web" }))).to.have.length(1);
    });

    it("spot-for-non-prod-pools", async () => {
        expect(await violations(spotForNonProdPools, "aws:eks/nodeGroup:NodeGroup", { capacityType: "SPOT" })).to.be.empty;
        expect(await violations(spotForNonProdPools, "aws:eks/nodeGroup:NodeGroup", { capacityType: "ON_DEMAND", labels: { "paved.io/pool": "system" } })).to.be.empty;
        expect(await violations(spotForNonProdPools, "aws:eks/nodeGroup:NodeGroup", { capacityType: "ON_DEMAND" })).to.have.length(1);
        expect(await violations(spotForNonProdPools, "aws:eks/nodeGroup:NodeGroup", { capacityType: "ON_DEMAND" }, { production: true })).to.be.empty;
        expect(await violations(spotForNonProdPools, "gcp:container/nodePool:NodePool", { nodeConfig: { spot: false } })).to.have.length(1);
    });

    it("reading a value unknown during preview fails the way the policy server reports it", async () => {
        const { unknownStringValue } = policyProxy as unknown as { unknownStringValue: string };
        let caught: unknown;
        try {
            await violations(imdsv2Required, "aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions: { httpTokens: unknownStringValue } });
        } catch (e) {
            caught = e;
        }
        expect((caught as Error)?.constructor.name).to.equal("UnknownValueError");
    });
});

describe("the shipped stacks under the platform policies", () => {
    for (const [stack, production] of [["dev", false], ["prod-us-east-1", true], ["prod-us-west-2", true], ["dev-gcp", false], ["pr", false], ["staging", false], ["local", false], ["prod-global", true]] as const) {
        it(`${stack}: no violation at all`, async () => {
            const run = await runStack(stack);
            expect(await checkPolicies(run.resources, PLATFORM_POLICIES, { production })).to.deep.equal([]);
        });
    }
});

describe("a deliberately insecure stack", () => {
    it("has every violation reported, mandatory in production and advisory elsewhere", async () => {
        const k8s = await import("@pulumi/kubernetes");
        const run = await runProgram(() => {
            new ec2.SecurityGroup("open-ssh", { ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }], tags });
            new eks.Cluster("public", {
                roleArn: "arn:aws:iam::123456789012:role/eks",
                vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: true },
                encryptionConfig: { provider: { keyArn: "arn:aws:kms:us-east-1:123456789012:key/x" }, resources: ["secrets"] },
                tags,
            });
            new eks.NodeGroup("on-demand-dev", {
                clusterName: "public",
                nodeRoleArn: "arn:aws:iam::123456789012:role/node",
                subnetIds: ["subnet-1"],
                capacityType: "ON_DEMAND",
                scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 },
                tags,
            });
            new k8s.apps.v1.Deployment("leaky", {
                spec: {
                    selector: { matchLabels: { app: "leaky" } },
                    template: {
                        metadata: { labels: { app: "leaky" } },
                        spec: { containers: [{ name: "app", image: "nginx", env: [{ name: "DB_PASSWORD", value: "hunter2" }] }] },
                    },
                },
            });
        });
        const found = await checkPolicies(run.resources, PLATFORM_POLICIES, { production: false });
        expect(found.map((v) => `${v.policy} ${v.urn.split("::").pop()}`)).to.have.members([
            "no-ssh-into-nodes open-ssh",
            "no-public-cluster-endpoint public",
            "spot-for-non-prod-pools on-demand-dev",
            "no-plaintext-secrets-in-workloads leaky",
            "no-latest-images leaky",
        ]);
        expect(found.every((v) => v.level === "advisory")).to.be.true;
        const prod = await checkPolicies(run.resources, PLATFORM_POLICIES, { production: true });
        // In production the unpinned node group is also reported: nodes replaced, not patched (it is not in spot-for-non-prod-pools' scope there).
        expect(prod.map((v) => `${v.level} ${v.policy}`)).to.have.members([
            "mandatory no-ssh-into-nodes",
            "mandatory no-public-cluster-endpoint",
            "mandatory no-plaintext-secrets-in-workloads",
            "mandatory no-latest-images",
            "mandatory nodes-replaced-not-patched",
        ]);
        expect(JSON.stringify(found)).to.not.include("hunter2");
    });
});
