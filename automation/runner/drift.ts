import { DriftFinding } from "../driver/port";

/** A field another controller owns: it changes outside Git by design and is never drift. */
export interface ControllerOwnedField {
    readonly type: string;
    /** A property path; it covers everything beneath it. */
    readonly path: string;
    readonly owner: string;
}

/**
 * The fields our components leave to controllers (their `ignoreChanges`, Argo CD's
 * ignoreDifferences): node-group sizes belong to the autoscalers and the night schedule, replica
 * counts to HPA/KEDA.
 */
export const CONTROLLER_OWNED: readonly ControllerOwnedField[] = [
    { type: "aws:eks/nodeGroup:NodeGroup", path: "scalingConfig.desiredSize", owner: "cluster-autoscaler and the night schedule" },
    { type: "gcp:container/nodePool:NodePool", path: "initialNodeCount", owner: "the GKE autoscaler" },
    { type: "gcp:container/nodePool:NodePool", path: "nodeCount", owner: "the GKE autoscaler" },
    { type: "gcp:container/cluster:Cluster", path: "initialNodeCount", owner: "GKE (the default pool is removed)" },
    { type: "kubernetes:apps/v1:Deployment", path: "spec.replicas", owner: "HPA/KEDA" },
    { type: "kubernetes:apps/v1:StatefulSet", path: "spec.replicas", owner: "HPA/KEDA" },
    { type: "kubernetes:argoproj.io/v1alpha1:Rollout", path: "spec.replicas", owner: "HPA/KEDA" },
];

/**
 * What the night schedule changes on a non-production stack whose nodes sleep (never on production):
 * EKS scheduled actions set the groups' min and max to zero, GKE's Cloud Scheduler jobs turn the
 * system pools' autoscaling off. Not drift there; re-applying it would wake the cluster at night.
 */
export const SLEEP_OWNED: readonly ControllerOwnedField[] = [
    { type: "aws:eks/nodeGroup:NodeGroup", path: "scalingConfig", owner: "the night schedule (ASG scheduled actions) and paved wake" },
    { type: "gcp:container/nodePool:NodePool", path: "autoscaling", owner: "the night schedule (Cloud Scheduler) and paved wake" },
];

/** One changed leaf property: `deployed` is what the last update wrote, `live` what the cloud has now. */
export interface DriftedProperty {
    readonly path: string;
    readonly deployed: unknown;
    readonly live: unknown;
    /** Set when a controller owns the field: not drift. */
    readonly ownedBy?: string;
}

export interface DriftedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly properties: DriftedProperty[];
    /** The resource is gone from the cloud (deleted outside Git); the next `up` creates it again. */
    readonly deleted?: boolean;
}

export interface StackDrift {
    readonly stack: string;
    readonly resources: DriftedResource[];
    /** Resources with at least one property changed outside Git that no controller owns. */
    readonly unexpected: DriftedResource[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The leaf paths where two values differ, e.g. `scalingConfig.desiredSize` rather than `scalingConfig`. */
export function changedLeaves(deployed: unknown, live: unknown, at: string): DriftedProperty[] {
    if (isObject(deployed) && isObject(live)) {
        const keys = [...new Set([...Object.keys(deployed), ...Object.keys(live)])].sort();
        return keys.flatMap((k) => changedLeaves(deployed[k], live[k], `${at}.${k}`));
    }
    return JSON.stringify(deployed) === JSON.stringify(live) ? [] : [{ path: at, deployed, live }];
}

function ownerOf(type: string, property: string, allowList: readonly ControllerOwnedField[]): string | undefined {
    return allowList.find((f) => f.type === type && (property === f.path || property.startsWith(`${f.path}.`)))?.owner;
}

/** Groups a refresh preview's findings per resource and leaf property, and tells controller-owned fields apart. */
export function classifyDrift(stack: string, findings: readonly DriftFinding[], allowList: readonly ControllerOwnedField[] = CONTROLLER_OWNED): StackDrift {
    const byUrn = new Map<string, DriftedResource>();
    for (const f of findings) {
        const resource = byUrn.get(f.urn) ?? { urn: f.urn, type: f.type, name: f.urn.split("::").pop() ?? f.urn, properties: [], ...(f.kind === "deleted" ? { deleted: true } : {}) };
        byUrn.set(f.urn, resource);
        for (const leaf of changedLeaves(f.deployed, f.live, f.property)) {
            const ownedBy = ownerOf(f.type, leaf.path, allowList);
            resource.properties.push(ownedBy ? { ...leaf, ownedBy } : leaf);
        }
    }
    const resources = [...byUrn.values()].filter((r) => r.properties.length > 0);
    return { stack, resources, unexpected: resources.filter((r) => r.properties.some((p) => !p.ownedBy)) };
}

const isRule = (v: unknown): v is Record<string, unknown> & { protocol: string } => isObject(v) && typeof v.protocol === "string";

/**
 * A firewall rule as a reader says it: `tcp 22 from 0.0.0.0/0` for a security group rule (the
 * provider's inline shape), `tcp:0-21,23-65535` for a GCE allow/deny entry; anything else as JSON.
 */
export function describeValue(v: unknown): string {
    if (v === undefined) return "(absent)";
    if (isRule(v) && "fromPort" in v) {
        const all = v.protocol === "-1" || v.protocol === "all";
        const ports = all ? "all traffic" : v.fromPort === -1 ? `${v.protocol} all` : v.fromPort === v.toPort ? `${v.protocol} ${String(v.fromPort)}` : `${v.protocol} ${String(v.fromPort)}-${String(v.toPort)}`;
        const sources = [...((v.cidrBlocks ?? []) as string[]), ...((v.ipv6CidrBlocks ?? []) as string[]), ...((v.securityGroups ?? []) as string[]), ...(v.self ? ["itself"] : [])];
        return `${ports} from ${sources.join(", ") || "nowhere"}`;
    }
    if (isRule(v) && !("fromPort" in v)) return `${v.protocol}${Array.isArray(v.ports) && v.ports.length > 0 ? `:${(v.ports as string[]).join(",")}` : ""}`;
    return JSON.stringify(v).slice(0, 120);
}

/** The human report: per resource, per property, what Git says and what the cloud has. */
export function formatDrift(drift: StackDrift): string[] {
    if (drift.resources.length === 0) return [`${drift.stack}: no drift`];
    const allowed = drift.resources.length - drift.unexpected.length;
    const owned = allowed ? `${allowed} resource(s) changed only in controller-owned fields` : "";
    const lines = [drift.unexpected.length === 0 ? `${drift.stack}: no drift (${owned})` : `${drift.stack}: ${drift.unexpected.length} resource(s) changed outside Git${owned ? `; ${owned}` : ""}`];
    for (const r of drift.resources) {
        lines.push(`  ~ ${r.type} ${r.name}`);
        for (const p of r.properties) {
            lines.push(`      ${p.path}: ${describeValue(p.deployed)} → ${describeValue(p.live)}${p.ownedBy ? `   (allowed: owned by ${p.ownedBy})` : ""}`);
        }
    }
    return lines;
}
