import { Provider as AwsProvider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { EksCluster, EksClusterArgs, eksClusterProblems, resolveEksClusterArgs } from "../../../components/cluster";
import { RecordedResource, StackEvaluation, inputsOf, isSecret, ofType, one, runFailing, runProgram } from "../../harness";
import { tagArgumentsOf } from "../../taggable";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001", extra: { "team-channel": "platform" } };
const happy: EksClusterArgs = { tags, kubernetesVersion: "1.33" };

/** Builds one EksCluster behind an explicit AWS provider in `region`, as the stack programs do. */
function build(args: EksClusterArgs, region = "eu-central-1"): Promise<StackEvaluation> {
    return runProgram(() => {
        const provider = new AwsProvider("aws", { region: region as never });
        const cluster = new EksCluster("demo", args, { providers: [provider] });
        return { kubeconfig: cluster.kubeconfig, endpoint: cluster.endpoint };
    });
}

describe("EksCluster", () => {
    let dev: StackEvaluation;
    let prod: StackEvaluation;
    before(async () => {
        dev = await build(happy);
        prod = await build({ ...happy, production: true, adminRoleArns: ["arn:aws:iam::123456789012:role/admin"] }, "us-east-1");
    });

    describe("network", () => {
        it("spreads private and public subnets over three distinct zones from the region's zone list", () => {
            const subnets = ofType(dev.resources, "aws:ec2/subnet:Subnet").map(inputsOf);
            const priv = subnets.filter((s) => s.tags["kubernetes.io/role/internal-elb"] === "1");
            const pub = subnets.filter((s) => s.tags["kubernetes.io/role/elb"] === "1");
            expect(priv.map((s) => s.availabilityZone)).to.deep.equal(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
            expect(pub.map((s) => s.availabilityZone)).to.deep.equal(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
            expect(priv.map((s) => s.cidrBlock)).to.deep.equal(["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]);
            expect(pub.every((s) => s.mapPublicIpOnLaunch === false)).to.be.true;
        });

        it("shares one NAT gateway outside production and runs one per zone in production", () => {
            expect(ofType(dev.resources, "aws:ec2/natGateway:NatGateway")).to.have.length(1);
            expect(ofType(prod.resources, "aws:ec2/natGateway:NatGateway")).to.have.length(3);
            const routes = ofType(prod.resources, "aws:ec2/routeTable:RouteTable").filter((r) => r.name.includes("private"));
            const natIds = new Set(routes.map((r) => inputsOf(r).routes[0].natGatewayId));
            expect(natIds.size).to.equal(3);
        });
    });

    describe("control plane", () => {
        it("keeps the API endpoint private with no public access by default", () => {
            const cluster = inputsOf(one(dev.resources, "aws:eks/cluster:Cluster"));
            expect(cluster.vpcConfig.endpointPrivateAccess).to.equal(true);
            expect(cluster.vpcConfig.endpointPublicAccess).to.equal(false);
            expect(cluster.vpcConfig.publicAccessCidrs).to.equal(undefined);
        });

        it("authenticates through the EKS API with access entries, not the aws-auth ConfigMap", () => {
            const cluster = inputsOf(one(prod.resources, "aws:eks/cluster:Cluster"));
            expect(cluster.accessConfig.authenticationMode).to.equal("API");
            expect(prod.resources.filter((r) => r.type.startsWith("kubernetes:core/v1:ConfigMap"))).to.be.empty;
            const entry = inputsOf(one(prod.resources, "aws:eks/accessEntry:AccessEntry"));
            expect(entry.principalArn).to.equal("arn:aws:iam::123456789012:role/admin");
            const association = inputsOf(one(prod.resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"));
            expect(association.policyArn).to.equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
            expect(association.accessScope).to.deep.equal({ type: "cluster" });
        });

        it("encrypts Secrets with its own rotating KMS key", () => {
            const key = one(dev.resources, "aws:kms/key:Key");
            expect(inputsOf(key).enableKeyRotation).to.equal(true);
            const cluster = inputsOf(one(dev.resources, "aws:eks/cluster:Cluster"));
            expect(cluster.encryptionConfig.resources).to.deep.equal(["secrets"]);
            expect(cluster.encryptionConfig.provider.keyArn).to.match(/^arn:aws:kms:eu-central-1:\d{12}:key\//);
            expect(one(dev.resources, "aws:eks/cluster:Cluster").dependencies).to.include(key.urn);
        });

        it("ships all five control-plane log types to a log group with a retention period", () => {
            const cluster = inputsOf(one(dev.resources, "aws:eks/cluster:Cluster"));
            expect(cluster.enabledClusterLogTypes).to.have.members(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
            const logs = inputsOf(one(dev.resources, "aws:cloudwatch/logGroup:LogGroup"));
            expect(logs.name).to.equal("/aws/eks/demo/cluster");
            expect(logs.retentionInDays).to.equal(30);
            expect(inputsOf(one(prod.resources, "aws:cloudwatch/logGroup:LogGroup")).retentionInDays).to.equal(90);
        });

        it("uses the requested Kubernetes version, and protects production from deletion", () => {
            expect(inputsOf(one(dev.resources, "aws:eks/cluster:Cluster")).version).to.equal("1.33");
            expect(inputsOf(one(dev.resources, "aws:eks/cluster:Cluster")).deletionProtection).to.equal(false);
            const prodCluster = inputsOf(one(prod.resources, "aws:eks/cluster:Cluster"));
            expect(prodCluster.deletionProtection).to.equal(true);
            expect(prodCluster.upgradePolicy).to.deep.equal({ supportType: "EXTENDED" });
        });

        it("trusts the cluster's OIDC issuer for IRSA", () => {
            const oidc = inputsOf(one(dev.resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider"));
            expect(oidc.url).to.match(/^https:\/\/oidc\.eks\.eu-central-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
            expect(oidc.clientIdLists).to.deep.equal(["sts.amazonaws.com"]);
        });
    });

    describe("managed add-ons", () => {
        const addons = (e: StackEvaluation) => ofType(e.resources, "aws:eks/addon:Addon");
        const addon = (e: StackEvaluation, name: string) => addons(e).find((a) => inputsOf(a).addonName === name)!;

        it("installs the five managed add-ons at the default version for the cluster's Kubernetes version", () => {
            expect(addons(dev).map((a) => inputsOf(a).addonName)).to.have.members([
                "vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "aws-ebs-csi-driver",
            ]);
            expect(inputsOf(addon(dev, "coredns")).addonVersion).to.equal("v1.12.2-eksbuild.4");
        });

        it("gives vpc-cni and the EBS CSI driver their own Pod Identity roles, after the agent exists", () => {
            const agent = addon(dev, "eks-pod-identity-agent");
            for (const [name, serviceAccount, policy] of [
                ["vpc-cni", "aws-node", "AmazonEKS_CNI_Policy"],
                ["aws-ebs-csi-driver", "ebs-csi-controller-sa", "AmazonEBSCSIDriverPolicy"],
            ]) {
                const a = addon(dev, name);
                const [association] = inputsOf(a).podIdentityAssociations;
                expect(association.serviceAccount).to.equal(serviceAccount);
                expect(a.dependencies).to.include(agent.urn);
                const role = ofType(dev.resources, "aws:iam/role:Role").find((r) => r.name === `demo-${name}`)!;
                expect(JSON.parse(inputsOf(role).assumeRolePolicy).Statement[0].Principal.Service).to.equal("pods.eks.amazonaws.com");
                const attachment = ofType(dev.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").find((r) => r.name === `demo-${name}`)!;
                expect(inputsOf(attachment).policyArn).to.match(new RegExp(`^arn:aws:iam::aws:policy/(service-role/)?${policy}$`));
            }
        });

        it("installs networking before the system nodes and CoreDNS only once nodes exist", () => {
            const nodes = one(dev.resources, "aws:eks/nodeGroup:NodeGroup");
            for (const early of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) {
                expect(nodes.dependencies).to.include(addon(dev, early).urn);
            }
            expect(addon(dev, "coredns").dependencies).to.include(nodes.urn);
            expect(addon(dev, "aws-ebs-csi-driver").dependencies).to.include(nodes.urn);
        });
    });

    describe("system node group", () => {
        it("is a small group on private subnets, tainted for critical add-ons: spot outside production, on demand in production", () => {
            const nodes = inputsOf(one(dev.resources, "aws:eks/nodeGroup:NodeGroup"));
            expect(nodes.capacityType).to.equal("SPOT");
            expect(nodes.instanceTypes).to.deep.equal(["m6i.large", "m6a.large", "m7i.large"]);
            expect(inputsOf(one(prod.resources, "aws:eks/nodeGroup:NodeGroup")).capacityType).to.equal("ON_DEMAND");
            expect(nodes.scalingConfig).to.deep.equal({ minSize: 1, maxSize: 2, desiredSize: 1 });
            expect(nodes.subnetIds).to.have.length(3);
            expect(nodes.taints).to.deep.equal([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
        });

        it("has no SSH path: no remote access, no key pair, no port 22 rule, no SSM shell policy", () => {
            const nodes = inputsOf(one(dev.resources, "aws:eks/nodeGroup:NodeGroup"));
            expect(nodes).to.not.have.property("remoteAccess");
            expect(inputsOf(one(dev.resources, "aws:ec2/launchTemplate:LaunchTemplate"))).to.not.have.property("keyName");
            expect(ofType(dev.resources, "aws:ec2/keyPair:KeyPair")).to.be.empty;
            const rules = dev.resources.filter((r) => /securityGroup|SecurityGroupIngressRule/.test(r.type)).map(inputsOf);
            expect(rules.filter((r) => JSON.stringify(r).includes("22"))).to.be.empty;
            const nodePolicies = ofType(dev.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((r) => r.name.startsWith("demo-node-"))
                .map((r) => String(inputsOf(r).policyArn));
            expect(nodePolicies).to.have.length(2);
            expect(nodePolicies.some((p) => p.includes("SSM"))).to.be.false;
        });

        it("requires IMDSv2 with one hop and an encrypted gp3 root volume", () => {
            const template = inputsOf(one(dev.resources, "aws:ec2/launchTemplate:LaunchTemplate"));
            expect(template.metadataOptions).to.deep.equal({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
            expect(template.blockDeviceMappings[0].ebs).to.include({ volumeType: "gp3", encrypted: "true" });
        });

        it("leaves the node count to the autoscaler after creation", () => {
            expect(one(dev.resources, "aws:eks/nodeGroup:NodeGroup").ignoreChanges).to.deep.equal(["scalingConfig.desiredSize"]);
        });
    });

    it("tags every taggable resource with environment, owner, cost centre, managed-by and the user's tags", () => {
        const taggable = dev.resources.filter((r) => r.custom && r.type.startsWith("aws:") && tagArgumentsOf(r.type, ["tags"]).length > 0);
        expect(taggable.length).to.be.greaterThan(25);
        for (const resource of taggable) {
            expect(inputsOf(resource).tags, `${resource.type} ${resource.name}`).to.include({
                environment: "dev",
                owner: "platform-team",
                "cost-center": "cc-1001",
                "managed-by": "paved-road",
                "team-channel": "platform",
            });
        }
    });

    it("hands out a secret kubeconfig that authenticates with `aws eks get-token`, never a static token", () => {
        expect(isSecret(dev.outputs.kubeconfig)).to.be.true;
        const provider = one(dev.resources, "pulumi:providers:kubernetes");
        expect(isSecret(provider.inputs.kubeconfig)).to.be.true;
        const config = JSON.parse(inputsOf(provider).kubeconfig);
        const user = config.users[0].user;
        expect(user).to.not.have.property("token");
        expect(user.exec.command).to.equal("aws");
        expect(user.exec.args).to.deep.equal(["--region", "eu-central-1", "eks", "get-token", "--cluster-name", "demo", "--output", "json"]);
        // The API server address in the shape EKS reports it (https://<32 hex>.gr7.<region>.eks.amazonaws.com), the cluster's own.
        expect(config.clusters[0].cluster.server).to.match(/^https:\/\/[0-9A-F]{32}\.gr7\.eu-central-1\.eks\.amazonaws\.com$/);
        expect(dev.outputs.endpoint).to.equal(config.clusters[0].cluster.server);
    });

    describe("validation", () => {
        const problemPaths = (args: EksClusterArgs) => eksClusterProblems(resolveEksClusterArgs("demo", args)).list.map((p) => p.propertyPath);
        const cases: [string, Partial<EksClusterArgs>, string][] = [
            ["a public endpoint without allowed CIDRs", { publicEndpoint: true }, "publicAccessCidrs"],
            ["a public endpoint open to the whole internet", { publicEndpoint: true, publicAccessCidrs: ["0.0.0.0/0"] }, "publicAccessCidrs[0]"],
            ["fewer than two availability zones", { availabilityZoneCount: 1 }, "availabilityZoneCount"],
            ["a malformed Kubernetes version", { kubernetesVersion: "v1.33.2" }, "kubernetesVersion"],
            ["an empty node group size range", { systemPool: { minSize: 0, maxSize: 0 } }, "systemPool.maxSize"],
            ["a minimum above the maximum", { systemPool: { minSize: 3, maxSize: 2 } }, "systemPool.minSize"],
            ["a VPC range with host bits set", { vpcCidr: "10.0.0.1/16" }, "vpcCidr"],
            ["a VPC too small for per-zone pod subnets", { vpcCidr: "10.0.0.0/24" }, "vpcCidr"],
            ["a log retention CloudWatch does not offer", { logRetentionDays: 45 }, "logRetentionDays"],
            ["an unknown NAT mode", { natGateways: "none" as never }, "natGateways"],
            ["a missing owner tag", { tags: { ...tags, owner: "" } }, "tags.owner"],
            ["a user tag overriding a platform tag", { tags: { ...tags, extra: { "managed-by": "me" } } }, "tags.extra.managed-by"],
        ];

        it("accepts the happy arguments", () => {
            expect(problemPaths(happy)).to.deep.equal([]);
            expect(problemPaths({ ...happy, publicEndpoint: true, publicAccessCidrs: ["203.0.113.0/24"] })).to.deep.equal([]);
        });

        for (const [what, change, path] of cases) {
            it(`rejects ${what} at ${path}`, () => {
                expect(problemPaths({ ...happy, ...change })).to.deep.equal([path]);
            });
        }

        it("throws one InputPropertiesError naming every bad property, its value and a fix, before creating anything", async () => {
            const failure = await runFailing(() => {
                new EksCluster("bad", { ...happy, kubernetesVersion: "latest", availabilityZoneCount: 1, publicEndpoint: true });
            });
            expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
            const error = failure.cause as pulumi.InputPropertiesError;
            expect(error.errors.map((e) => e.propertyPath)).to.deep.equal(["kubernetesVersion", "availabilityZoneCount", "publicAccessCidrs"]);
            expect(error.message).to.include('got "latest"').and.include('e.g. "1.33"');
            expect(error.errors[1].reason).to.include("got 1").and.include("e.g. 3");
            const registered = failure.resources.filter((r: RecordedResource) => r.type !== "pulumi:pulumi:Stack" && r.type !== "paved:cluster:EksCluster");
            expect(registered).to.be.empty;
        });

        it("fails with the region's zone list when it has fewer zones than requested", async () => {
            const failure = await runFailing(() => {
                const provider = new AwsProvider("aws", { region: "eu-central-1" });
                new EksCluster("zones", { ...happy, availabilityZoneCount: 4 }, { providers: [provider] });
            });
            expect(failure.message).to.include("offers only 3 zones (eu-central-1a, eu-central-1b, eu-central-1c)");
        });
    });
});
