import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The tag-like arguments a resource type accepts, read from its provider SDK's declarations
 * (e.g. `VpcArgs.tags`), so "every taggable resource is tagged" is checked against the real
 * provider surface rather than a hand-kept list.
 */
export function tagArgumentsOf(type: string, candidates: readonly string[]): string[] {
    const [pkg, moduleAndFile, className] = type.split(":");
    const [module, file] = moduleAndFile.split("/");
    const pkgDir = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`));
    const dir = path.join(pkgDir, module === "index" ? "" : module);
    // Tokens do not always match file names' case (gcp:projects/iAMMember -> iammember.d.ts).
    const fileName = fs.readdirSync(dir).find((f) => f.toLowerCase() === `${file.toLowerCase()}.d.ts`);
    if (!fileName) throw new Error(`no declarations for ${type} in ${dir}`);
    const declFile = path.join(dir, fileName);
    const text = fs.readFileSync(declFile, "utf8");
    const start = text.indexOf(`export interface ${className}Args {`);
    if (start < 0) throw new Error(`no ${className}Args in ${declFile}`);
    const body = text.slice(start, text.indexOf("\n}", start));
    return candidates.filter((arg) => new RegExp(`^\\s+${arg}\\?:`, "m").test(body));
}
