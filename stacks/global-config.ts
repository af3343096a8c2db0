import { CostTags } from "../components/tags";
import { show } from "../components/validation";
import { parseRoleConfig, tagsOf } from "./config-problems";
import { globalTopLevel } from "./config-schema";

/** The multi-region stack: primary and standby regional stacks, read through StackReferences. */
export interface GlobalConfig {
    readonly stack: string;
    readonly role: "global";
    readonly cloud: "aws" | "gcp";
    readonly environment: string;
    readonly production: boolean;
    readonly region: string;
    readonly domain: string;
    readonly tags: CostTags;
    readonly primary: string;
    readonly standby: string;
}

export interface GlobalLoadOptions {
    readonly stack: string;
    readonly isSecret?: (key: string) => boolean;
    readonly stackExists: (stack: string) => boolean;
}

export function loadGlobalConfig(allConfig: Readonly<Record<string, string>>, options: GlobalLoadOptions): GlobalConfig {
    const { data: c, problems } = parseRoleConfig(globalTopLevel, allConfig, options);
    for (const role of ["primary", "standby"] as const) {
        const stack = c.global[role];
        if (!options.stackExists(stack)) {
            problems.add(`global.${role}`, `got ${show(stack)}: there is no Pulumi.${stack}.yaml in this repository to reference; e.g. "prod-us-east-1"`);
        }
    }
    if (c.global.primary === c.global.standby) {
        problems.add("global.standby", `got ${show(c.global.standby)}, the same as the primary: failover needs a second region, e.g. "prod-us-west-2"`);
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
        primary: c.global.primary,
        standby: c.global.standby,
    };
}
