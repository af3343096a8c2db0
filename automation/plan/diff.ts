import { StackEvaluation } from "../offline/evaluate";
import { RecordedResource, isSecret } from "../offline/recorder";

export interface InputChange {
    readonly path: string;
    readonly a: unknown;
    readonly b: unknown;
}

export interface ResourceDiff {
    /** Type and logical name, the same in both stacks for the same resource. */
    readonly key: string;
    readonly change: "only-in-a" | "only-in-b" | "changed";
    readonly inputs: InputChange[];
}

/** A resource's identity across stacks: its type path and name (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function resourceKey(r: RecordedResource): string {
    return r.urn.split("::").slice(2).join("::");
}

/** Names derived from the stack's own name (e.g. cluster "paved-prod-us-east-1") are the same resource in both. */
function normalise(value: unknown, stack: string): unknown {
    const escaped = stack.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (typeof value === "string") return value.replace(new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, "g"), "{stack}");
    if (Array.isArray(value)) return value.map((v) => normalise(v, stack));
    if (typeof value === "object" && value !== null && !isSecret(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, stack)]));
    }
    return value;
}

/** Values for display: secrets are never shown, even to say they differ. */
function shown(value: unknown): unknown {
    return isSecret(value) ? "[secret]" : value;
}

function compare(a: unknown, b: unknown, path: string, out: InputChange[]): void {
    if (isSecret(a) || isSecret(b)) {
        if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, a: shown(a), b: shown(b) });
        return;
    }
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
    if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
        for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
            compare(a[key], b[key], Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key, out);
        }
        return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, a, b });
}

/** Which resources and which inputs differ between two evaluated stacks. */
export function diffStacks(a: StackEvaluation, b: StackEvaluation): ResourceDiff[] {
    const index = (run: StackEvaluation) =>
        new Map(
            run.resources
                .filter((r) => r.type !== "pulumi:pulumi:Stack")
                .map((r) => {
                    // Only the name part: type tokens may contain the stack's name by chance.
                    const key = resourceKey(r);
                    const cut = key.lastIndexOf("::") + 2;
                    return [key.slice(0, cut) + (normalise(key.slice(cut), run.stack) as string), { ...r, inputs: normalise(r.inputs, run.stack) as Record<string, unknown> }];
                }),
        );
    const ia = index(a);
    const ib = index(b);
    const diffs: ResourceDiff[] = [];
    for (const [key, ra] of ia) {
        const rb = ib.get(key);
        if (!rb) {
            diffs.push({ key, change: "only-in-a", inputs: [] });
            continue;
        }
        const inputs: InputChange[] = [];
        compare(ra.inputs, rb.inputs, "", inputs);
        if (inputs.length > 0) diffs.push({ key, change: "changed", inputs });
    }
    for (const key of ib.keys()) if (!ia.has(key)) diffs.push({ key, change: "only-in-b", inputs: [] });
    return diffs.sort((x, y) => x.key.localeCompare(y.key));
}
