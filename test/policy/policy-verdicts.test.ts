import { expect } from "chai";
import {
    PLATFORM_POLICIES,
    encryptionAtRest,
    nodesReplacedNotPatched,
    imdsv2Required,
    noLatestImages,
    noPlaintextSecrets,
    noPublicClusterEndpoint,
    noSshIntoNodes,
    requiredCostTags,
    spotForNonProdPools,
} from "../../policy/policies";
import { violations } from "./policy-report";

/**
 * Each platform policy's verdict, word for word, on the edges of its input: a property missing
 * altogether (the policy must judge it, not crash), every kind or protocol it names, and the exact
 * message a developer reads. Property shapes follow the provider schemas (@pulumi/aws, @pulumi/gcp,
 * @pulumi/kubernetes input types); the messages are the policies' documented fixes, written out here.
 */
const SSH_FIX = "remove it; debug nodes with `kubectl debug node/...` instead";
const OS_LOGIN = 'metadata "enable-oslogin": "true" and "block-project-ssh-keys": "true"';

describe("policy verdicts: no-ssh-into-nodes", () => {
    const sg = "aws:ec2/securityGroup:SecurityGroup";

    it("names the rule, the port range and the fix for each ingress shape", async () => {
        expect(await violations(noSshIntoNodes, sg, { ingress: [{ protocol: "tcp", fromPort: 20, toPort: 25 }] })).to.deep.equal([`security group ingress allows port 22 (tcp 20-25): ${SSH_FIX}`]);
        expect(await violations(noSshIntoNodes, "aws:ec2/securityGroupRule:SecurityGroupRule", { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22 })).to.deep.equal([
            `security group rule allows port 22: ${SSH_FIX}`,
        ]);
        expect(await violations(noSshIntoNodes, "aws:ec2/securityGroupRule:SecurityGroupRule", { type: "egress", protocol: "tcp", fromPort: 22, toPort: 22 })).to.deep.equal([]);
        expect(await violations(noSshIntoNodes, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { ipProtocol: "-1" })).to.deep.equal([`security group ingress rule allows port 22: ${SSH_FIX}`]);
        expect(await violations(noSshIntoNodes, "aws:ec2/keyPair:KeyPair", { publicKey: "ssh-ed25519 AAAA" })).to.deep.equal([`an EC2 key pair opens SSH into nodes: ${SSH_FIX}`]);
        expect(await violations(noSshIntoNodes, "aws:eks/nodeGroup:NodeGroup", { remoteAccess: { ec2SshKey: "ops" } })).to.deep.equal([`node group remoteAccess enables SSH: ${SSH_FIX}`]);
        expect(await violations(noSshIntoNodes, "aws:ec2/instance:Instance", { keyName: "ops" })).to.deep.equal([`Instance sets keyName "ops": ${SSH_FIX}`]);
    });

    it("a GCE firewall: TCP 22 alone, 22 among other ports, every port, every protocol; egress and UDP are not SSH", async () => {
        const fw = "gcp:compute/firewall:Firewall";
        expect(await violations(noSshIntoNodes, fw, { allows: [{ protocol: "tcp", ports: ["22"] }] })).to.deep.equal([`firewall allows port 22 (tcp 22): ${SSH_FIX}`]);
        expect(await violations(noSshIntoNodes, fw, { allows: [{ protocol: "tcp", ports: ["443", "22"] }] })).to.deep.equal([`firewall allows port 22 (tcp 443,22): ${SSH_FIX}`]);
        expect(await violations(noSshIntoNodes, fw, { allows: [{ protocol: "tcp", ports: ["22-22"] }] })).to.have.length(1);
        expect(await violations(noSshIntoNodes, fw, { allows: [{ protocol: "tcp", ports: ["23-443", "1-21"] }] })).to.deep.equal([]);
        expect(await violations(noSshIntoNodes, fw, { allows: [{ protocol: "tcp" }] })).to.deep.equal([`firewall allows port 22 (tcp, every port): ${SSH_FIX}`]);
        expect(await violations(noSshIntoNodes, fw, { allows: [{ protocol: "all" }] })).to.deep.equal([`firewall allows port 22 (all, every port): ${SSH_FIX}`]);
        expect(await violations(noSshIntoNodes, fw, { allows: [{ protocol: "udp", ports: ["22"] }] })).to.deep.equal([]);
        expect(await violations(noSshIntoNodes, fw, { direction: "EGRESS", allows: [{ protocol: "tcp", ports: ["22"] }] })).to.deep.equal([]);
        expect(await violations(noSshIntoNodes, fw, { direction: "ingress", allows: [{ protocol: "tcp", ports: ["22"] }] })).to.have.length(1);
    });

    it("GCE nodes and instances need OS Login with project keys blocked: both flags, and none is not enough", async () => {
        const blocked = { "enable-oslogin": "true", "block-project-ssh-keys": "true" };
        const pool = "gcp:container/nodePool:NodePool";
        const instance = "gcp:compute/instance:Instance";
        expect(await violations(noSshIntoNodes, pool, { nodeConfig: { metadata: blocked } })).to.deep.equal([]);
        expect(await violations(noSshIntoNodes, pool, {})).to.deep.equal([`node pool nodes must set ${OS_LOGIN}`]);
        expect(await violations(noSshIntoNodes, pool, { nodeConfig: {} })).to.deep.equal([`node pool nodes must set ${OS_LOGIN}`]);
        expect(await violations(noSshIntoNodes, pool, { nodeConfig: { metadata: { "block-project-ssh-keys": "true" } } })).to.have.length(1);
        expect(await violations(noSshIntoNodes, instance, { metadata: blocked })).to.deep.equal([]);
        expect(await violations(noSshIntoNodes, instance, {})).to.deep.equal([`instance must set ${OS_LOGIN}`]);
        expect(await violations(noSshIntoNodes, instance, { metadata: { "enable-oslogin": "true" } })).to.deep.equal([`instance must set ${OS_LOGIN}`]);
    });
});

