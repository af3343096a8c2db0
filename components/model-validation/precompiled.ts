import * as path from "node:path";
import type AjvClass from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";

/**
 * The options of @kubernetes-models/validate 3.x's ajv (its dist/index.js), which the precompiled
 * validators are generated with (the generator checks the library's instance has them).
 */
export const LIBRARY_AJV_OPTIONS = { strictTypes: false, allErrors: true, verbose: true } as const;

/** Where the generated validators live: model-validators/ at the package root (beside dist/, so source and build share it). */
export const modelValidatorsDir = () => path.join(path.dirname(require.resolve("paved-road/package.json")), "model-validators");

// Loaded when first needed: ajv itself takes some 40 ms to load, and most processes validate no model.
let index: Readonly<Record<string, () => ValidateFunction>> | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ajv = () => require("ajv") as typeof AjvClass;

/**
 * The precompiled validator of the model's kind (by its class's apiVersion and kind, as the
 * library's schema id is), or undefined for a kind whose package validates cheaply itself.
 */
export function precompiledValidator(model: object): ValidateFunction | undefined {
    const type = model.constructor as { apiVersion?: unknown; kind?: unknown };
    const key = `${String(type.apiVersion)}/${String(type.kind)}`;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    index ??= require(modelValidatorsDir()) as Readonly<Record<string, () => ValidateFunction>>;
    return Object.hasOwn(index, key) ? index[key]() : undefined;
}

/**
 * Drops what a failed nullable $ref (`oneOf: [{$ref}, {type: "null"}]`) reports besides the $ref's
 * own errors: the oneOf and the "must be null". A port of validate 3.x's excludeNullableRefErrors.
 */
function withoutNullableRefErrors(errors: ErrorObject[]): ErrorObject[] {
    const nullBranches = new Set<string>();
    const kept = errors.filter((err) => {
        const nullIndex = err.keyword === "oneOf" ? (err.schema as { type?: unknown }[] | undefined)?.findIndex((branch) => branch.type === "null") ?? -1 : -1;
        if (nullIndex > -1) nullBranches.add(`${err.schemaPath}/${nullIndex}/type`);
        return nullIndex === -1;
    });
    return kept.filter((err) => !nullBranches.has(err.schemaPath));
}

/** Validates as validate 3.x's validate(id, data) does: the same filtered errors, the same ValidationError and message. */
export function validateWith(validate: ValidateFunction, data: unknown): void {
    if (!validate(data) && validate.errors) {
        const errors = withoutNullableRefErrors(validate.errors);
        const Ajv = ajv();
        const err = new Ajv.ValidationError(errors);
        // ajv's own message text (an instance method; a bare instance compiles nothing).
        err.message = new Ajv().errorsText(errors);
        throw err;
    }
}
