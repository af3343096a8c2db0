/**
 * Checks of cloud identifiers that can be made offline, before any look-up: the shape of AWS resource
 * IDs and ARNs, and GCP resource names. A value only known at deployment (a Pulumi Output, e.g. from
 * a StackReference) is left to the cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import { Problems, show } from "../validation";

/** Known only at deployment: nothing to check offline. */
export function isDeferred(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/**
 * AWS resource IDs are `<prefix>-` and 8 or (since 2018's longer IDs) 17 lowercase hex digits
 * (EC2 User Guide, "Resource IDs"), e.g. "vpc-0a1b2c3d4e5f67890".
 */
export const AWS_ID_EXAMPLES = { vpc: "vpc-0a1b2c3d4e5f67890", subnet: "subnet-0a1b2c3d4e5f67890", sg: "sg-0a1b2c3d4e5f67890" } as const;
type AwsIdPrefix = keyof typeof AWS_ID_EXAMPLES;
const AWS_ID_NAMES: Record<AwsIdPrefix, string> = { vpc: "a VPC ID", subnet: "a subnet ID", sg: "a security group ID" };

export function isAwsId(prefix: AwsIdPrefix, value: unknown): boolean {
    return typeof value === "string" && new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(value);
}

export function checkAwsId(problems: Problems, path: string, prefix: AwsIdPrefix, value: unknown): void {
    if (isDeferred(value)) return;
    problems.check(
        isAwsId(prefix, value),
        path,
        `got ${show(value)}: ${AWS_ID_NAMES[prefix]} is "${prefix}-" and 8 or 17 lowercase hex digits, e.g. "${AWS_ID_EXAMPLES[prefix]}"`,
    );
}

/** A list of IDs: each well-formed, no repeats, at least `min`. */
export function checkAwsIds(problems: Problems, path: string, prefix: AwsIdPrefix, values: unknown, min: number, why: string): void {
    if (!Array.isArray(values)) {
        problems.add(path, `got ${show(values)}: expected a list of ${AWS_ID_NAMES[prefix]}s, e.g. ["${AWS_ID_EXAMPLES[prefix]}"]`);
        return;
    }
    values.forEach((v, i) => checkAwsId(problems, `${path}[${i}]`, prefix, v));
    const plain = values.filter((v) => typeof v === "string");
    const example = `["${AWS_ID_EXAMPLES[prefix]}", "${AWS_ID_EXAMPLES[prefix].replace(/0$/, "1")}"]`;
    problems.check(values.length >= min, path, `got ${show(values)}: ${why}, e.g. ${example}`);
    problems.check(new Set(plain).size === plain.length, path, `got ${show(values)}: an ID is listed twice; list each once, e.g. ${example}`);
}

/** An IAM role's ARN, in any partition, with an optional path. */
export const ROLE_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

export function checkRoleArn(problems: Problems, path: string, value: unknown): void {
    if (isDeferred(value)) return;
    problems.check(
        typeof value === "string" && ROLE_ARN.test(value),
        path,
        `got ${show(value)}: an IAM role ARN, e.g. "arn:aws:iam::123456789012:role/eks-nodes"`,
    );
}

/**
 * GCP resource names (networks, subnetworks, secondary ranges, clusters): RFC 1035 labels, 1-63
 * lowercase letters, digits and "-", starting with a letter and not ending with "-"
 * (Compute Engine API, "Naming resources").
 */
export const GCP_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function checkGcpName(problems: Problems, path: string, value: unknown, what: string, example: string, max = 63): void {
    if (isDeferred(value)) return;
    const ok = typeof value === "string" && GCP_NAME.test(value) && value.length <= max;
    problems.check(ok, path, `got ${show(value)}: ${what} is 1-${max} lowercase letters, digits and "-", starting with a letter and not ending with "-", e.g. "${example}"`);
}
