import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { show } from "../../components/validation";
import { RunnerUsageError } from "./pr-stacks";

export const DRIFT_FILE = "drift.yaml";
const EXAMPLE = "autoFix: { dev: true, staging: true, prod: false }";

const fileSchema = z.strictObject({ autoFix: z.record(z.string(), z.boolean()) });

/**
 * The stacks `paved drift --auto-fix` may fix: those whose `paved:environment` is set to true in
 * drift.yaml. Every environment of the fleet must be listed, true or false, so that adding one is a
 * decision rather than a default; a problem is one usage error naming the key, the value and a fix.
 */
export function autoFixStacks(projectDir: string, fleet: readonly string[], environmentOf: (stack: string) => string): string[] {
    const file = path.join(projectDir, DRIFT_FILE);
    if (!fs.existsSync(file)) throw new RunnerUsageError(`--auto-fix needs ${DRIFT_FILE} in ${projectDir}, listing each environment: e.g. ${EXAMPLE}`);
    let doc: unknown;
    try {
        doc = parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new RunnerUsageError(`${DRIFT_FILE} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    const parsed = fileSchema.safeParse(doc);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const key = ["autoFix", ...issue.path.slice(1).map(String)].join(".");
        throw new RunnerUsageError(`${DRIFT_FILE}: ${key}: ${issue.message} (got ${show(issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], doc))}); e.g. ${EXAMPLE}`);
    }
    const decided = parsed.data.autoFix;
    const missing = [...new Set(fleet.map(environmentOf))].filter((env) => !(env in decided));
    if (missing.length > 0) throw new RunnerUsageError(`${DRIFT_FILE}: autoFix has no entry for environment(s) ${missing.join(", ")}: decide each, e.g. autoFix: { ${missing.map((m) => `${m}: false`).join(", ")} }`);
    return fleet.filter((stack) => decided[environmentOf(stack)] === true);
}
