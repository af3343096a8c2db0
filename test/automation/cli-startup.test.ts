import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../harness";
import { loadedModules, pavedArgs } from "../paved-binary";

/*
 * The CLI loads a command's modules only when that command runs (automation/cli-modules.ts): --version
 * and a usage error start without Pulumi's SDK, its Automation API or the clouds' SDKs, which cost about
 * 1 CPU-s and 200 MB at every start when they were imported up front. Checked on the real binary: a
 * --require hook prints every module in require.cache as the process exits.
 */
const HOOK = `process.on("exit", () => require("node:fs").writeSync(2, "\\nLOADED " + JSON.stringify(Object.keys(require.cache)) + "\\n"));\n`;

/** Modules that must not load to print the version or refuse a flag. */
const HEAVY = ["/node_modules/@pulumi/pulumi/", "/node_modules/@pulumi/pulumi/automation/", "/node_modules/@pulumi/aws/", "/node_modules/@pulumi/gcp/", "/node_modules/@aws-sdk/", "/node_modules/@grpc/grpc-js/"];

function loadedBy(hook: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string; loaded: string[] }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["--require", hook, ...pavedArgs(args)], { cwd: REPO_ROOT, timeout: 60_000, env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code) => {
            const line = /^LOADED (.*)$/m.exec(stderr);
            resolve({ code, stdout, stderr: stderr.replace(/\n?LOADED .*\n/, ""), loaded: line ? loadedModules(JSON.parse(line[1]) as string[]) : [] });
        });
    });
}

describe("paved's start loads no command's modules (real binary)", function () {
    this.timeout(60_000);
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-startup-"));
        fs.writeFileSync(path.join(dir, "hook.cjs"), HOOK);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("--version and a bad --workers: the answer, and neither Pulumi's SDK nor the Automation API nor a cloud SDK loaded", async () => {
        const [version, usage] = await Promise.all([loadedBy(path.join(dir, "hook.cjs"), ["--version"]), loadedBy(path.join(dir, "hook.cjs"), ["plan", "--workers", "0"])]);
        expect(version.code).to.equal(0);
        expect(version.stdout.trim()).to.equal((JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version);
        expect(usage.code).to.equal(2);
        expect(usage.stderr.trim()).to.equal('paved: got --workers "0": a positive whole number, e.g. --workers 4 (1 plans the stacks one after another in this process)');
        for (const run of [version, usage]) {
            // The hook saw the CLI itself, so an empty or wrong list cannot pass.
            expect(run.loaded).to.not.be.empty;
            expect(run.loaded.some((m) => m.endsWith(`${path.sep}cli.js`) || m.endsWith(`${path.sep}cli.ts`))).to.equal(true);
            expect(run.loaded.some((m) => m.includes("/node_modules/commander/"))).to.equal(true);
            expect(run.loaded.filter((m) => HEAVY.some((h) => m.includes(h)))).to.deep.equal([]);
        }
    });

    it("a stack refused for a missing passphrase: one line, exit 2, before Pulumi's SDK or its Automation API load", async () => {
        const withoutPassphrase = { ...process.env };
        delete withoutPassphrase.PULUMI_CONFIG_PASSPHRASE;
        const run = await loadedBy(path.join(dir, "hook.cjs"), ["up", "--stack", "dev"], withoutPassphrase);
        expect(run.code).to.equal(2);
        expect(run.stderr.trim()).to.equal("paved: PULUMI_CONFIG_PASSPHRASE is not set: export it for stack dev (the runner has no default passphrase)");
        expect(run.loaded.some((m) => m.includes(`${path.sep}lazy-driver.`))).to.equal(true);
        expect(run.loaded.filter((m) => HEAVY.some((h) => m.includes(h)))).to.deep.equal([]);
    });

    it("a plan loads Pulumi's SDK but not the TypeScript compiler or npm's arborist the SDK would load with it (automation/defer-sdk-modules.ts)", async () => {
        const run = await loadedBy(path.join(dir, "hook.cjs"), ["plan", "local", "--workers", "1"]);
        expect(run.code).to.equal(0);
        expect(run.loaded.some((m) => m.includes("/node_modules/@pulumi/pulumi/runtime/closure/parseFunction.js"))).to.equal(true);
        expect(run.loaded.some((m) => m.includes("/node_modules/@pulumi/pulumi/runtime/closure/codePaths.js"))).to.equal(true);
        expect(run.loaded.filter((m) => m.includes("/node_modules/typescript/") || m.includes("/node_modules/@npmcli/arborist/"))).to.deep.equal([]);
    });
});
