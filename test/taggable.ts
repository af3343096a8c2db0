import * as fs from "node:fs";
import * as path from "node:path";
import { tagArgumentsIn } from "../policy/taggable-scan";

/**
 * The tag-like arguments a resource type accepts, read from its provider SDK's declarations
 * (e.g. `VpcArgs.tags`), so "every taggable resource is tagged" is checked against the real
 * provider surface rather than a hand-kept list. The same reading generates the policy pack's
 * TAGGABLE_TYPES (policy/taggable-scan.ts).
 */
export function tagArgumentsOf(type: string, candidates: readonly string[]): string[] {
    const [pkg, moduleAndFile, className] = type.split(":");
    const [module, file] = moduleAndFile.split("/");
    const pkgDir = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`));
    const dir = path.join(pkgDir, module === "index" ? "" : module);
    // Tokens do not always match file names' case (gcp:projects/iAMMember -> iammember.d.ts).
    const fileName = fs.readdirSync(dir).find((f) => f.toLowerCase() === `${file.toLowerCase()}.d.ts`);
    if (!fileName) throw new Error(`no declarations for ${type} in ${dir}`);
    const text = fs.readFileSync(path.join(dir, fileName), "utf8");
    if (!text.includes(`export interface ${className}Args {`)) throw new Error(`no ${className}Args in ${path.join(dir, fileName)}`);
    return tagArgumentsIn(text, className, candidates);
}
