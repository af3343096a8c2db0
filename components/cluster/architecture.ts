/**
 * A node's CPU architecture, read from its instance (machine) type, so the AMI type and the labels
 * follow the types a pool names instead of being assumed. Pure: tested without Pulumi.
 */
import { Problems, show } from "../validation";

/** Architectures as the kubelet reports them in the `kubernetes.io/arch` label. */
export type Architecture = "amd64" | "arm64";

/**
 * EC2: "Amazon EC2 instance type naming conventions"
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html): a type is
 * `<series><generation><options>.<size>`, and the first option letter after the generation digit is the
 * processor family, where `g` means AWS Graviton (m7g, c6gn, x2gd, im4gn, g5g). `a1`, the first
 * Graviton generation, predates the rule. Checked against every type in Cluster Autoscaler's list
 * (vendor/upstream/cluster-autoscaler/ec2_instance_types.go).
 */
export function ec2Architecture(instanceType: string): Architecture {
    const family = instanceType.split(".")[0].split("-")[0];
    return family === "a1" || /^[a-z]+\d+g/.test(family) ? "arm64" : "amd64";
}

/**
 * GCE: the Arm machine series ("Arm VMs on Compute", https://cloud.google.com/compute/docs/instances/arm-on-compute):
 * T2A (Ampere Altra), C4A and N4A (Google Axion), A4X (NVIDIA Grace). Every other series is x86.
 */
export const GCE_ARM_SERIES: readonly string[] = ["t2a", "c4a", "n4a", "a4x"];

export function gceArchitecture(machineType: string): Architecture {
    return GCE_ARM_SERIES.includes(machineType.split("-")[0]) ? "arm64" : "amd64";
}

export function architectureOf(cloud: "aws" | "gcp", type: string): Architecture {
    return cloud === "aws" ? ec2Architecture(type) : gceArchitecture(type);
}

/** EKS AMI types (EKS API `Nodegroup.amiType`): the AL2023 standard image of each architecture. */
export const AMI_TYPES = { amd64: "AL2023_x86_64_STANDARD", arm64: "AL2023_ARM_64_STANDARD" } as const satisfies Record<Architecture, string>;
export type AmiType = (typeof AMI_TYPES)[Architecture];

/** The one architecture of a pool's types; the first type's when they are mixed (a problem reported by `checkOneArchitecture`). */
export function poolArchitecture(cloud: "aws" | "gcp", types: readonly string[]): Architecture {
    return types.length > 0 ? architectureOf(cloud, types[0]) : "amd64";
}

/**
 * One pool, one architecture: nodes of a pool are interchangeable, and an image built for one
 * architecture crash-loops on the other. Names the types of each architecture.
 */
export function checkOneArchitecture(problems: Problems, path: string, cloud: "aws" | "gcp", types: unknown): void {
    if (!Array.isArray(types) || !types.every((t) => typeof t === "string")) return;
    const arm = types.filter((t) => architectureOf(cloud, t) === "arm64");
    const x86 = types.filter((t) => architectureOf(cloud, t) === "amd64");
    if (arm.length === 0 || x86.length === 0) return;
    const example = cloud === "aws" ? '["m7g.large", "m6g.large", "m8g.large"] or ["m6i.large", "m6a.large", "m7i.large"]' : '["c4a-standard-4", "t2a-standard-4"] or ["n2-standard-4", "n2d-standard-4"]';
    problems.add(
        path,
        `got ${show(types)}: mixes Arm (${arm.join(", ")}) and x86 (${x86.join(", ")}) types; a pool's nodes run one image, so use one architecture per pool, e.g. ${example}`,
    );
}
