import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { EksClusterArgs, eksClusterProblems, resolveEksClusterArgs } from "../components/cluster/eks-args";
import { GkeClusterArgs, gkeClusterProblems, resolveGkeClusterArgs } from "../components/cluster/gke-args";
import { CostTags } from "../components/tags";
import { Problem, show } from "../components/validation";

/** Config namespace: keys are written `paved:<key>` in `Pulumi.<stack>.yaml` (the project's name). */
export const NAMESPACE = "paved";
/** Roles a stack can play; `global`, `preview` and `local` arrive with their issues. */
export const ROLES = ["regional"] as const;
export type Role = (typeof ROLES)[number];

interface StackConfigBase {
    readonly stack: string;
    readonly role: Role;
    readonly environment: string;
    readonly production: boolean;
    readonly region: string;
    readonly domain: string;
    readonly tags: CostTags;
}
export type StackConfig = StackConfigBase &
    (
        | { readonly cloud: "aws"; readonly cluster: EksClusterArgs }
        | { readonly cloud: "gcp"; readonly gcpProject: string; readonly cluster: GkeClusterArgs }
    );

/** The cluster component's name, and so its default cloud name: one per stack. */
export function clusterNameOf(stack: string): string {
    return `paved-${stack}`;
}

/** Bad stack config: one error listing every bad key. A `RunError`, so Pulumi prints it without a stack trace. */
export class StackConfigError extends pulumi.RunError {
    constructor(public readonly file: string, public readonly problems: readonly Problem[]) {
        super(
            `${file}: ${problems.length} invalid config value(s); nothing was created:\n` +
                problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n"),
        );
        this.name = "StackConfigError";
    }
}

/** A valid value for each key, shown with every problem so the fix is obvious. */
const EXAMPLES: Record<string, string> = {
    cloud: "aws",
    role: "regional",
    environment: "dev",
    region: "us-east-1",
    domain: "dev.example.com",
    owner: "platform-team",
    costCenter: "cc-1234",
    production: "false",
    tags: '{ "team-channel": "#platform" }',
    gcpProject: "acme-platform-dev",
    cluster: '{ kubernetesVersion: "1.33" }',
    "cluster.kubernetesVersion": '"1.33"',
    "cluster.clusterName": "paved-dev",
    "cluster.vpcCidr": "10.0.0.0/16",
    "cluster.availabilityZoneCount": "3",
    "cluster.natGateways": "single",
    "cluster.publicEndpoint": "false",
    "cluster.publicAccessCidrs": '["203.0.113.0/24"]',
    "cluster.adminRoleArns": '["arn:aws:iam::123456789012:role/platform-admin"]',
    "cluster.bootstrapCreatorAdmin": "true",
    "cluster.logRetentionDays": "90",
    "cluster.releaseChannel": "REGULAR",
    "cluster.nodeCidr": "10.10.0.0/20",
    "cluster.podCidr": "10.16.0.0/14",
    "cluster.serviceCidr": "10.20.0.0/20",
    "cluster.masterCidr": "172.16.0.0/28",
    "cluster.authorizedNetworks": '[{ cidrBlock: "203.0.113.0/24", displayName: "office" }]',
    "cluster.deletionProtection": "true",
    "cluster.systemPool": '{ instanceTypes: ["m6i.large"], minSize: 1, maxSize: 3, diskSizeGiB: 50 }',
    "cluster.systemPool.instanceTypes": '["m6i.large", "m6a.large"]',
    "cluster.systemPool.minSize": "1",
    "cluster.systemPool.maxSize": "3",
    "cluster.systemPool.diskSizeGiB": "50",
};

function exampleFor(path: string): string {
    for (let p = path; p !== ""; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
        const bare = p.replace(/\[\d+\]/g, "");
        if (EXAMPLES[bare]) return EXAMPLES[bare];
    }
    return "see the config reference in README.md";
}

const text = z.string().trim().min(1, "must not be empty");
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

const topLevel = z.strictObject({
    cloud: z.enum(["aws", "gcp"]),
    role: z.enum(ROLES),
    environment: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, "use lowercase letters, digits and '-' (at most 20), starting with a letter"),
    region: text,
    domain: z.string().regex(DNS_NAME, "must be a lowercase DNS name"),
    owner: text,
    costCenter: text,
    production: z.boolean().optional(),
    tags: z.record(z.string(), z.string()).optional(),
    gcpProject: z.string().optional(),
    cluster: z.record(z.string(), z.unknown()),
});

const systemPool = z.strictObject({
    instanceTypes: z.array(z.string()).optional(),
    minSize: z.number().optional(),
    maxSize: z.number().optional(),
    diskSizeGiB: z.number().optional(),
});
const awsCluster = z.strictObject({
    kubernetesVersion: z.string(),
    clusterName: z.string().optional(),
    vpcCidr: z.string().optional(),
    availabilityZoneCount: z.number().optional(),
    natGateways: z.enum(["perZone", "single"]).optional(),
    publicEndpoint: z.boolean().optional(),
    publicAccessCidrs: z.array(z.string()).optional(),
    adminRoleArns: z.array(z.string()).optional(),
    bootstrapCreatorAdmin: z.boolean().optional(),
    logRetentionDays: z.number().optional(),
    systemPool: systemPool.optional(),
});
const gcpCluster = z.strictObject({
    kubernetesVersion: z.string(),
    releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"]).optional(),
    nodeCidr: z.string().optional(),
    podCidr: z.string().optional(),
    serviceCidr: z.string().optional(),
    masterCidr: z.string().optional(),
    publicEndpoint: z.boolean().optional(),
    authorizedNetworks: z.array(z.strictObject({ cidrBlock: z.string(), displayName: z.string() })).optional(),
    deletionProtection: z.boolean().optional(),
    systemPool: systemPool.optional(),
});

