import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { StackFileError } from "../../automation/offline/stack-file";
import { checkStackConfig } from "../../automation/plan/validate";
import { StackConfigError } from "../../stacks/config-problems";
import { reconcilerOf, stackReconcilers } from "../../stacks/reconciler";
import { REPO_ROOT } from "../harness";

/** A copy of the repository's project and stack files in a temp folder, never the checkout. */
function copyOfStackFiles(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-reconciler-"));
    for (const f of fs.readdirSync(REPO_ROOT).filter((f) => /^Pulumi\..*yaml$/.test(f))) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
    return dir;
}

describe("paved:reconciler", () => {
    it("names the operator or paved, paved when unset, and rejects anything else with the key, value and an example", () => {
        expect(reconcilerOf({ "paved:reconciler": "operator" })).to.equal("operator");
        expect(reconcilerOf({ "paved:reconciler": "paved" })).to.equal("paved");
        expect(reconcilerOf({ "paved:cloud": "aws" })).to.equal("paved");
        expect(() => reconcilerOf({ "paved:reconciler": "argo" }, "Pulumi.x.yaml"))
            .to.throw(StackFileError, 'Pulumi.x.yaml: paved:reconciler got "argo": must be "operator" or "paved"; e.g. paved:reconciler: operator');
    });

    it("lists every stack file with its reconciler, from the files alone", () => {
        const dir = copyOfStackFiles();
        try {
            const stacks = fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s) => s !== undefined);
            expect(stacks).to.include.members(["dev", "staging", "prod-global"]);
            fs.appendFileSync(path.join(dir, "Pulumi.dev.yaml"), "  paved:reconciler: operator\n");
            const listed = stackReconcilers(dir);
            expect(listed.map((s) => s.stack)).to.have.members(stacks);
            expect(listed.find((s) => s.stack === "dev")?.reconciler).to.equal("operator");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("is a config key of every role: a bad value is one config problem with the value and an example", () => {
        const dir = copyOfStackFiles();
        const problemsOf = (stack: string, value: string): StackConfigError | undefined => {
            const file = path.join(dir, `Pulumi.${stack}.yaml`);
            // Without the shipped file's own line, if it has one (a key twice is not YAML).
            const shipped = fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8").replace(/^\s+paved:reconciler:.*\n/m, "");
            fs.writeFileSync(file, `${shipped}  paved:reconciler: ${value}\n`);
            try {
                checkStackConfig(dir, stack);
                return undefined;
            } catch (e) {
                if (e instanceof StackConfigError) return e;
                throw e;
            }
        };
        try {
            for (const stack of ["dev-gcp", "prod-global", "pr", "local"]) {
                const bad = problemsOf(stack, "argo");
                expect(bad?.problems, stack).to.have.length(1);
                expect(bad?.problems[0].propertyPath, stack).to.equal("paved:reconciler");
                expect(bad?.problems[0].reason, stack).to.match(/^got "argo": must be "operator" or "paved"; e\.g\. "operator"/);
                expect(problemsOf(stack, "operator"), stack).to.equal(undefined);
                expect(problemsOf(stack, "paved"), stack).to.equal(undefined);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
