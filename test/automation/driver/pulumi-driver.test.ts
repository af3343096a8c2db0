import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { CommandError, EngineEvent, LocalWorkspaceOptions, Stack } from "@pulumi/pulumi/automation";
import { Interrupt } from "../../../automation/driver/interrupt";
import { PulumiDriver, StackFactory, backendUrl, ensureBackend, pinnedPulumiCli, stackBaseName } from "../../../automation/driver/pulumi-driver";
import { MINIMUM_PULUMI_CLI, MissingPassphraseError, cliVersionSupported, passphraseFor } from "../../../automation/driver/pulumi-readiness";
import { OperationCancelledError, StackMissingError } from "../../../automation/driver/port";
import { isPrStack } from "../../../automation/runner/pr-stacks";
import { REPO_ROOT } from "../../harness";
import { paved } from "../runner/paved";

describe("PulumiDriver (Automation API adapter)", () => {
    it("uses the repository's .pulumi file backend unless PULUMI_BACKEND_URL says otherwise", () => {
        expect(backendUrl("/repo", {})).to.equal("file:///repo/.pulumi");
        expect(backendUrl("/repo", { PULUMI_BACKEND_URL: "s3://state-bucket" })).to.equal("s3://state-bucket");
        // An unset GitHub variable arrives as "": not Pulumi Cloud.
        expect(backendUrl("/repo", { PULUMI_BACKEND_URL: "" })).to.equal("file:///repo/.pulumi");
    });

    it("creates the default backend's folder, which a fresh clone lacks, and leaves other backends alone", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-project-"));
        try {
            expect(ensureBackend(dir, { PULUMI_BACKEND_URL: "s3://state-bucket" })).to.equal("s3://state-bucket");
            expect(fs.existsSync(path.join(dir, ".pulumi"))).to.equal(false);
            expect(ensureBackend(dir, { PULUMI_BACKEND_URL: "" })).to.equal(`file://${dir}/.pulumi`);
            expect(fs.statSync(path.join(dir, ".pulumi")).isDirectory()).to.equal(true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("accepts `pulumi version` from 3.211.0 on (stack tags on DIY backends, CHANGELOG 3.211.0) and pins a CLI that qualifies", () => {
        expect(MINIMUM_PULUMI_CLI).to.equal("3.211.0");
        const table = ["v3.210.9", "v3.211.0", "v3.248.0", "v3.300.0-alpha.1", "v4.0.0", "v2.99.99", "3.211.1", "not a version"].map((v) => [v, cliVersionSupported(`${v}\n`)]);
        expect(table).to.deep.equal([["v3.210.9", false], ["v3.211.0", true], ["v3.248.0", true], ["v3.300.0-alpha.1", true], ["v4.0.0", true], ["v2.99.99", false], ["3.211.1", true], ["not a version", false]]);
        expect(pinnedPulumiCli(REPO_ROOT)).to.equal("3.248.0");
    });

    it("installs the pinned CLI from that one file in the real-engine workflow, which runs the integration suite on every push", () => {
        const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", "real-engine.yml"), "utf8")) as {
            on: Record<string, unknown>;
            jobs: Record<string, { steps: { uses?: string; with?: Record<string, string>; run?: string }[] }>;
        };
        expect(Object.keys(workflow.on)).to.include("push");
        const steps = workflow.jobs["real-engine"].steps;
        expect(steps.filter((s) => s.uses?.startsWith("pulumi/actions@")).map((s) => s.with)).to.deep.equal([{ "pulumi-version-file": ".pulumi-version" }]);
        expect(steps.some((s) => s.run?.includes("test/automation/driver/real-engine.test.ts"))).to.equal(true);
    });

    it("normalises org-prefixed stack names from Pulumi Cloud wherever stacks are compared", () => {
        expect(["acme/pr-5", "acme/paved/pr-5", "pr-5", "dev"].map(stackBaseName)).to.deep.equal(["pr-5", "pr-5", "pr-5", "dev"]);
        expect(["acme/pr-5", "acme/paved/pr-12", "acme/dev", "acme/pr-x"].map(isPrStack)).to.deep.equal([true, true, false, false]);
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

    describe("what it hands the Automation API (a recording stack factory)", () => {
        interface Call {
            readonly method: string;
            readonly options: Record<string, unknown>;
            readonly policyConfig?: unknown;
            readonly configFileText?: string;
        }
        const backend = fs.mkdtempSync(path.join(os.tmpdir(), "paved-backend-"));
        after(() => fs.rmSync(backend, { recursive: true, force: true }));

        function recording(onCall: (method: string, options: Record<string, unknown>) => Error | undefined = () => undefined) {
            const calls: Call[] = [];
            const selected: [string, string, LocalWorkspaceOptions][] = [];
            const op = (method: string, result: unknown) => (options: Record<string, unknown> = {}) => {
                const configs = options.policyPackConfigs as string[] | undefined;
                calls.push({
                    method,
                    options,
                    policyConfig: configs?.length ? JSON.parse(fs.readFileSync(configs[0], "utf8")) : undefined,
                    configFileText: typeof options.configFile === "string" ? fs.readFileSync(options.configFile, "utf8") : undefined,
                });
                const thrown = onCall(method, options);
                return thrown ? Promise.reject(thrown) : Promise.resolve(result);
            };
            const summary = { summary: { resourceChanges: { update: 1 } } };
            const stack = {
                up: op("up", summary),
                preview: op("preview", { changeSummary: { same: 1 } }),
                refresh: op("refresh", summary),
                destroy: op("destroy", summary),
                previewRefresh: op("previewRefresh", {}),
                cancel: op("cancel", undefined),
            };
            const factory: StackFactory = (args, options, mode) => {
                selected.push([args.stackName, mode, options]);
                return Promise.resolve(stack as unknown as Stack);
            };
            const driver = new PulumiDriver({ projectDir: REPO_ROOT, env: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "test" }, stacks: factory });
            return { calls, selected, driver };
        }

        it("passes the policy pack with every policy advisory outside production, and each at its own level in production", async () => {
            const { calls, driver } = recording();
            await driver.run("dev", "up");
            await driver.run("prod-us-east-1", "up");
            await driver.run("pr", "preview");
            await driver.run("dev", "refresh");
            expect(calls.map((c) => c.method)).to.deep.equal(["up", "up", "preview", "refresh"]);
            expect(calls.slice(0, 3).map((c) => c.options.policyPacks)).to.deep.equal([[`${REPO_ROOT}/policy`], [`${REPO_ROOT}/policy`], [`${REPO_ROOT}/policy`]]);
            const [dev, prod, pr] = calls.map((c) => c.policyConfig as Record<string, unknown>);
            expect(dev).to.include({ all: "advisory" });
            expect(dev["spot-for-non-prod-pools"]).to.deep.equal({ production: false });
            expect(prod).to.not.have.property("all");
            expect(prod["spot-for-non-prod-pools"]).to.deep.equal({ production: true });
            expect(prod["no-ssh-into-nodes"]).to.deep.equal({ production: true });
            expect(pr).to.include({ all: "advisory" });
            expect(calls[3].options).to.not.have.property("policyPacks");
        });

        it("reads each stack's config from a scratch copy outside the checkout, salt kept in the state", async () => {
            const { calls, selected, driver } = recording();
            await driver.run("dev", "up", { config: { "paved:global.drill": "true" } });
            const configFile = calls[0].options.configFile as string;
            expect(configFile.startsWith(os.tmpdir())).to.equal(true);
            expect(fs.existsSync(configFile)).to.equal(false);
            expect(calls[0].configFileText).to.include(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8").split("\n")[0]);
            expect(calls[0].configFileText).to.include('  paved:global:\n    drill: "true"\n');
            expect(selected.map(([stack, mode, o]) => [stack, mode, o.envVars?.PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER])).to.deep.equal([["dev", "createOrSelect", "true"]]);
        });

        it("starts nothing when the signal is already aborted", async () => {
            const { calls, selected, driver } = recording();
            const error = await driver.run("dev", "up", { signal: AbortSignal.abort() }).catch((e: unknown) => e);
            expect(error).to.be.instanceOf(OperationCancelledError);
            const drift = await driver.previewRefresh("dev", { signal: AbortSignal.abort() }).catch((e: unknown) => e);
            expect(drift).to.be.instanceOf(OperationCancelledError);
            expect([calls, selected]).to.deep.equal([[], []]);
        });

        it("reports the SDK's CommandError of a cancelled run as cancelled, and any other as it is", async () => {
            const failing = (controller?: AbortController) =>
                recording(() => {
                    controller?.abort();
                    return new CommandError({ toString: () => "code: 255\n stderr: error: update canceled" } as never);
                });
            const controller = new AbortController();
            const cancelled = await failing(controller).driver.run("dev", "up", { signal: controller.signal }).catch((e: unknown) => e);
            expect(cancelled).to.be.instanceOf(OperationCancelledError);
            const failed = await failing().driver.run("dev", "up", { signal: new AbortController().signal }).catch((e: unknown) => e);
            expect(failed).to.be.instanceOf(CommandError);
        });

        it("after Ctrl-C lets the running pulumi cancel on the terminal's SIGINT; only an escalation reaches the SDK", async () => {
            let sdkSignal: AbortSignal | undefined;
            const stop = new AbortController();
            const cancelRunning = new AbortController();
            const { driver } = recording((_method, options) => {
                sdkSignal = options.signal as AbortSignal;
                stop.abort(new Interrupt(cancelRunning.signal));
                return undefined;
            });
            await driver.run("dev", "up", { signal: stop.signal });
            expect(sdkSignal?.aborted).to.equal(false);
            cancelRunning.abort();
            expect(sdkSignal?.aborted).to.equal(true);
        });

        it("clears a dead run's lock with pulumi cancel", async () => {
            const { calls, driver } = recording();
            await driver.cancelStaleUpdate("prod-us-east-1");
            expect(calls.map((c) => c.method)).to.deep.equal(["cancel"]);
        });

        it("maps refresh-preview events to drift from resOutputsEvent", async () => {
            const events = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "test/fixtures/engine-events/refresh-preview-deleted-outside-pulumi.json"), "utf8")) as EngineEvent[];
            const { driver } = recording((method, options) => {
                if (method === "previewRefresh") events.forEach((e) => (options.onEvent as (e: EngineEvent) => void)(e));
                return undefined;
            });
            const findings = await driver.previewRefresh("dev");
            expect(findings.map((f) => [f.type, f.property, f.kind])).to.deep.equal([["aws:s3/bucketV2:BucketV2", "id", "deleted"]]);
        });
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