/** Config values arrive as strings; objects and arrays as JSON, booleans as "true"/"false". */
function parseValue(raw: string): unknown {
    if (raw === "true") return true;
    if (raw === "false") return false;
    if (/^\s*[[{]/.test(raw)) {
        try {
            return JSON.parse(raw);
        } catch {
            return raw;
        }
    }
    return raw;
}

/** Where a component argument comes from in stack config. */
function configPathOf(argPath: string): string {
    const direct: Record<string, string> = {
        "tags.environment": "environment",
        "tags.owner": "owner",
        "tags.costCenter": "costCenter",
        project: "gcpProject",
        region: "region",
    };
    if (direct[argPath]) return direct[argPath];
    if (argPath.startsWith("tags.extra.")) return `tags.${argPath.slice("tags.extra.".length)}`;
    return `cluster.${argPath}`;
}

export interface LoadOptions {
    /** The stack's name, e.g. "dev". */
    readonly stack: string;
    /** Keys (`paved:x`) whose values are secret and so never appear in an error. */
    readonly isSecret?: (key: string) => boolean;
}

/**
 * Reads and validates every `paved:*` setting at once into one typed object. Throws one
 * `StackConfigError` listing every bad key, its value, the reason and a valid example,
 * before any resource exists.
 */
export function loadStackConfig(allConfig: Readonly<Record<string, string>>, options: LoadOptions): StackConfig {
    const file = `Pulumi.${options.stack}.yaml`;
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(allConfig)) {
        if (key.startsWith(`${NAMESPACE}:`)) raw[key.slice(NAMESPACE.length + 1)] = parseValue(value);
    }
    const problems: Problem[] = [];
    const secret = (path: string) => options.isSecret?.(`${NAMESPACE}:${path.split(/[.[]/)[0]}`) ?? false;
    const add = (path: string, reason: string) =>
        problems.push({
            propertyPath: `${NAMESPACE}:${path}`,
            reason: secret(path) ? "invalid (its value is secret and not shown)" : reason,
        });
    const cloud = raw.cloud === "aws" || raw.cloud === "gcp" ? raw.cloud : undefined;
    const addZodIssues = (issues: readonly z.core.$ZodIssue[], prefix: string) => {
        for (const issue of issues) {
            const path = [prefix, ...issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))].join("").replace(/^\./, "");
            if (issue.code === "unrecognized_keys") {
                for (const key of issue.keys) {
                    const full = path ? `${path}.${key}` : key;
                    add(full, `unknown key (a typo?); known keys here: ${knownKeys(path, cloud).join(", ")}`);
                }
            } else {
                add(path, `got ${show(issue.input)}: ${issue.message}; e.g. ${exampleFor(path)}`);
            }
        }
    };

    const top = topLevel.safeParse(raw, { reportInput: true });
    if (!top.success) addZodIssues(top.error.issues, "");
    const clusterSchema = cloud === "gcp" ? gcpCluster : awsCluster;
    const clusterRaw = raw.cluster;
    const cluster = clusterRaw && typeof clusterRaw === "object" ? clusterSchema.safeParse(clusterRaw, { reportInput: true }) : undefined;
    if (cloud && cluster && !cluster.success) addZodIssues(cluster.error.issues, "cluster");
    if (cloud === "aws" && typeof raw.region === "string" && !AWS_REGION.test(raw.region)) {
        add("region", `got ${show(raw.region)}: not an AWS region name; e.g. us-east-1`);
    }
    if (cloud === "gcp" && raw.gcpProject === undefined) {
        add("gcpProject", `missing: a GCP stack must name its project; e.g. ${EXAMPLES.gcpProject}`);
    }
    if (cloud === "aws" && raw.gcpProject !== undefined) {
        add("gcpProject", `got ${show(raw.gcpProject)} on an AWS stack: remove it, or set paved:cloud: gcp`);
    }

    if (problems.length > 0 || !top.success || !cluster?.success) throw new StackConfigError(file, problems);

    // Shape is right; now the components' own rules, reported against the config keys they came from.
    const c = top.data;
    const production = c.production ?? c.environment === "prod";
    const tags: CostTags = { environment: c.environment, owner: c.owner, costCenter: c.costCenter, extra: c.tags ?? {} };
    const base = { stack: options.stack, role: c.role, environment: c.environment, production, region: c.region, domain: c.domain, tags };
    let config: StackConfig;
    if (c.cloud === "aws") {
        const args: EksClusterArgs = { ...(cluster.data as z.infer<typeof awsCluster>), tags, production };
        for (const p of eksClusterProblems(resolveEksClusterArgs(clusterNameOf(options.stack), args)).list) add(configPathOf(p.propertyPath), p.reason);
        config = { ...base, cloud: "aws", cluster: args };
    } else {
        const gcpProject = c.gcpProject ?? "";
        const args: GkeClusterArgs = { ...(cluster.data as z.infer<typeof gcpCluster>), tags, production, project: gcpProject, region: c.region };
        for (const p of gkeClusterProblems(resolveGkeClusterArgs(args)).list) add(configPathOf(p.propertyPath), p.reason);
        config = { ...base, cloud: "gcp", gcpProject, cluster: args };
    }
    if (problems.length > 0) throw new StackConfigError(file, problems);
    return config;
}

function knownKeys(path: string, cloud: "aws" | "gcp" | undefined): string[] {
    const shapes: Record<string, z.ZodObject> = {
        "": topLevel,
        cluster: cloud === "gcp" ? gcpCluster : awsCluster,
        "cluster.systemPool": systemPool,
    };
    return Object.keys(shapes[path]?.shape ?? {}).map((k) => `${NAMESPACE}:${path ? `${path}.${k}` : k}`);
}