describe("policy verdicts: no-public-cluster-endpoint", () => {
    const EKS = "public EKS endpoint without an allow-list: set publicAccessCidrs to your office/VPN networks (never 0.0.0.0/0), or endpointPublicAccess: false";
    const GKE = "public GKE control plane without an allow-list: list authorized networks (never 0.0.0.0/0) or set enablePrivateEndpoint: true";

    it("EKS: a public endpoint open to all is reported with the fix; a cluster with no vpcConfig is not public", async () => {
        expect(await violations(noPublicClusterEndpoint, "aws:eks/cluster:Cluster", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } })).to.deep.equal([EKS]);
        expect(await violations(noPublicClusterEndpoint, "aws:eks/cluster:Cluster", {})).to.deep.equal([]);
    });

    it("GKE: 0.0.0.0/0 among the authorized networks is public even with a private endpoint; a listed office network is not", async () => {
        const gke = "gcp:container/cluster:Cluster";
        expect(await violations(noPublicClusterEndpoint, gke, { masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "0.0.0.0/0" }] } })).to.deep.equal([GKE]);
        expect(await violations(noPublicClusterEndpoint, gke, { privateClusterConfig: { enablePrivateEndpoint: true }, masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "0.0.0.0/0" }] } })).to.deep.equal([GKE]);
        expect(await violations(noPublicClusterEndpoint, gke, { masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "203.0.113.0/24" }] } })).to.deep.equal([]);
        expect(await violations(noPublicClusterEndpoint, gke, {})).to.deep.equal([GKE]);
    });
});

