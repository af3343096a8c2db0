/**
 * Writes model-validators/: ajv's standalone code for the @kubernetes-models kinds we validate whose
 * packages compile their JSON schemas at runtime. argo-rollouts 0.3 and gateway-api 0.5 (their last
 * releases for Node 20) use @kubernetes-models/validate 3.x, which compiles a schema with ajv on its
 * first validate(): 330 ms for a Rollout, some 0.7 s of CPU per process for the five kinds below.
 * Here each kind is compiled once, by the same ajv, with the library's own options, formats and
 * schemas (read from the library's ajv instance itself), and written out as plain CommonJS.
 *
 * Run `npx tsx components/model-validation/generate-validators.ts` after upgrading those packages
 * (test/components/model-validation.test.ts fails until then).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { _ } from "ajv";
import standaloneCode from "ajv/dist/standalone";
import { fullFormats } from "ajv-formats/dist/formats";
import { LIBRARY_AJV_OPTIONS, modelValidatorsDir } from "./precompiled";

/** The model modules whose kinds get a precompiled validator: every one components/ imports from these two packages. */
export const PRECOMPILED_MODELS = [
    "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout",
    "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate",
    "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute",
    "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway",
    "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass",
];

interface ModelClass {
    readonly apiVersion: string;
    readonly kind: string;
    readonly prototype: object;
}

/** What @kubernetes-models/base 4.x's setSchema puts on a model's prototype, under private symbols. */
function schemaHooks(model: ModelClass): { id: string; register: () => void } {
    const hook = (description: string) => {
        const symbol = Object.getOwnPropertySymbols(model.prototype).find((s) => s.description === description);
        return symbol && (model.prototype as Record<symbol, unknown>)[symbol];
    };
    const [id, register] = [hook("SCHEMA_ID"), hook("ADD_SCHEMA")];
    if (typeof id !== "string" || typeof register !== "function") throw new Error(`${model.kind}: no SCHEMA_ID/ADD_SCHEMA on its prototype; @kubernetes-models/base changed, see its model.mjs`);
    return { id, register: register as () => void };
}

/**
 * The ajv instance of the validate module the model registers its schemas with: caught as the
 * model's own schema-adding hook calls its getSchema (register() always does, registered or not),
 * so nothing is compiled here.
 */
function libraryAjv(register: () => void): Ajv {
    if (Object.hasOwn(Ajv.prototype, "getSchema")) throw new Error("ajv's getSchema moved onto Ajv itself: update libraryAjv");
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called on its own instance below
    const getSchema = Ajv.prototype.getSchema;
    let caught: Ajv | undefined;
    const catches = (instance: Ajv) => {
        caught ??= instance;
        return instance;
    };
    Ajv.prototype.getSchema = function (this: Ajv, keyRef: string) {
        return getSchema.call(catches(this), keyRef);
    } as Ajv["getSchema"];
    try {
        register();
    } finally {
        // getSchema is Ajv's base class's: the shadowing own property goes, the inherited one is back.
        delete (Ajv.prototype as Partial<Ajv>).getSchema;
    }
    if (!caught) throw new Error("the model registered no schema with ajv");
    return caught;
}

/** A validator for `id` from the schemas, options and formats of `library`, as CommonJS source. */
function standaloneValidator(library: Ajv, id: string): string {
    for (const [option, value] of Object.entries(LIBRARY_AJV_OPTIONS)) {
        const actual = (library.opts as unknown as Record<string, unknown>)[option];
        if (actual !== value) throw new Error(`the library's ajv has ${option}: ${String(actual)}, LIBRARY_AJV_OPTIONS says ${String(value)}`);
    }
    // The generated code takes its formats from ajv-formats (as ajv-formats itself tells ajv to). Only
    // the library's formats that are those very objects are added: a schema using any other (validate
    // 3.x's own byte, quantity, string) fails here as an unknown format instead of being checked otherwise.
    const ajv = new Ajv({ ...LIBRARY_AJV_OPTIONS, code: { source: true, lines: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } });
    for (const [name, format] of Object.entries(library.formats)) {
        if (format && format === (fullFormats as Record<string, unknown>)[name]) ajv.addFormat(name, format);
    }
    for (const [key, env] of Object.entries(library.schemas)) {
        if (env && !env.meta) ajv.addSchema(env.schema, key);
    }
    const validate = ajv.getSchema(id);
    if (!validate) throw new Error(`no schema ${id} in the library's ajv`);
    return standaloneCode(ajv, validate);
}

