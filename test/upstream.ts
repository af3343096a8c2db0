/** Checks generated Helm values against the vendored upstream chart copies in vendor/upstream/helm. */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { HelmChartPin } from "../components/helm";
import { REPO_ROOT } from "./harness";

/** The upstream chart and CRD copies, vendored byte-for-byte (see vendor/upstream/SOURCES.md). */
export const UPSTREAM_DIR = path.join(REPO_ROOT, "vendor", "upstream");

/**
 * A pure answer worked out once per process for each set of string arguments. The vendored files do
 * not change while the tests run: each is parsed, and each validator compiled, once per process (some
 * charts' values.yaml and CRDs take a tenth of a second or more each time).
 */
export function oncePerProcess<A extends string[], R>(compute: (...args: A) => R): (...args: A) => R {
    const done = new Map<string, R>();
    return (...args) => {
        const key = args.join("\0");
        if (!done.has(key)) done.set(key, compute(...args));
        return done.get(key)!;
    };
}

/** Deep-frozen, as it is shared: a test that changed it would change it for the next. */
function frozen<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        Object.values(value).forEach(frozen);
    }
    return value;
}

/** A vendored YAML file, parsed once per process and deep-frozen; a missing copy says how to add it. */
export const readYaml = oncePerProcess((file: string): unknown => {
    if (!fs.existsSync(file)) throw new Error(`${file} not found: vendor/upstream has no copy of it; add it from the chart's upstream tag (see vendor/upstream/SOURCES.md)`);
    return frozen(parse(fs.readFileSync(file, "utf8")));
});

export function upstreamChart(chart: string): { version: string; appVersion: string; values: unknown } {
    const dir = path.join(UPSTREAM_DIR, "helm", chart);
    const meta = readYaml(path.join(dir, "Chart.yaml")) as { version: string; appVersion: string };
    return { version: meta.version, appVersion: meta.appVersion, values: readYaml(path.join(dir, "values.yaml")) };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Every key path in `values` that the pinned upstream chart's values.yaml does not have. Below an
 * empty upstream map (`podAnnotations: {}`), or a value the pin declares free-form, any key is valid.
 */
export function unknownValuePaths(values: Record<string, unknown>, pin: HelmChartPin): string[] {
    const upstream = upstreamChart(pin.chart).values;
    const unknown: string[] = [];
    const walk = (ours: unknown, theirs: unknown, at: string) => {
        if (!isMap(ours) || !isMap(theirs) || Object.keys(theirs).length === 0 || pin.freeFormValues?.includes(at)) return;
        for (const [key, value] of Object.entries(ours)) {
            const next = at ? `${at}.${key}` : key;
            // A key the pin declares free-form may be absent upstream (documented only in comments).
            if (!(key in theirs)) {
                if (!pin.freeFormValues?.includes(next)) unknown.push(next);
            }
            else walk(value, theirs[key], next);
        }
    };
    walk(values, upstream, "");
    return unknown;
}

/** A validator for one CustomResourceDefinition in vendor/upstream/crds, using its served version's schema. */
export const crdValidator = oncePerProcess((operator: string, file: string): ((object: unknown) => string[]) => {
    const crd = readYaml(path.join(UPSTREAM_DIR, "crds", operator, file)) as {
        spec: { versions: { name: string; served: boolean; schema: { openAPIV3Schema: object } }[] };
    };
    const version = crd.spec.versions.find((v) => v.served) ?? crd.spec.versions[0];
    // Kubernetes schemas carry x-kubernetes-* keywords that are not JSON Schema: not strict.
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(version.schema.openAPIV3Schema);
    return (object) => (validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`));
});

/** Helm's merge: maps merge key by key, anything else (lists too) is replaced by the override. */
function helmMerge(defaults: unknown, overrides: unknown): unknown {
    if (!isMap(defaults) || !isMap(overrides)) return overrides === undefined ? defaults : overrides;
    const merged: Record<string, unknown> = { ...defaults };
    for (const [k, v] of Object.entries(overrides)) merged[k] = helmMerge(defaults[k], v);
    return merged;
}

/**
 * A validator for a chart's values.schema.json, where the chart ships one. Like Helm, it checks the
 * chart's defaults merged with the given values, not the overrides alone.
 */
export const valuesSchemaValidator = oncePerProcess((chart: string): ((values: unknown) => string[]) => {
    const { $schema, ...schema } = JSON.parse(fs.readFileSync(path.join(UPSTREAM_DIR, "helm", chart, "values.schema.json"), "utf8")) as { $schema?: string };
    // Charts name draft-07 by its https URL or the unversioned "schema#"; Ajv's built-in draft-07 reads both.
    if ($schema && !/draft-07|json-schema\.org\/schema#/.test($schema)) throw new Error(`${chart}/values.schema.json uses ${$schema}, which Ajv's draft-07 may misread`);
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    const defaults = upstreamChart(chart).values;
    return (values) => (validate(helmMerge(defaults, values)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`));
});