describe("policy verdicts: encryption-at-rest", () => {
    it("names the device of an unencrypted launch-template volume; a mapping without EBS (instance store) is not judged", async () => {
        const lt = "aws:ec2/launchTemplate:LaunchTemplate";
        expect(await violations(encryptionAtRest, lt, { blockDeviceMappings: [{ deviceName: "/dev/xvdb", ebs: { volumeSize: 100 } }] })).to.deep.equal([
            'volume /dev/xvdb is not encrypted: set ebs.encrypted: "true"',
        ]);
        expect(await violations(encryptionAtRest, lt, { blockDeviceMappings: [{ ebs: { encrypted: "false" } }] })).to.deep.equal(['volume  is not encrypted: set ebs.encrypted: "true"']);
        expect(await violations(encryptionAtRest, lt, { blockDeviceMappings: [{ deviceName: "/dev/sdb", virtualName: "ephemeral0" }] })).to.deep.equal([]);
        expect(await violations(encryptionAtRest, lt, {})).to.deep.equal([]);
    });

    it("an EBS volume is encrypted only when it says so", async () => {
        const volume = "aws:ebs/volume:Volume";
        expect(await violations(encryptionAtRest, volume, { encrypted: true, size: 10 })).to.deep.equal([]);
        expect(await violations(encryptionAtRest, volume, { size: 10 })).to.deep.equal(["EBS volume is not encrypted: set encrypted: true"]);
        expect(await violations(encryptionAtRest, volume, { encrypted: false })).to.deep.equal(["EBS volume is not encrypted: set encrypted: true"]);
    });

    it("an S3 encryption configuration needs a default algorithm in its first rule", async () => {
        const sse = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
        const MISSING = "bucket encryption rule has no algorithm: set sseAlgorithm: aws:kms";
        expect(await violations(encryptionAtRest, sse, { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] })).to.deep.equal([]);
        expect(await violations(encryptionAtRest, sse, { bucket: "b" })).to.deep.equal([MISSING]);
        expect(await violations(encryptionAtRest, sse, { bucket: "b", rules: [] })).to.deep.equal([MISSING]);
        expect(await violations(encryptionAtRest, sse, { bucket: "b", rules: [{ bucketKeyEnabled: true }] })).to.deep.equal([MISSING]);
    });

    it("EKS and GKE Secrets: the exact fix, and a GKE cluster without databaseEncryption is not encrypted", async () => {
        expect(await violations(encryptionAtRest, "aws:eks/cluster:Cluster", {})).to.deep.equal(['EKS Secrets are not envelope-encrypted: set encryptionConfig { provider: { keyArn }, resources: ["secrets"] }']);
        expect(await violations(encryptionAtRest, "gcp:container/cluster:Cluster", {})).to.deep.equal(['GKE Secrets are not encrypted with Cloud KMS: set databaseEncryption { state: "ENCRYPTED", keyName }']);
    });
});

describe("policy verdicts: required-cost-tags", () => {
    const FIX = "pass CostTags to the component (paved:environment, paved:owner, paved:costCenter)";

    it("lists every missing tag, in order", async () => {
        expect(await violations(requiredCostTags, "aws:ec2/vpc:Vpc", { tags: { environment: "dev" } })).to.deep.equal([`missing cost tags owner, cost-center: ${FIX}`]);
        expect(await violations(requiredCostTags, "aws:ec2/vpc:Vpc", { tags: {} })).to.deep.equal([`missing cost tags environment, owner, cost-center: ${FIX}`]);
        expect(await violations(requiredCostTags, "aws:ec2/vpc:Vpc", { tags: null })).to.deep.equal([`missing cost tags environment, owner, cost-center: ${FIX}`]);
    });

    it("no tag argument at all on a taggable type names the argument: tags on AWS, labels or resourceLabels on GCP", async () => {
        expect(await violations(requiredCostTags, "aws:ec2/vpc:Vpc", {})).to.deep.equal(["no tags at all: pass CostTags to the component so tags carries environment, owner, cost-center"]);
        expect(await violations(requiredCostTags, "gcp:storage/bucket:Bucket", {})).to.deep.equal(["no labels at all: pass CostTags to the component so labels carries environment, owner, cost-center"]);
        expect(await violations(requiredCostTags, "gcp:container/cluster:Cluster", {})).to.deep.equal([
            "no resourceLabels at all: pass CostTags to the component so resourceLabels carries environment, owner, cost-center",
        ]);
        expect(await violations(requiredCostTags, "gcp:container/cluster:Cluster", { resourceLabels: { environment: "dev", owner: "o", "cost-center": "c" } })).to.deep.equal([]);
    });

    it("a Kubernetes object's labels are not cloud cost labels", async () => {
        expect(await violations(requiredCostTags, "kubernetes:core/v1:Namespace", { labels: { app: "x" } })).to.deep.equal([]);
    });
});

describe("policy verdicts: imdsv2-required", () => {
    const IMDS = 'IMDSv1 is allowed: set metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 }';

    it("instances and launch templates, with or without metadataOptions", async () => {
        expect(await violations(imdsv2Required, "aws:ec2/instance:Instance", { metadataOptions: { httpTokens: "required" } })).to.deep.equal([]);
        expect(await violations(imdsv2Required, "aws:ec2/instance:Instance", {})).to.deep.equal([IMDS]);
        expect(await violations(imdsv2Required, "aws:ec2/launchTemplate:LaunchTemplate", {})).to.deep.equal([IMDS]);
        expect(await violations(imdsv2Required, "aws:ec2/vpc:Vpc", {})).to.deep.equal([]);
    });
});

