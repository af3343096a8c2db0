/** A temp copy of the repository's stack files (never the checkout), and a strict reading of the operator's CRDs. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import { REPO_ROOT } from "../../harness";
import { UPSTREAM_DIR, oncePerProcess, readYaml } from "../../upstream";

/** The stacks the operator owns in the shipped repository (the rollout ring and the global stack). */
export const OPERATOR_OWNED = ["prod-global", "prod-us-east-1", "prod-us-west-2", "staging"];

/**
 * The project, stack, rings and CLI-pin files in a temp folder. Each stack of OPERATOR_OWNED says
 * `paved:reconciler: operator` there, whether or not the checkout's file already does.
 */
export function fleetCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-fleet-"));
    for (const f of fs.readdirSync(REPO_ROOT).filter((f) => /^Pulumi\..*yaml$/.test(f) || f === "rings.yaml" || f === ".pulumi-version")) {
        fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
    }
    for (const stack of OPERATOR_OWNED) {
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        if (!/^\s+paved:reconciler:/m.test(fs.readFileSync(file, "utf8"))) fs.appendFileSync(file, "  paved:reconciler: operator\n");
    }
    return dir;
}

/** Adds `additionalProperties: false` wherever a schema lists its properties and does not say otherwise. */
function closed(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(closed);
    if (typeof schema !== "object" || schema === null) return schema;
    const s = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, ps]) => [p, closed(ps)])) : closed(v)]));
    if (s.properties && s.additionalProperties === undefined && !s["x-kubernetes-preserve-unknown-fields"]) s.additionalProperties = false;
    return s;
}

/**
 * A validator for a vendored pulumi-kubernetes-operator CRD, as strict as `kubectl apply
 * --validate=strict`: besides types, enums and required fields, a field the schema does not know is
 * an error (the API server would silently prune it, e.g. a misspelt `destroyOnFinalize`).
 */
export const strictOperatorCrd = oncePerProcess((file: string): { kind: string; version: string; validate: (object: unknown) => string[] } => {
    const crd = readYaml(path.join(UPSTREAM_DIR, "crds", "pulumi-kubernetes-operator", file)) as {
        spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: object } }[] };
    };
    const version = crd.spec.versions.find((v) => v.storage)!;
    const check = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(closed(version.schema.openAPIV3Schema) as object);
    return {
        kind: crd.spec.names.kind,
        version: `${crd.spec.group}/${version.name}`,
        validate: (object) => (check(object) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`)),
    };
});
