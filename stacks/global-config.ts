import { CostTags } from "../components/tags";
import { show } from "../components/validation";
import { parseRoleConfig, pavedConfig, tagsOf } from "./config-problems";
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

/**
 * Reads the global stack's config and checks its two regions against their own stack files: both
 * exist, are regional stacks of the same cloud and domain, in different regions, and say they are
 * the primary and the standby.
 */
export function loadGlobalConfig(allConfig: Readonly<Record<string, string>>, options: GlobalLoadOptions): GlobalConfig {
    const { data: c, problems } = parseRoleConfig(globalTopLevel, allConfig, options);
    const peers = { primary: { stack: c.global.primary, region: "" }, standby: { stack: c.global.standby, region: "" } };
    for (const role of ["primary", "standby"] as const) {
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
        else if (failoverRole !== role) problems.add(`global.${role}`, `got ${show(stack)}, whose paved:failover.role is ${show(failoverRole)}: set paved:failover: { role: ${role} } in Pulumi.${stack}.yaml`);
        peers[role].region = String(peer.region);
    }
    if (c.global.primary === c.global.standby) {
        problems.add("global.standby", `got ${show(c.global.standby)}, the same as the primary: failover needs a second region, e.g. "prod-us-west-2"`);
    } else if (peers.primary.region && peers.primary.region === peers.standby.region) {
        problems.add("global.standby", `got ${show(c.global.standby)}, in ${peers.standby.region} like the primary: failover needs a second region`);
    }
    if (c.cloud === "gcp" && !c.gcpProject) problems.add("gcpProject", "missing: a GCP stack must name its project; e.g. acme-platform-prod");
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