describe("policy verdicts: workloads (plaintext secrets, unpinned images)", () => {
    const podSpec = { containers: [{ name: "web", image: "nginx:latest", env: [{ name: "DB_PASSWORD", value: "hunter2" }] }] };
    const kinds: [string, Record<string, unknown>][] = [
        ["kubernetes:apps/v1:Deployment", { spec: { template: { spec: podSpec } } }],
        ["kubernetes:apps/v1:StatefulSet", { spec: { template: { spec: podSpec } } }],
        ["kubernetes:apps/v1:DaemonSet", { spec: { template: { spec: podSpec } } }],
        ["kubernetes:apps/v1:ReplicaSet", { spec: { template: { spec: podSpec } } }],
        ["kubernetes:core/v1:ReplicationController", { spec: { template: { spec: podSpec } } }],
        ["kubernetes:batch/v1:Job", { spec: { template: { spec: podSpec } } }],
        ["kubernetes:batch/v1:CronJob", { spec: { jobTemplate: { spec: { template: { spec: podSpec } } } } }],
        ["kubernetes:core/v1:Pod", { spec: podSpec }],
        ["kubernetes:argoproj.io/v1alpha1:Rollout", { spec: { template: { spec: podSpec } } }],
    ];

    for (const [type, props] of kinds) {
        it(`${type.split(":").pop()}: finds its containers where the kind keeps them`, async () => {
            expect(await violations(noPlaintextSecrets, type, props)).to.deep.equal(['container "web" sets DB_PASSWORD in plaintext: use valueFrom.secretKeyRef to a Secret synced from Vault']);
            expect(await violations(noLatestImages, type, props)).to.deep.equal([
                'container "web" uses image "nginx:latest" without a pinned tag: use an explicit version or digest, e.g. "nginx:1.4.2"',
            ]);
        });
    }

    it("init containers count; a workload with no pod template yet is not judged", async () => {
        const init = { spec: { template: { spec: { initContainers: [{ name: "migrate", image: "ghcr.io/acme/migrate", env: [{ name: "API_TOKEN", value: "t" }] }] } } } };
        expect(await violations(noPlaintextSecrets, "kubernetes:apps/v1:Deployment", init)).to.deep.equal([
            'container "migrate" sets API_TOKEN in plaintext: use valueFrom.secretKeyRef to a Secret synced from Vault',
        ]);
        expect(await violations(noLatestImages, "kubernetes:apps/v1:Deployment", init)).to.deep.equal([
            'container "migrate" uses image "ghcr.io/acme/migrate" without a pinned tag: use an explicit version or digest, e.g. "ghcr.io/acme/migrate:1.4.2"',
        ]);
        for (const [type, props] of [
            ["kubernetes:apps/v1:Deployment", {}],
            ["kubernetes:apps/v1:Deployment", { spec: {} }],
            ["kubernetes:batch/v1:CronJob", {}],
            ["kubernetes:batch/v1:CronJob", { spec: { jobTemplate: {} } }],
            ["kubernetes:batch/v1:CronJob", { spec: {} }],
            ["kubernetes:batch/v1:CronJob", { spec: { jobTemplate: { spec: {} } } }],
            ["kubernetes:core/v1:Pod", {}],
        ] as const) {
            expect(await violations(noPlaintextSecrets, type, props), type).to.deep.equal([]);
        }
    });

    it("secret-like names: password, passwd, pass, secret, token, api key, private key, credential, in any case", async () => {
        const names = ["DB_PASSWORD", "SMTP_PASSWD", "REDIS_PASS", "client_secret", "GithubToken", "APIKEY", "API_KEY", "api-key", "PRIVATEKEY", "PRIVATE_KEY", "private-key", "AWS_CREDENTIALS"];
        const env = names.map((name) => ({ name, value: "x" }));
        const found = await violations(noPlaintextSecrets, "kubernetes:apps/v1:Deployment", { spec: { template: { spec: { containers: [{ name: "web", image: "web:1", env }] } } } });
        expect(found).to.have.length(names.length);
        expect(found.map((m) => m.split(" ")[3])).to.deep.equal(names);
    });

    it("a value from a Secret, an empty value, or a harmless name is fine; API.KEY is not an api key", async () => {
        const env = [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }, { name: "DB_PASSWORD", value: "" }, { name: "LOG_LEVEL", value: "debug" }, { name: "API.KEY", value: "x" }, { value: "unnamed" }];
        expect(await violations(noPlaintextSecrets, "kubernetes:apps/v1:Deployment", { spec: { template: { spec: { containers: [{ name: "web", image: "web:1", env }] } } } })).to.deep.equal([]);
    });

    it("ConfigMap keys that look like secrets are reported; a Secret is where they belong", async () => {
        expect(await violations(noPlaintextSecrets, "kubernetes:core/v1:ConfigMap", { data: { LOG_LEVEL: "info", db_password: "x" } })).to.deep.equal([
            'ConfigMap key "db_password" looks like a secret: put it in Vault and sync it as a Secret',
        ]);
        expect(await violations(noPlaintextSecrets, "kubernetes:core/v1:ConfigMap", {})).to.deep.equal([]);
        expect(await violations(noPlaintextSecrets, "kubernetes:core/v1:Secret", { data: { db_password: "eA==" } })).to.deep.equal([]);
    });

    it("an image with no name at all is unpinned; a tagged image behind a registry port is pinned", async () => {
        const one = (container: Record<string, unknown>) => ({ spec: { template: { spec: { containers: [{ name: "web", ...container }] } } } });
        expect(await violations(noLatestImages, "kubernetes:apps/v1:Deployment", one({}))).to.deep.equal([
            'container "web" uses image "" without a pinned tag: use an explicit version or digest, e.g. ":1.4.2"',
        ]);
        expect(await violations(noLatestImages, "kubernetes:apps/v1:Deployment", one({ image: "localhost:5000/web:2.0.1" }))).to.deep.equal([]);
        expect(await violations(noLatestImages, "kubernetes:apps/v1:Deployment", one({ image: "localhost:5000/web:latest" }))).to.deep.equal([
            'container "web" uses image "localhost:5000/web:latest" without a pinned tag: use an explicit version or digest, e.g. "localhost:5000/web:1.4.2"',
        ]);
    });
});

