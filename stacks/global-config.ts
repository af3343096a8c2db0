import { CostTags } from "../components/tags";
import { show } from "../components/validation";
import { resolveFailoverArgs } from "../components/failover/failover-args";
import { StackConfigError, parseRoleConfig, pavedConfig, tagsOf } from "./config-problems";
import { checkCloudRules, checkRegion } from "./config-rules";
import { globalTopLevel } from "./config-schema";

/** The multi-region stack: DNS failover between a primary and a standby regional stack. */
export interface GlobalConfig {
    readonly stack: string;
    readonly role: "global";
    readonly cloud: "aws" | "gcp";
    readonly environment: string;
    readonly production: boolean;
    readonly region: string;
    readonly domain: string;
    readonly tags: CostTags;
    readonly gcpProject?: string;
    readonly primary: { readonly stack: string; readonly region: string };
    readonly standby: { readonly stack: string; readonly region: string };
    /** The drill knob: the primary's failure simulated in DNS, its workloads untouched. */
    readonly drill: boolean;
    readonly records?: string[];
    readonly healthCheck?: { readonly intervalSeconds?: number; readonly failureThreshold?: number };
    readonly ttlSeconds?: number;
    readonly managedZone: string;
    readonly sourceRegions?: string[];
}

export interface GlobalLoadOptions {
    readonly stack: string;
    readonly isSecret?: (key: string) => boolean;
    /** The config of another stack of this repository (its Pulumi.<stack>.yaml), or undefined when there is none. */
    readonly peerConfig: (stack: string) => Readonly<Record<string, string>> | undefined;
}

/** What each cloud's health checks accept, as the failover components check it. */
const HEALTH_INTERVALS = {
    aws: { intervals: (s: number) => s === 10 || s === 30, intervalHint: "Route 53 checks every 10 or 30 seconds, e.g. 10", defaultInterval: 10 },
    gcp: { intervals: (s: number) => s >= 30 && s <= 300, intervalHint: "Cloud DNS external health checks run every 30 to 300 seconds, e.g. 30", defaultInterval: 30 },
} as const;

