import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { readStackConfig } from "../../../automation/offline/stack-file";
import { autoFixStacks } from "../../../automation/runner/drift-policy";
import { REPO_ROOT } from "../../harness";
import { FLEET } from "./paved";

const environmentOf = (stack: string) => readStackConfig(REPO_ROOT, stack).config["paved:environment"];

describe("drift.yaml: which environments auto-fix", () => {
    it("the shipped file: dev and staging are fixed by the nightly check, production is not", () => {
        expect(autoFixStacks(REPO_ROOT, FLEET, environmentOf)).to.deep.equal(["dev", "dev-gcp", "staging"]);
    });

    function withFile(text: string | undefined, body: (dir: string) => void): void {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drift-yaml-"));
        try {
            if (text !== undefined) fs.writeFileSync(path.join(dir, "drift.yaml"), text);
            body(dir);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    const envs = (stack: string) => ({ dev: "dev", "prod-a": "prod" })[stack] ?? "?";

    it("refuses an environment of the fleet that the file does not decide, naming it and the fix", () => {
        withFile("autoFix:\n  dev: true\n", (dir) => {
            expect(() => autoFixStacks(dir, ["dev", "prod-a"], envs)).to.throw("drift.yaml: autoFix has no entry for environment(s) prod: decide each, e.g. autoFix: { prod: false }");
        });
    });

    it("refuses a value that is not true or false, naming the key and the value", () => {
        withFile("autoFix:\n  dev: yes please\n  prod: false\n", (dir) => {
            expect(() => autoFixStacks(dir, ["dev", "prod-a"], envs)).to.throw(/^drift\.yaml: autoFix\.dev: .+ \(got "yes please"\); e\.g\. autoFix: \{ dev: true, staging: true, prod: false \}$/);
        });
    });

    it("refuses a missing file with an example", () => {
        withFile(undefined, (dir) => {
            expect(() => autoFixStacks(dir, ["dev"], envs)).to.throw(`--auto-fix needs drift.yaml in ${dir}, listing each environment: e.g. autoFix: { dev: true, staging: true, prod: false }`);
        });
    });
});