describe("policy verdicts: spot-for-non-prod-pools", () => {
    const FIX = "use EksSpotNodePool / GkeSpotNodePool (paved:nodePools), or label the pool as the system pool";

    it("EKS: on-demand is the default capacity; the system pool and a declared on-demand fallback are allowed", async () => {
        const ng = "aws:eks/nodeGroup:NodeGroup";
        expect(await violations(spotForNonProdPools, ng, {})).to.deep.equal([`on-demand node group outside production: ${FIX}`]);
        expect(await violations(spotForNonProdPools, ng, { labels: { "paved.io/capacity": "on-demand" } })).to.deep.equal([]);
        expect(await violations(spotForNonProdPools, ng, { labels: { "paved.io/pool": "apps" } })).to.have.length(1);
    });

    it("GKE: a pool is spot only when nodeConfig says so; the same labels allow the exceptions", async () => {
        const np = "gcp:container/nodePool:NodePool";
        expect(await violations(spotForNonProdPools, np, {})).to.deep.equal([`on-demand node pool outside production: ${FIX}`]);
        expect(await violations(spotForNonProdPools, np, { nodeConfig: { spot: true } })).to.deep.equal([]);
        expect(await violations(spotForNonProdPools, np, { nodeConfig: { labels: { "paved.io/pool": "system" } } })).to.deep.equal([]);
        expect(await violations(spotForNonProdPools, np, { nodeConfig: { labels: { "paved.io/capacity": "on-demand" } } })).to.deep.equal([]);
        expect(await violations(spotForNonProdPools, np, { nodeConfig: { labels: { "paved.io/pool": "apps" } } })).to.have.length(1);
        expect(await violations(spotForNonProdPools, np, { nodeConfig: {} }, { production: true })).to.deep.equal([]);
    });
});

describe("policy verdicts: nodes-replaced-not-patched", () => {
    it("an IAM policy that merely names the patch document patches nothing", async () => {
        expect(await violations(nodesReplacedNotPatched, "aws:iam/policy:Policy", { name: "allow-AWS-RunPatchBaseline-read", policy: "{}" })).to.deep.equal([]);
    });
});

describe("policy verdicts: the pack", () => {
    it("every policy says what it enforces (Pulumi shows the description beside a violation), under the name the pack config uses", () => {
        expect(PLATFORM_POLICIES.map((p) => p.name)).to.deep.equal([
            "no-ssh-into-nodes",
            "no-public-cluster-endpoint",
            "encryption-at-rest",
            "required-cost-tags",
            "imdsv2-required",
            "no-plaintext-secrets-in-workloads",
            "no-latest-images",
            "spot-for-non-prod-pools",
            "nodes-replaced-not-patched",
        ]);
        for (const p of PLATFORM_POLICIES) expect(p.description, p.name).to.have.length.greaterThan(40);
    });
});
