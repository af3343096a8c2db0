import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { MissingPassphraseError, PulumiDriver, backendUrl, passphraseFor } from "../../../automation/driver/pulumi-driver";
import { StackMissingError } from "../../../automation/driver/port";
import { REPO_ROOT } from "../../harness";
import { paved } from "../runner/paved";

describe("PulumiDriver (Automation API adapter)", () => {
    it("uses the repository's .pulumi file backend unless PULUMI_BACKEND_URL says otherwise", () => {
        expect(backendUrl("/repo", {})).to.equal("file:///repo/.pulumi");
        expect(backendUrl("/repo", { PULUMI_BACKEND_URL: "s3://state-bucket" })).to.equal("s3://state-bucket");
    });

    it("takes the passphrase only from the environment, with a default for the local stack alone", () => {
        expect(passphraseFor("dev", { PULUMI_CONFIG_PASSPHRASE: "from-env" })).to.equal("from-env");
        expect(passphraseFor("local", {})).to.equal("local-only");
        expect(() => passphraseFor("prod-us-east-1", {})).to.throw(MissingPassphraseError, "PULUMI_CONFIG_PASSPHRASE is not set: export it for stack prod-us-east-1");
    });

    it("checks the passphrase, then the CLI, before any stack is touched: exit 2 with one line", async () => {
        const withEnv = (env: Record<string, string>) => paved(["up", "--stack", "dev"], { driver: new PulumiDriver({ projectDir: REPO_ROOT, env }) });
        const noPassphrase = await withEnv({ PATH: process.env.PATH ?? "" });
        expect([noPassphrase.code, noPassphrase.err]).to.deep.equal([2, ["paved: PULUMI_CONFIG_PASSPHRASE is not set: export it for stack dev (the runner has no default passphrase)"]]);
        const noCli = await withEnv({ PATH: "/nonexistent", PULUMI_CONFIG_PASSPHRASE: "set" });
        expect(noCli.code).to.equal(2);
        expect(noCli.err[0]).to.match(/^paved: the Pulumi CLI is not on PATH/);
        expect(noCli.out).to.be.empty;
    });

    describe("against a real Pulumi CLI and a temporary file backend", function () {
        this.timeout(180_000);
        const hasPulumi = spawnSync("pulumi", ["version"], { encoding: "utf8" }).status === 0;
        let backend: string;
        before(function () {
            if (!hasPulumi) {
                console.log("      skipped: no `pulumi` binary on PATH (it cannot be installed on these build machines); runs wherever the Pulumi CLI is installed");
                this.skip();
            }
            backend = fs.mkdtempSync(path.join(os.tmpdir(), "paved-backend-"));
        });

        it("creates a stack from a template, updates, previews, tags, destroys and removes it (cleaned up like the SDK's withStack)", async () => {
            const projectDir = path.join(REPO_ROOT, "test", "fixtures", "tiny-project");
            const env = { ...process.env, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "integration-test" };
            const driver = new PulumiDriver({ projectDir, env, policyPack: false });
            const stackName = `it-${Date.now()}`;
            const stackFile = path.join(projectDir, `Pulumi.${stackName}.yaml`);
            try {
                driver.assertReady([stackName]);
                await driver.createStack(stackName, "template");
                expect(await driver.listStacks()).to.include(stackName);
                expect((await driver.run(stackName, "up")).changes).to.have.property("create");
                expect(await driver.outputs(stackName)).to.deep.equal({ greeting: "hello world" });
                expect((await driver.run(stackName, "preview")).changes).to.have.property("same");
                expect(await driver.previewRefresh(stackName)).to.deep.equal([]);
                await driver.setTags(stackName, { "paved:pr": "123" });
                expect(await driver.getTags(stackName)).to.include({ "paved:pr": "123" });
                await driver.run(stackName, "destroy");
            } finally {
                await driver.removeStack(stackName).catch(() => undefined);
                fs.rmSync(stackFile, { force: true });
            }
            try {
                await driver.run(stackName, "up");
                expect.fail("a removed stack must be missing");
            } catch (e) {
                expect(e).to.be.instanceOf(StackMissingError);
            }
        });

        after(() => {
            if (backend) fs.rmSync(backend, { recursive: true, force: true });
        });
    });
});