/** A kind to precompile: its model, the library's ajv it registers with, and the digest of what its validator is made from. */
export interface PrecompiledKind {
    readonly specifier: string;
    readonly type: string;
    readonly id: string;
    readonly library: Ajv;
    readonly inputs: string;
}

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");
const versionOf = (pkg: string) => (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;

/** The schema `id` and those its $refs reach, by id, in the library's ajv. */
function reachableSchemas(library: Ajv, id: string): [string, unknown][] {
    const found = new Map<string, unknown>();
    const visit = (key: string) => {
        if (found.has(key)) return;
        const env = library.schemas[key];
        if (!env) throw new Error(`no schema ${key} in the library's ajv`);
        found.set(key, env.schema);
        for (const [, ref] of JSON.stringify(env.schema).matchAll(/"\$ref":"([^"#]+)/g)) visit(ref);
    };
    visit(id);
    return [...found].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * What a validator is made from: its schemas, the options, the ajv and ajv-formats versions and this
 * generator. Recorded in each file, so that a test can tell the files are current without the second
 * or so of compiling them again.
 */
function inputsDigest(library: Ajv, id: string): string {
    return sha256(JSON.stringify([id, reachableSchemas(library, id), LIBRARY_AJV_OPTIONS, versionOf("ajv"), versionOf("ajv-formats"), fs.readFileSync(__filename, "utf8")]));
}

/** The kinds of PRECOMPILED_MODELS, read from the installed packages (nothing is compiled). */
export async function precompiledKinds(): Promise<PrecompiledKind[]> {
    const kinds: PrecompiledKind[] = [];
    for (const specifier of PRECOMPILED_MODELS) {
        const model = ((await import(specifier)) as Record<string, ModelClass>)[specifier.slice(specifier.lastIndexOf("/") + 1)];
        const { id, register } = schemaHooks(model);
        const library = libraryAjv(register);
        kinds.push({ specifier, type: `${model.apiVersion}/${model.kind}`, id, library, inputs: inputsDigest(library, id) });
    }
    return kinds;
}

const GENERATED = "// Generated by components/model-validation/generate-validators.ts from the installed @kubernetes-models packages. Do not edit.\n";

/** model-validators/ but the validators: their declarations and the index from apiVersion/kind to them. */
export function declarationFiles(kinds: readonly PrecompiledKind[]): Record<string, string> {
    const files: Record<string, string> = {};
    for (const { id } of kinds) files[`${id}.d.ts`] = `${GENERATED}import type { ValidateFunction } from "ajv";\ndeclare const validate: ValidateFunction;\nexport = validate;\n`;
    const entries = kinds.map(({ type, id }) => `    ${JSON.stringify(type)}: () => require(${JSON.stringify(`./${id}.js`)}),`);
    files["index.js"] = `${GENERATED}"use strict";\n// apiVersion/kind: that kind's validator, loaded when first asked for.\nmodule.exports = {\n${entries.join("\n")}\n};\n`;
    files["index.d.ts"] = `${GENERATED}import type { ValidateFunction } from "ajv";\ndeclare const validators: Readonly<Record<string, () => ValidateFunction>>;\nexport = validators;\n`;
    return files;
}

/** A kind's validator file: the header (what it is made from, the digest of the code below) and the code. */
export function validatorFile(kind: PrecompiledKind): string {
    const code = `${standaloneValidator(kind.library, kind.id)}\n`;
    return `${GENERATED}// ${kind.specifier}, schema ${kind.id}\n// inputs sha256 ${kind.inputs}, code sha256 ${sha256(code)}\n${code}`;
}

if (require.main === module) {
    void precompiledKinds().then((kinds) => {
        const dir = modelValidatorsDir();
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir);
        for (const [name, text] of Object.entries(declarationFiles(kinds))) fs.writeFileSync(path.join(dir, name), text);
        for (const kind of kinds) fs.writeFileSync(path.join(dir, `${kind.id}.js`), validatorFile(kind));
    });
}
