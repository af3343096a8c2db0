import { PLATFORM_POLICIES } from "../../policy/policies";
import { pavedConfig } from "../../stacks/config-problems";
import { readStackConfig } from "../offline/stack-file";

/**
 * The one answer to "is this stack production": PR and laptop stacks never are; the others say so
 * with `paved:production`, else their environment is `prod`. `paved plan` and the real engine's
 * policy config both ask here.
 */
export function isProductionConfig(config: Record<string, string>): boolean {
    const c = pavedConfig(config);
    if (c.role === "preview" || c.role === "local") return false;
    return typeof c.production === "boolean" ? c.production : c.environment === "prod";
}

/**
 * "Is this stack production" for a team's own project, whose config is under its own namespace:
 * `<project>:production` (true or false) when set, else `<project>:environment` is `prod`, else the
 * stack is named `prod` or `prod-<something>`.
 */
export function isTeamProductionConfig(project: string, stack: string, config: Record<string, string>): boolean {
    const production = config[`${project}:production`];
    if (production === "true" || production === "false") return production === "true";
    const environment = config[`${project}:environment`];
    if (environment !== undefined) return environment === "prod";
    return /^prod(-|$)/.test(stack);
}

/** Whether a stack of this project is production, from its committed `Pulumi.<stack>.yaml`. */
export function isProductionStack(projectDir: string, stack: string): boolean {
    return isProductionConfig(readStackConfig(projectDir, stack).config);
}

/**
 * The policy pack config the engine gets for a stack (`--policy-pack-config`, read by
 * pkg/resource/analyzer/config.go): outside production every policy is advisory (`all`); in
 * production each keeps its own level (mandatory unless it says advisory). Every policy gets
 * `production`, declared by its `configSchema`.
 */
export function policyPackConfig(production: boolean): Record<string, unknown> {
    const perPolicy = Object.fromEntries(PLATFORM_POLICIES.map((p) => [p.name, { production }]));
    return production ? perPolicy : { all: "advisory", ...perPolicy };
}

type Level = "mandatory" | "advisory" | "remediate" | "disabled";

/**
 * The level a policy runs at under that config, as the engine reconciles it (applyConfig in
 * pkg/resource/analyzer/config.go): the policy's own level, then `all`, then the policy's entry.
 */
export function enforcementLevelOf(policy: { readonly name: string; readonly enforcementLevel?: Level }, production: boolean): Level {
    const config = policyPackConfig(production);
    const all = config.all as Level | undefined;
    const own = (config[policy.name] as { enforcementLevel?: Level } | undefined)?.enforcementLevel;
    return own ?? all ?? policy.enforcementLevel ?? "advisory";
}
