import * as pulumi from "@pulumi/pulumi";
import { CostTags, validateCostTags } from "../tags";
import { Problems, checkIntegerIn, show } from "../validation";

/** One region global traffic can be sent to. */
export interface FailoverRegion {
    /** The region's name, as its health endpoint answers it, e.g. "us-east-1". */
    readonly region: string;
    /** Where its shared Gateway listens: a load balancer hostname (AWS) or an IP address (GCP). */
    readonly gateway: pulumi.Input<string>;
}

/** Arguments of both failover components: the domain and the primary and standby regions' health endpoints. */
export interface FailoverArgs {
    /** The domain both regions serve, e.g. "paved.example.com". */
    readonly domain: string;
    readonly primary: FailoverRegion;
    readonly standby: FailoverRegion;
    /**
     * Names under the domain that fail over together. `health` (the drill's probe target) is always among them.
     * @default ["health"]
     */
    readonly records?: readonly string[];
    /**
     * How often each region is checked and how many failures in a row make it unhealthy.
     * @default 10 s and 3 on AWS (Route 53 allows 10 or 30 s); 30 s and 3 on GCP (its minimum with source regions)
     */
    readonly healthCheck?: { readonly intervalSeconds?: number; readonly failureThreshold?: number };
    /**
     * TTL of the failover answers: how long a resolver may keep sending clients to a failed region.
     * @default 30
     */
    readonly ttlSeconds?: number;
    /**
     * The drill knob: simulate the primary region's failure without touching its workloads.
     * @default false
     */
    readonly drill?: boolean;
    readonly tags: CostTags;
}

export interface ResolvedFailover {
    readonly records: string[];
    readonly intervalSeconds: number;
    readonly failureThreshold: number;
    readonly ttlSeconds: number;
    readonly drill: boolean;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Defaults and every problem at once; `intervals` are what the cloud's health checks accept. */
export function resolveFailoverArgs(args: FailoverArgs, cloud: { readonly intervals: (s: number) => boolean; readonly intervalHint: string; readonly defaultInterval: number }): { resolved: ResolvedFailover; problems: Problems } {
    const problems = validateCostTags(args.tags);
    const resolved: ResolvedFailover = {
        records: [...new Set(["health", ...(args.records ?? [])])],
        intervalSeconds: args.healthCheck?.intervalSeconds ?? cloud.defaultInterval,
        failureThreshold: args.healthCheck?.failureThreshold ?? 3,
        ttlSeconds: args.ttlSeconds ?? 30,
        drill: args.drill ?? false,
    };
    problems.check(/^[a-z0-9.-]+\.[a-z]{2,}$/.test(args.domain ?? ""), "domain", `got ${show(args.domain)}: a lowercase DNS name, e.g. "paved.example.com"`);
    for (const role of ["primary", "standby"] as const) {
        problems.check(typeof args[role]?.region === "string" && DNS_LABEL.test(args[role].region), `${role}.region`, `got ${show(args[role]?.region)}: a region name, e.g. "us-east-1"`);
    }
    problems.check(args.primary?.region !== args.standby?.region, "standby.region", `got ${show(args.standby?.region)}, the primary's region too: failover needs a second region, e.g. "us-west-2"`);
    resolved.records.forEach((r, i) => problems.check(DNS_LABEL.test(r), `records[${i}]`, `got ${show(r)}: one DNS label under the domain, e.g. "shop"`));
    problems.check(Number.isInteger(resolved.intervalSeconds) && cloud.intervals(resolved.intervalSeconds), "healthCheck.intervalSeconds", `got ${show(resolved.intervalSeconds)}: ${cloud.intervalHint}`);
    checkIntegerIn(problems, "healthCheck.failureThreshold", resolved.failureThreshold, 1, 10, 3);
    checkIntegerIn(problems, "ttlSeconds", resolved.ttlSeconds, 0, 3600, 30);
    return { resolved, problems };
}

/**
 * The longest a real regional failure takes to move clients: the checks that must fail in a row,
 * then a resolver's cached answer running out.
 */
export function failoverBoundSeconds(r: Pick<ResolvedFailover, "intervalSeconds" | "failureThreshold" | "ttlSeconds">): number {
    return r.intervalSeconds * r.failureThreshold + r.ttlSeconds;
}
