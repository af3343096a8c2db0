import * as fs from "node:fs";
import { parseDocument } from "yaml";
import { parsePropertyPath } from "./engine-drift";

/**
 * Runs `work` and puts the stack file back byte for byte if it changed: the CLI re-serialises the
 * whole file when it saves a stack's settings (sdk/go/common/workspace/project.go), dropping its
 * comments, e.g. to add the `encryptionsalt` of `stack init`. The runner keeps that salt in the
 * stack's state instead (PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER).
 */
export async function withStackFile<T>(file: string, work: () => Promise<T>): Promise<T> {
    const before = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    try {
        return await work();
    } finally {
        if (before && !before.equals(fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0))) fs.writeFileSync(file, before);
    }
}

/**
 * A stack file's text with temporary config applied, by path as `pulumi config set --path` takes it
 * (`paved:global.drill` sets `drill` inside `paved:global`). Values are strings.
 */
export function withConfig(stackFileText: string, config: Readonly<Record<string, string>>): string {
    const entries = Object.entries(config);
    if (entries.length === 0) return stackFileText;
    const doc = parseDocument(stackFileText);
    for (const [key, value] of entries) {
        const colon = key.indexOf(":");
        const [first, ...rest] = parsePropertyPath(key.slice(colon + 1));
        if (colon < 1 || typeof first !== "string") throw new Error(`config key "${key}" is not <namespace>:<name>[.path], e.g. paved:global.drill`);
        doc.setIn(["config", `${key.slice(0, colon)}:${first}`, ...rest], value);
    }
    return doc.toString();
}
