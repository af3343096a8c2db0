import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import {
    MOCK_AWS_ACCOUNT,
    MOCK_GCP_PROJECT_NUMBER,
    awsPartition,
    awsZones,
    eksAddonVersion,
    existingVpc,
    gkeEngineVersions,
    ssmParameterValue,
} from "./cloud-answers";
import { Recorder } from "./recorder";
import { readStackConfig } from "./stack-file";

type Inputs = Record<string, unknown>;

/** A string input, or "" when absent. */
function str(value: unknown): string {
    return typeof value === "string" ? value : "";
}

/** An error that keeps its message across the mock monitor's gRPC-shaped boundary. */
function mockError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

/**
 * A deterministic hash for fake ids and endpoints. The stack's own name is left out, so the same
 * resource in two stacks (primary and standby) gets the same fake id and diffs show real differences.
 */
function shortHash(text: string, length = 8): string {
    const stack = pulumi.runtime.getStack();
    return createHash("sha256").update(stack ? text.split(stack).join("{stack}") : text).digest("hex").slice(0, length);
}

/**
 * Strict offline mocks: an invoke the platform does not use fails with its token, and every
 * resource gets a non-empty id plus the computed outputs its cloud would report (ARNs, endpoints,
 * CA data, e-mails), derived deterministically from its inputs so runs are reproducible.
 */
