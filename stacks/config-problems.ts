import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CostTags } from "../components/tags";
import { Problem, show } from "../components/validation";
import { NAMESPACE, exampleFor, knownKeys, parseValue } from "./config-schema";

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

/** The `paved:*` keys of a stack's config, without the namespace, values parsed. */
export function pavedConfig(allConfig: Readonly<Record<string, string>>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(allConfig)) {
        if (key.startsWith(`${NAMESPACE}:`)) raw[key.slice(NAMESPACE.length + 1)] = parseValue(value);
    }
    return raw;
}

/** Collects config problems under `paved:` keys, never showing a secret key's value. */
export class ConfigProblems {
    readonly list: Problem[] = [];

    constructor(private readonly file: string, private readonly isSecret?: (key: string) => boolean) {}

    add(path: string, reason: string): void {
        const secret = this.isSecret?.(`${NAMESPACE}:${path.split(/[.[]/)[0]}`) ?? false;
        this.list.push({ propertyPath: `${NAMESPACE}:${path}`, reason: secret ? "invalid (its value is secret and not shown)" : reason });
    }

    /** Problems a component's validator found, moved to the config keys their arguments came from. */
    addAll(found: readonly Problem[], pathOf: (argPath: string) => string): void {
        found.forEach((p) => this.add(pathOf(p.propertyPath), p.reason));
    }

    /** Shape problems zod found: wrong types with the value and an example, unknown keys with the known ones. */
    addZod(issues: readonly z.core.$ZodIssue[], prefix: string, cloud: "aws" | "gcp" | undefined): void {
        for (const issue of issues) {
            const path = [prefix, ...issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))].join("").replace(/^\./, "");
            if (issue.code === "unrecognized_keys") {
                for (const key of issue.keys) {
                    this.add(path ? `${path}.${key}` : key, `unknown key (a typo?); known keys here: ${knownKeys(path, cloud).join(", ")}`);
                }
            } else {
                this.add(path, `got ${show(issue.input)}: ${issue.message}; e.g. ${exampleFor(path)}`);
            }
        }
    }

    throwIfAny(): void {
        if (this.list.length > 0) throw new StackConfigError(this.file, this.list);
    }
}

/**
 * The first step of every role's loader: the `paved:*` keys parsed against the role's schema, with
 * every shape problem thrown at once. Returns the data and the collector for the role's own rules.
 */
export function parseRoleConfig<T>(
    schema: z.ZodType<T>,
    allConfig: Readonly<Record<string, string>>,
    options: { readonly stack: string; readonly isSecret?: (key: string) => boolean },
): { data: T; problems: ConfigProblems } {
    const raw = pavedConfig(allConfig);
    const problems = new ConfigProblems(`Pulumi.${options.stack}.yaml`, options.isSecret);
    const parsed = schema.safeParse(raw, { reportInput: true });
    if (!parsed.success) problems.addZod(parsed.error.issues, "", raw.cloud === "aws" || raw.cloud === "gcp" ? raw.cloud : undefined);
    problems.throwIfAny();
    return { data: parsed.data!, problems };
}

/** Cost tags from the keys every stack has. */
export function tagsOf(c: { environment: string; owner: string; costCenter: string; tags?: Record<string, string> }): CostTags {
    return { environment: c.environment, owner: c.owner, costCenter: c.costCenter, extra: c.tags ?? {} };
}
