import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** A stack's configuration as the Pulumi engine hands it to a program: flat `namespace:key` strings. */
export interface StackFileConfig {
    readonly project: string;
    readonly stack: string;
    readonly file: string;
    readonly config: Record<string, string>;
    /** Keys whose value is encrypted in the file; offline, their value is a placeholder. */
    readonly secretKeys: string[];
}

/** A problem with a project or stack file, named so a user can find and fix it. */
export class StackFileError extends Error {}

/** Offline we cannot decrypt `secure:` values; programs see this instead, marked secret. */
export const SECRET_PLACEHOLDER = "[secret: not decrypted offline]";

/**
 * What a file's text parsed to. A plan reads the same files many times (the stack's own, Pulumi.yaml,
 * and the peers its StackReferences and checks name): parsing was most of a PR stack's plan. Keyed on
 * the text itself, so an edited file is parsed again and a copy of a project is not; callers only read
 * the result. It keeps the texts read last, up to more than a project has files.
 */
const parsed = new Map<string, Record<string, unknown>>();
const PARSED_TEXTS = 256;

function readYaml(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new StackFileError(`${path.basename(file)} not found in ${path.dirname(file)}: create it, e.g. by copying Pulumi.dev.yaml`);
    }
    const known = parsed.get(text);
    if (known) {
        // Read last now: the oldest entry is the one the map lists first.
        parsed.delete(text);
        parsed.set(text, known);
        return known;
    }
    const doc = parseYaml(file, text);
    if (parsed.size >= PARSED_TEXTS) parsed.delete(parsed.keys().next().value!);
    parsed.set(text, doc);
    return doc;
}

function parseYaml(file: string, text: string): Record<string, unknown> {
    try {
        const doc: unknown = parse(text);
        if (doc === null || doc === undefined) return {};
        if (typeof doc !== "object" || Array.isArray(doc)) throw new Error("the top level must be a mapping");
        return doc as Record<string, unknown>;
    } catch (e) {
        // The parser's first line names the problem and where; the code frame after it is not one line.
        const first = (e as Error).message.split("\n")[0].replace(/:\s*$/, "");
        throw new StackFileError(`${path.basename(file)} is not valid YAML: ${first}; e.g. quote values with special characters, like kubernetesVersion: "1.33"`);
    }
}

/** Lists the stacks that have a `Pulumi.<stack>.yaml` beside `Pulumi.yaml`, sorted. */
export function listStacks(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** The project's Pulumi.yaml, parsed (one clear StackFileError when it is missing or not YAML). */
export function readProjectYaml(projectDir: string): Record<string, unknown> {
    return readYaml(path.join(projectDir, "Pulumi.yaml"));
}

/**
 * Reads a stack's config the way Pulumi does: project-level defaults from `Pulumi.yaml`, overridden
 * by `Pulumi.<stack>.yaml`; scalars become strings, objects and arrays JSON (what `getObject` parses),
 * and `secure:` values are secrets.
 */
export function readStackConfig(projectDir: string, stack: string): StackFileConfig {
    const projectDoc = readProjectYaml(projectDir);
    const project = projectDoc.name;
    if (typeof project !== "string" || project === "") {
        throw new StackFileError(`Pulumi.yaml: "name" is missing; set the project name, e.g. name: paved`);
    }
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    const stackDoc = readYaml(file);
    const config: Record<string, string> = {};
    const secretKeys = new Set<string>();

    const put = (key: string, value: unknown, where: string) => {
        if (value === null || value === undefined) {
            throw new StackFileError(`${where}: ${key} has no value; give it one or remove the key`);
        }
        const isSecure = typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
        if (isSecure) {
            config[key] = SECRET_PLACEHOLDER;
            secretKeys.add(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
            secretKeys.delete(key);
        }
    };

    const projectConfig = projectDoc.config ?? {};
    for (const [rawKey, spec] of Object.entries(projectConfig as Record<string, unknown>)) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        // Project config is either a plain value or a schema with a default/value.
        const isSchema = typeof spec === "object" && spec !== null && !Array.isArray(spec) && ("default" in spec || "value" in spec || "type" in spec);
        const value = isSchema ? ((spec as Record<string, unknown>).value ?? (spec as Record<string, unknown>).default) : spec;
        if (value !== undefined) put(key, value, "Pulumi.yaml");
    }

    const stackConfig = stackDoc.config ?? {};
    if (typeof stackConfig !== "object" || Array.isArray(stackConfig)) {
        throw new StackFileError(`${path.basename(file)}: "config" must be a mapping of keys to values, e.g. config: { ${project}:cloud: aws }`);
    }
    for (const [key, value] of Object.entries(stackConfig as Record<string, unknown>)) {
        if (!/^[^:\s]+:[^:\s]+$/.test(key)) {
            throw new StackFileError(`${path.basename(file)}: config key "${key}" must be "namespace:name", e.g. ${project}:${key.split(":").pop()}`);
        }
        put(key, value, path.basename(file));
    }
    return { project, stack, file, config, secretKeys: [...secretKeys] };
}
