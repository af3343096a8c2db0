/**
 * `npm run render:fleet`: writes deploy/fleet (the Stack objects Argo CD applies) from the stack
 * files. Run it after changing a Pulumi.<stack>.yaml, rings.yaml or .pulumi-version.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderFleetFiles } from "../../stacks/fleet-manifests";

const projectDir = process.argv[2] ?? path.resolve(__dirname, "..", "..");
try {
    for (const [relative, text] of Object.entries(renderFleetFiles(projectDir))) {
        const file = path.join(projectDir, relative);
        const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
        if (text === undefined) {
            if (before !== undefined) fs.rmSync(file);
            if (before !== undefined) console.log(`${relative}: removed`);
            continue;
        }
        fs.mkdirSync(path.dirname(file), { recursive: true });
        if (before !== text) fs.writeFileSync(file, text);
        console.log(`${relative}: ${before === text ? "up to date" : "written"}`);
    }
} catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
}