/** Where a failover component's argument comes from in the global stack's config. */
function failoverConfigPath(argPath: string): string | undefined {
    if (argPath === "domain") return "domain";
    if (argPath === "primary.region") return "global.primary";
    if (argPath === "standby.region") return "global.standby";
    if (argPath.startsWith("tags.")) return undefined; // reported under their own keys by the tag rules
    return `global.${argPath}`;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads the global stack's config and checks its two regions against their own stack files: both
 * exist, are regional stacks of the same cloud and domain, in different regions, and say they are
 * the primary and the standby. Failover settings are checked here, under their `paved:global.*` keys.
 */
export function loadGlobalConfig(allConfig: Readonly<Record<string, string>>, options: GlobalLoadOptions): GlobalConfig {
    const { data: c, raw, problems } = parseRoleConfig(globalTopLevel, allConfig, options);
    checkCloudRules(problems, raw, raw.production === true || (raw.production === undefined && raw.environment === "prod"));
    if (!c) {
        problems.throwIfAny();
        throw new StackConfigError(`Pulumi.${options.stack}.yaml`, problems.list);
    }
    const peers = { primary: { stack: c.global.primary, region: "" }, standby: { stack: c.global.standby, region: "" } };
    for (const role of ["primary", "standby"] as const) {
        const other = role === "primary" ? "standby" : "primary";
        const stack = c.global[role];
        const file = options.peerConfig(stack);
        if (!file) {
            problems.add(`global.${role}`, `got ${show(stack)}: there is no Pulumi.${stack}.yaml in this repository to reference; e.g. "prod-us-east-1"`);
            continue;
        }
        const peer = pavedConfig(file);
        const failoverRole = (peer.failover as { role?: string } | undefined)?.role;
        if (peer.role !== undefined && peer.role !== "regional") problems.add(`global.${role}`, `got ${show(stack)}, a ${show(peer.role)} stack: name a regional stack, e.g. "prod-us-east-1"`);
        else if (peer.cloud !== c.cloud) problems.add(`global.${role}`, `got ${show(stack)}, a ${show(peer.cloud)} stack: failover between clouds is not supported; name a stack on ${c.cloud}`);
        else if (peer.domain !== c.domain) problems.add(`global.${role}`, `got ${show(stack)}, serving ${show(peer.domain)}: both regions must serve ${show(c.domain)}`);
        // Naming the other region here is a mix-up in this file, not in the peer's: never advise changing the peer's role.
        else if (failoverRole === other) problems.add(`global.${role}`, `got ${show(stack)}, the ${other} (its paved:failover.role is ${other}): name the ${role} stack here, the one whose paved:failover.role is ${role}; e.g. ${role}: ${role === "primary" ? "prod-us-east-1" : "prod-us-west-2"}`);
        else if (failoverRole !== role) problems.add(`global.${role}`, `got ${show(stack)}, which has no paved:failover.role: set paved:failover: { role: ${role} } in Pulumi.${stack}.yaml`);
        peers[role].region = String(peer.region);
    }
    if (c.global.primary === c.global.standby) {
        problems.add("global.standby", `got ${show(c.global.standby)}, the same as the primary: failover needs a second region, e.g. "prod-us-west-2"`);
    } else if (peers.primary.region && peers.primary.region === peers.standby.region) {
        problems.add("global.standby", `got ${show(c.global.standby)}, in ${peers.standby.region} like the primary: failover needs a second region`);
    }
    if (c.cloud === "gcp" && !c.gcpProject) problems.add("gcpProject", "missing: a GCP stack must name its project; e.g. acme-platform-prod");

    // The failover components' own rules, reported under the keys they came from. Records are checked
    // here on the list as written (the component puts "health" first, which would shift every index).
    (c.global.records ?? []).forEach((r, i) => {
        if (!DNS_LABEL.test(r)) problems.add(`global.records[${i}]`, `got ${show(r)}: one DNS label under the domain, e.g. "shop"`);
    });
    const { problems: found } = resolveFailoverArgs(
        { domain: c.domain, primary: { region: peers.primary.region || "primary", gateway: "" }, standby: { region: peers.standby.region || "standby", gateway: "" }, healthCheck: c.global.healthCheck, ttlSeconds: c.global.ttlSeconds, drill: c.global.drill, tags: tagsOf(c) },
        HEALTH_INTERVALS[c.cloud],
    );
    for (const p of found.list) {
        const path = failoverConfigPath(p.propertyPath);
        if (path && !path.startsWith("global.primary") && !path.startsWith("global.standby")) problems.add(path, p.reason);
    }
    if (c.global.sourceRegions !== undefined) {
        if (c.cloud !== "gcp") problems.add("global.sourceRegions", `got ${show(c.global.sourceRegions)} on an AWS stack: only Cloud DNS health checks take source regions; remove it`);
        else {
            if (c.global.sourceRegions.length !== 3 || new Set(c.global.sourceRegions).size !== 3) problems.add("global.sourceRegions", `got ${show(c.global.sourceRegions)}: exactly three different regions, e.g. ["us-east4", "europe-west1", "asia-southeast1"]`);
            c.global.sourceRegions.forEach((r, i) => checkRegion(problems, "gcp", r, `global.sourceRegions[${i}]`));
        }
    }
    problems.throwIfAny();
    return {
        stack: options.stack,
        role: "global",
        cloud: c.cloud,
        environment: c.environment,
        production: c.production ?? c.environment === "prod",
        region: c.region,
        domain: c.domain,
        tags: tagsOf(c),
        gcpProject: c.gcpProject,
        ...peers,
        drill: c.global.drill ?? false,
        records: c.global.records,
        healthCheck: c.global.healthCheck,
        ttlSeconds: c.global.ttlSeconds,
        managedZone: c.global.managedZone ?? c.domain.replace(/\./g, "-"),
        sourceRegions: c.global.sourceRegions,
    };
}