export class OfflineMocks implements pulumi.runtime.Mocks {
    constructor(
        private readonly recorder: Recorder,
        private readonly defaults: { awsRegion?: string; projectDir?: string } = {},
    ) {}

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const inputs = args.inputs as Inputs;
        const region = this.awsRegion(args.provider);
        switch (args.token) {
            case "aws:index/getPartition:getPartition": {
                const partition = awsPartition(region);
                const dnsSuffix = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
                return { id: partition, partition, dnsSuffix, reverseDnsPrefix: dnsSuffix.split(".").reverse().join(".") };
            }
            case "aws:index/getRegion:getRegion":
                return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { id: MOCK_AWS_ACCOUNT, accountId: MOCK_AWS_ACCOUNT, arn: `arn:aws:iam::${MOCK_AWS_ACCOUNT}:role/deployer`, userId: "AROAEXAMPLE" };
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return { id: region, ...awsZones(region), groupNames: [region] };
            case "aws:eks/getAddonVersion:getAddonVersion":
                try {
                    return { ...inputs, id: inputs.addonName, version: eksAddonVersion(str(inputs.addonName), str(inputs.kubernetesVersion)) };
                } catch (e) {
                    throw mockError((e as Error).message);
                }
            case "aws:ssm/getParameter:getParameter":
                try {
                    const name = str(inputs.name);
                    const value = ssmParameterValue(name);
                    return { id: name, name, type: "String", value, insecureValue: value, version: 1, withDecryption: true, arn: `arn:${awsPartition(region)}:ssm:${region}::parameter${name}` };
                } catch (e) {
                    throw mockError((e as Error).message);
                }
            case "aws:ec2/getVpc:getVpc": {
                // An existing VPC (bring your own network): its primary range, as DescribeVpcs reports it.
                const vpc = existingVpc(str(inputs.id));
                return { ...vpc, arn: `arn:${awsPartition(region)}:ec2:${region}:${MOCK_AWS_ACCOUNT}:vpc/${vpc.id}`, ownerId: MOCK_AWS_ACCOUNT };
            }
            case "aws:route53/getZone:getZone": {
                const name = str(inputs.name).replace(/\.$/, "");
                return { id: `Z${shortHash(name, 12).toUpperCase()}`, zoneId: `Z${shortHash(name, 12).toUpperCase()}`, name, privateZone: false, arn: `arn:aws:route53:::hostedzone/${name}` };
            }
            case "gcp:organizations/getProject:getProject":
                return { id: `projects/${str(inputs.projectId)}`, projectId: inputs.projectId, number: MOCK_GCP_PROJECT_NUMBER, name: inputs.projectId };
            case "gcp:container/getEngineVersions:getEngineVersions":
                return { id: `${str(inputs.project)}/${str(inputs.location)}`, ...inputs, ...gkeEngineVersions(str(inputs.versionPrefix)) };
            default:
                throw mockError(`Mock not implemented: ${args.token} (the offline evaluation answers only the look-ups the platform uses)`);
        }
    }

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const inputs = args.inputs as Inputs;
        const physicalName = str(inputs.name) || `${args.name}-${shortHash(args.type + args.name, 7)}`;
        const id = args.id || this.idOf(args.type, physicalName, inputs) || `${args.name}-${shortHash(args.name)}`;
        const region = this.awsRegion(args.provider);
        const state: Inputs = { ...inputs, ...(args.custom ? { name: physicalName } : {}) };
        if (args.type.startsWith("aws:")) {
            const service = args.type.split(":")[1].split("/")[0];
            const where = service === "iam" ? "" : region; // IAM is global: its ARNs name no region
            const kind = args.type.split(":")[2].toLowerCase();
            state.arn = `arn:${awsPartition(region)}:${service}:${where}:${MOCK_AWS_ACCOUNT}:${kind}/${physicalName}`;
        }
        Object.assign(state, this.computed(args.type, physicalName, inputs, region));
        if (args.type === "pulumi:pulumi:StackReference") return { id: str(inputs.name), state: this.stackReference(str(inputs.name)) };
        return { id, state };
    }

    /** Ids in the form the cloud reports them, for the types whose id other resources consume. */
    private idOf(type: string, physicalName: string, inputs: Inputs): string | undefined {
        switch (type) {
            case "gcp:kms/keyRing:KeyRing":
                return `projects/${str(inputs.project)}/locations/${str(inputs.location)}/keyRings/${physicalName}`;
            case "gcp:kms/cryptoKey:CryptoKey":
                return `${str(inputs.keyRing)}/cryptoKeys/${physicalName}`;
            case "gcp:compute/network:Network":
                return `projects/${str(inputs.project)}/global/networks/${physicalName}`;
            case "gcp:compute/subnetwork:Subnetwork":
                return `projects/${str(inputs.project)}/regions/${str(inputs.region)}/subnetworks/${physicalName}`;
            case "gcp:container/cluster:Cluster":
                return `projects/${str(inputs.project)}/locations/${str(inputs.location)}/clusters/${physicalName}`;
            default:
                return type.startsWith("gcp:") ? physicalName : undefined;
        }
    }

    /** Outputs that only the cloud knows, for the resource types other resources read from. */
    private computed(type: string, physicalName: string, inputs: Inputs, region: string): Inputs {
        const hex = shortHash(physicalName, 32).toUpperCase();
        const caData = Buffer.from(`-----BEGIN CERTIFICATE-----\nmock CA of ${physicalName}\n-----END CERTIFICATE-----\n`).toString("base64");
        switch (type) {
            case "aws:eks/cluster:Cluster":
                return {
                    endpoint: `https://${hex}.gr7.${region}.eks.amazonaws.com`,
                    certificateAuthority: { data: caData },
                    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${hex}` }] }],
                    vpcConfig: { ...(inputs.vpcConfig as Inputs), clusterSecurityGroupId: `sg-${shortHash(hex, 17)}` },
                    status: "ACTIVE",
                };
            case "aws:eks/nodeGroup:NodeGroup": {
                // With a name prefix, the provider appends a 26-digit unique suffix.
                const nodeGroupName = str(inputs.nodeGroupName) || `${str(inputs.nodeGroupNamePrefix) || physicalName}${"2026".padEnd(26, "0")}`;
                return {
                    nodeGroupName,
                    resources: [{ autoscalingGroups: [{ name: `eks-${nodeGroupName}-${shortHash(nodeGroupName, 8)}-0000-0000-0000-${shortHash(hex, 12)}` }] }],
                    status: "ACTIVE",
                };
            }
            case "aws:ec2/launchTemplate:LaunchTemplate":
                return { latestVersion: 1, defaultVersion: 1 };
            case "gcp:container/cluster:Cluster":
                return {
                    endpoint: "172.16.0.2",
                    masterAuth: { ...(inputs.masterAuth as Inputs), clusterCaCertificate: caData },
                    selfLink: `https://container.googleapis.com/v1/projects/${str(inputs.project)}/locations/${str(inputs.location)}/clusters/${physicalName}`,
                };
            case "kubernetes:gateway.networking.k8s.io/v1:Gateway":
                // What a cloud load balancer in front of the Gateway reports: a hostname on AWS, an IP on GCP.
                return {
                    status: {
                        addresses: [
                            { type: "Hostname", value: `k8s-gateway-${shortHash(physicalName, 10)}.elb.${region}.amazonaws.com` },
                            { type: "IPAddress", value: "203.0.113.10" },
                        ],
                    },
                };
            case "gcp:serviceaccount/account:Account":
                return { email: `${str(inputs.accountId)}@${str(inputs.project)}.iam.gserviceaccount.com` };
            default:
                return {};
        }
    }

    /**
     * A StackReference answers with the outputs a regional stack exports, shaped from the referenced
     * stack's own config file; a stack with no Pulumi.<stack>.yaml in the repository is an error, as
     * a reference to a missing stack is for the engine.
     */
    private stackReference(name: string): Inputs {
        const stack = name.split("/").pop() ?? name;
        const dir = this.defaults.projectDir;
        let config: Record<string, string>;
        try {
            if (!dir) throw new Error("no project directory to read it from");
            config = readStackConfig(dir, stack).config;
        } catch (e) {
            throw mockError(`StackReference ${name}: the stack is not in this repository (${(e as Error).message})`);
        }
        const region = config["paved:region"] ?? "us-east-1";
        const clusterName = `paved-${stack}`;
        const endpoint = `https://${shortHash(clusterName, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
        const kubeconfig = JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: clusterName, cluster: { server: endpoint } }] });
        return {
            name,
            outputs: {
                cloud: config["paved:cloud"],
                region,
                clusterName,
                endpoint,
                kubeconfig,
                gatewayHostname: `k8s-gateway-${shortHash(stack, 10)}.elb.${region}.amazonaws.com`,
                gatewayAddress: "203.0.113.10",
            },
            secretOutputNames: ["kubeconfig"],
        };
    }

    /** The region of the AWS provider an invoke or resource goes through, as the real provider knows it. */
    private awsRegion(providerRef: string | undefined): string {
        const urn = providerRef?.split("::").slice(0, -1).join("::");
        const provider = urn ? this.recorder.get(urn) : undefined;
        const region = provider?.inputs.region;
        return typeof region === "string" ? region : (this.defaults.awsRegion ?? "us-east-1");
    }
}
