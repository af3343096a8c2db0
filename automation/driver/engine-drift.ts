import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import type { DriftFinding } from "./port";

/**
 * How the engine blinds a secret in an event: `config.BlindingCrypter` writes the secret signature
 * with ciphertext "[secret]" (sdk/go/common/resource/config/crypt.go,
 * pkg/backend/display/events.go convertStepEventStateMetadata, showSecrets false on the event log).
 */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const BLINDED = "[secret]";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value as the report shows it: every secret, however deep, is "[secret]". */
function blinded(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(blinded);
    if (!isObject(value)) return value;
    if (SECRET_SIG in value) return BLINDED;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blinded(v)]));
}

/** Splits a Pulumi property path (`tags["app.io/name"]`, `ports[0].port`; sdk/go/common/resource/properties_path.go). */
export function parsePropertyPath(path: string): (string | number)[] {
    const parts: (string | number)[] = [];
    const token = /([^.[\]"]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\./gy;
    for (let m = token.exec(path); m; m = token.exec(path)) {
        if (m[1] !== undefined) parts.push(m[1]);
        else if (m[2] !== undefined) parts.push(Number(m[2]));
        else if (m[3] !== undefined) parts.push(JSON.parse(`"${m[3]}"`) as string);
    }
    return parts;
}

/** The value at a property path; a secret on the way blinds everything beneath it. */
function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
    let v = root;
    for (const key of path) {
        if (isObject(v) && SECRET_SIG in v) return BLINDED;
        if (Array.isArray(v) && typeof key === "number") v = v[key];
        else if (isObject(v)) v = v[String(key)];
        else return undefined;
    }
    return blinded(v);
}

/**
 * The drifted properties one engine event of a refresh preview reports. The engine announces each
 * resource with a pre-event of op `refresh` and no diffs (pkg/resource/deploy/step.go RefreshStep),
 * reads the cloud, and then sends the result as `resOutputsEvent` with op `ResultOp()`: `same`,
 * `update` with `diffs`/`detailedDiff` (inverted: what the cloud changed), or `delete` when the
 * resource is gone (pkg/engine/update.go previewActions.OnResourceStepPost). Fields under
 * `ignoreChanges` are left out of the engine's diff, so they never reach this report.
 */
export function driftFromEvent(event: EngineEvent): DriftFinding[] {
    const meta: StepEventMetadata | undefined = event.resOutputsEvent?.metadata;
    if (!meta) return [];
    const { urn, type } = meta;
    if (meta.op === "delete") {
        return [{ urn, type, property: "id", deployed: meta.old?.id ?? "", live: undefined, kind: "deleted" }];
    }
    if (meta.op !== "update") return [];
    const detailed = Object.entries(meta.detailedDiff ?? {}).sort(([a], [b]) => a.localeCompare(b));
    // A provider without detailed diffs names only the changed top-level keys.
    const changes = detailed.length > 0 ? detailed.map(([path, d]) => ({ path, inputDiff: d.inputDiff })) : (meta.diffs ?? []).map((path) => ({ path, inputDiff: false }));
    return changes.map(({ path, inputDiff }) => {
        const parts = parsePropertyPath(path);
        const side = (s: StepEventMetadata["old"]) => (inputDiff ? s?.inputs : s?.outputs) ?? {};
        const deployed = valueAt(side(meta.old), parts);
        const live = valueAt(side(meta.new), parts);
        // Both sides of a changed secret read "[secret]": say it changed without showing it.
        return { urn, type, property: path, deployed, live: deployed === BLINDED && live === BLINDED ? `${BLINDED} (changed)` : live, kind: "changed" as const };
    });
}
