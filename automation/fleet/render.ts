/**
 * `npm run render:fleet`: writes deploy/fleet/stacks.yaml, the Stack objects Argo CD applies, from
 * the stack files. Run it after changing a Pulumi.<stack>.yaml, rings.yaml or .pulumi-version.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FLEET_MANIFESTS_PATH } from "../../components/gitops/fleet-application";
import { FLEET_MANIFESTS_FILE, renderFleetManifests } from "../../stacks/fleet-manifests";

const projectDir = process.argv[2] ?? path.resolve(__dirname, "..", "..");
const file = path.join(projectDir, FLEET_MANIFESTS_PATH, FLEET_MANIFESTS_FILE);
try {
    const text = renderFleetManifests(projectDir);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (before !== text) fs.writeFileSync(file, text);
    console.log(`${path.relative(projectDir, file)}: ${before === text ? "up to date" : "written"}`);
} catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
}
