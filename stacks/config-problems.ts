import * as pulumi from "@pulumi/pulumi";
import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { CostTags } from "../components/tags";
import { Problem, show } from "../components/validation";
import { NAMESPACE, exampleFor, knownKeys, parseValue } from "./config-schema";

/** One bad config key as data: what `paved plan --json` prints per problem. */
export interface ConfigIssue {
    /** The full key path, e.g. `paved:nodePools[0].maxSize`. */
    readonly key: string;
    /** The value received; absent when the key is missing or secret. */
    readonly value?: unknown;
    readonly secret: boolean;
    readonly reason: string;
    /** A valid value for the key. */
    readonly example: string;
}

/** Bad stack config: one error listing every bad key. A `RunError`, so Pulumi prints it without a stack trace. */
export class StackConfigError extends pulumi.RunError {
    constructor(public readonly file: string, public readonly problems: readonly Problem[], public readonly issues: readonly ConfigIssue[] = []) {
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

/** `a.b[2].c` → ["a", "b", 2, "c"]. */
function segments(path: string): (string | number)[] {
    return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/** The value at a key path of the parsed config, or undefined. A map key may hold dots (a tag "team.channel"). */
export function valueAt(raw: unknown, path: string): unknown {
    const walk = (at: unknown, rest: readonly (string | number)[]): unknown => {
        if (rest.length === 0) return at;
        if (typeof at !== "object" || at === null) return undefined;
        const record = at as Record<string | number, unknown>;
        if (rest[0] in record) return walk(record[rest[0]], rest.slice(1));
        const joined = rest.join(".");
        return joined in record ? record[joined] : undefined;
    };
    return walk(raw, segments(path));
}

/** Whether one key path is the other or lies under it (`a` and `a.b`, `a[0]` and `a[0].c`). */
function related(a: string, b: string): boolean {
    const [short, long] = a.length <= b.length ? [a, b] : [b, a];
    return long === short || long.startsWith(`${short}.`) || long.startsWith(`${short}[`);
}

/** The reason a missing value gets, the same for every key. */
const REQUIRED = "required, and missing";

/** The closest known key to a typo, for "did you mean". */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
    if (known.length === 0) return undefined;
    const best = closest(key, [...known]);
    // Close enough to be a typo: a third of the word may differ (one letter in short words).
    return distance(key.toLowerCase(), best.toLowerCase()) <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * Collects config problems under `paved:` keys: one per key (the first found; a key under a key
 * already reported is not reported again), never showing a secret key's value, each with an example.
 */
export class ConfigProblems {
    readonly list: Problem[] = [];
    private readonly issues: ConfigIssue[] = [];
    private readonly shapeKeys: string[] = [];

    constructor(private readonly file: string, private readonly isSecret?: (key: string) => boolean, private readonly raw: Record<string, unknown> = {}) {}

    add(path: string, reason: string): void {
        this.record(path, reason, false);
    }

    /**
     * One entry per key. A key whose shape is wrong hides what the rules about meaning then say about
     * it or under it (they ran without it); two rules about the same key share one entry.
     */
    private record(path: string, reason: string, shape: boolean): void {
        const key = `${NAMESPACE}:${path}`;
        if (!shape && this.shapeKeys.some((k) => related(k, key))) return;
        if (shape) this.shapeKeys.push(key);
        const secret = this.isSecret?.(`${NAMESPACE}:${path.split(/[.[]/)[0]}`) ?? false;
        const example = exampleFor(path);
        let text = reason.replace(/^(got nothing|missing): /, `${REQUIRED}: `);
        if (!/\be\.g\.|remove it|did you mean/i.test(text)) text = `${text}; e.g. ${example}`;
        // A reason may quote the value; a secret's reason is only that it is invalid.
        if (secret) text = `invalid (its value is secret and not shown); e.g. ${example}`;
        const at = this.issues.findIndex((i) => i.key === key);
        if (at >= 0) {
            if (secret || this.issues[at].reason.includes(text)) return;
            const merged = `${this.issues[at].reason}; also ${text}`;
            this.issues[at] = { ...this.issues[at], reason: merged };
            this.list[this.list.findIndex((p) => p.propertyPath === key)] = { propertyPath: key, reason: merged };
            return;
        }
        const value = valueAt(this.raw, path);
        this.list.push({ propertyPath: key, reason: text });
        this.issues.push({ key, ...(secret || value === undefined ? {} : { value }), secret, reason: text, example });
    }

    /** Problems a component's validator found, moved to the config keys their arguments came from. */
    addAll(found: readonly Problem[], pathOf: (argPath: string) => string): void {
        found.forEach((p) => this.add(pathOf(p.propertyPath), p.reason));
    }

    /** Shape problems zod found: wrong types with the value and an example, unknown keys with the closest known one. */
    addZod(issues: readonly z.core.$ZodIssue[], prefix: string, cloud: "aws" | "gcp" | undefined, role?: string): void {
        for (const issue of issues) {
            const path = [prefix, ...issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))].join("").replace(/^\./, "");
            if (issue.code === "unrecognized_keys") {
                const known = knownKeys(path, cloud, role);
                for (const key of issue.keys) {
                    const guess = didYouMean(key, known);
                    const where = path ? `${NAMESPACE}:${path}` : "the paved namespace";
                    this.record(path ? `${path}.${key}` : key, guess ? `unknown key: did you mean ${NAMESPACE}:${path ? `${path}.${guess}` : guess}?` : `unknown key: ${where} has no key ${show(key)}; remove it (see the config reference in README.md)`, true);
                }
            } else if (issue.input === undefined) {
                this.record(path, `${REQUIRED}; e.g. ${exampleFor(path)}`, true);
            } else if (issue.code === "invalid_type" && issue.expected === "string" && typeof issue.input === "number") {
                this.record(path, `got ${show(issue.input)}, a number: YAML reads an unquoted 1.30 as 1.3; quote it; e.g. ${exampleFor(path)}`, true);
            } else {
                this.record(path, `got ${show(issue.input)}: ${issue.message}; e.g. ${exampleFor(path)}`, true);
            }
        }
    }

    get hasAny(): boolean {
        return this.list.length > 0;
    }

    throwIfAny(): void {
        if (this.list.length > 0) throw new StackConfigError(this.file, this.list, this.issues);
    }
}

type PathKey = PropertyKey;

/** Removes the value at `path`; an element of an array takes its whole array with it, so no index shifts. */
function remove(root: unknown, path: readonly PathKey[]): boolean {
    let cut = [...path];
    while (cut.length > 0 && typeof cut[cut.length - 1] === "number") cut = cut.slice(0, -1);
    if (cut.length === 0) return false;
    let at: unknown = root;
    for (const p of cut.slice(0, -1)) {
        if (typeof at !== "object" || at === null) return false;
        at = (at as Record<PropertyKey, unknown>)[p];
    }
    if (typeof at !== "object" || at === null || !(cut[cut.length - 1] in at)) return false;
    return delete (at as Record<PropertyKey, unknown>)[cut[cut.length - 1]];
}

/**
 * Parses what is valid and reports what is not, in one pass: the issues of the config as given, and
 * the data with every bad key taken out (so the rules about meaning still run on the rest). An array
 * with a bad element is taken out whole, so problems found later never name a shifted index.
 * `data` is undefined when a required key is bad.
 */
export function parseLenient<T>(schema: z.ZodType<T>, raw: unknown): { data?: T; issues: readonly z.core.$ZodIssue[] } {
    const first = schema.safeParse(raw, { reportInput: true });
    if (first.success) return { data: first.data, issues: [] };
    const copy: unknown = structuredClone(raw);
    for (let round = 0; round < 5; round++) {
        const again = schema.safeParse(copy);
        if (again.success) return { data: again.data, issues: first.error.issues };
        let removed = false;
        for (const issue of again.error.issues) {
            if (issue.code === "unrecognized_keys") issue.keys.forEach((k) => (removed = remove(copy, [...issue.path, k]) || removed));
            // A bad value goes first; if its object still fails (a required key), the object goes.
            else removed = remove(copy, round === 0 ? issue.path : issue.path.slice(0, -1)) || removed;
        }
        if (!removed) break;
    }
    return { issues: first.error.issues };
}

/**
 * The first step of every role's loader: the `paved:*` keys parsed against the role's schema. Shape
 * problems are collected, not thrown: the role's own rules then run on what is valid, and the loader
 * throws once with everything. `data` is undefined when a required key is bad.
 */
export function parseRoleConfig<T>(
    schema: z.ZodType<T>,
    allConfig: Readonly<Record<string, string>>,
    options: { readonly stack: string; readonly isSecret?: (key: string) => boolean },
): { data?: T; raw: Record<string, unknown>; problems: ConfigProblems } {
    const raw = pavedConfig(allConfig);
    const problems = new ConfigProblems(`Pulumi.${options.stack}.yaml`, options.isSecret, raw);
    const { data, issues } = parseLenient(schema, raw);
    problems.addZod(issues, "", raw.cloud === "aws" || raw.cloud === "gcp" ? raw.cloud : undefined, typeof raw.role === "string" ? raw.role : undefined);
    return { data, raw, problems };
}

/** Cost tags from the keys every stack has. */
export function tagsOf(c: { environment: string; owner: string; costCenter: string; tags?: Record<string, string> }): CostTags {
    return { environment: c.environment, owner: c.owner, costCenter: c.costCenter, extra: c.tags ?? {} };
}
