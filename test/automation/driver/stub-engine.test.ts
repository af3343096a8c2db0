import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { PulumiDriver } from "../../../automation/driver/pulumi-driver";
import { STUB_DIR, finished, freshClone, gitStatus, pavedProcess, stubCalls, stubEnv, waitForCall } from "./stub-cli";

const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

/**
 * `paved` against a stand-in `pulumi` on PATH (no CLI can be installed here): the real binary, the
 * real PulumiDriver and the real Automation API, on a fresh clone of this repository.
 */
describe("paved and the Automation API against a stub pulumi, on a fresh clone", function () {
    this.timeout(120_000);
    const clones: string[] = [];
    const clone = () => {
        const dir = freshClone();
        clones.push(dir);
        return { dir, log: path.join(dir, "..", `${path.basename(dir)}.stub.log`) };
    };
    after(() => clones.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("paved up --stack local with no .pulumi/ reaches the engine, the backend folder created, and leaves the checkout clean", async () => {
        const { dir, log } = clone();
        expect(fs.existsSync(path.join(dir, ".pulumi"))).to.equal(false);
        const run = await finished(pavedProcess(["up", "--stack", "local"], stubEnv(dir, log)));
        expect(run.err).to.equal("");
        expect(run.code).to.equal(0);
        const up = stubCalls(log).find((c) => c.args[0] === "up" && c.event === "called");
        expect(up, "the engine was never called").to.not.equal(undefined);
        expect(up!.backendUrl).to.equal(`file://${path.join(dir, ".pulumi")}`);
        expect(up!.backendFolderExists).to.equal(true);
        // The stub, like the CLI, saved a salt into the stack file at `stack init`: it is back as committed.
        expect(stubCalls(log).some((c) => c.args.join(" ").startsWith("stack init local"))).to.equal(true);
        expect(gitStatus(dir)).to.equal("");
    });

    /** `paved up --stack local` with a long-running pulumi child, signalled once it runs; what the child received. */
    async function signalledUp(send: (pavedPid: number) => void) {
        const { dir, log } = clone();
        const child = pavedProcess(["up", "--stack", "local"], stubEnv(dir, log, { PULUMI_STUB_UP_HANGS: "1" }));
        const done = finished(child);
        const running = await waitForCall(log, (c) => c.event === "running");
        send(child.pid!);
        const run = await done;
        return { run, dir, childSignals: stubCalls(log).filter((c) => c.event === "signal" && c.pid === running.pid).map((c) => c.signal) };
    }

    it("SIGINT never reaches a running pulumi child twice: Ctrl-C to the terminal's group, the child cancels once", async () => {
        // What a terminal does on Ctrl-C: SIGINT to the whole foreground process group, pulumi included.
        const { run, dir, childSignals } = await signalledUp((pid) => process.kill(-pid, "SIGINT"));
        expect(childSignals).to.deep.equal(["SIGINT"]);
        expect(run.out).to.include("local: up FAILED — local: cancelled");
        expect(run.code).to.equal(1);
        expect(run.err).to.not.match(STACK_FRAME);
        expect(gitStatus(dir)).to.equal("");
    });

    it("SIGTERM to paved alone (a CI cancel) cancels the running pulumi child with exactly one SIGINT", async () => {
        const { run, dir, childSignals } = await signalledUp((pid) => process.kill(pid, "SIGTERM"));
        expect(childSignals).to.deep.equal(["SIGINT"]);
        expect(run.out).to.include("local: up FAILED — local: cancelled");
        expect(run.code).to.equal(1);
        expect(gitStatus(dir)).to.equal("");
    });

    it("refuses a CLI older than 3.211.0 before touching a stack: exit 2, one line, no stack trace", async () => {
        const { dir, log } = clone();
        const run = await finished(pavedProcess(["up", "--stack", "local"], stubEnv(dir, log, { PULUMI_STUB_VERSION: "v3.210.0" })));
        expect(run.code).to.equal(2);
        expect(run.err.trim().split("\n")).to.deep.equal([
            "paved: the Pulumi CLI is v3.210.0, older than 3.211.0, which stack tags on the file and S3 backends need: install 3.211.0 or newer (e.g. curl -fsSL https://get.pulumi.com | sh -s -- --version 3.211.0) and run again",
        ]);
        const calls = stubCalls(log);
        expect(calls).to.not.be.empty;
        expect(calls.map((c) => c.args[0])).to.deep.equal(["version"]);
        expect(gitStatus(dir)).to.equal("");
    });

    it("applies temporary config to one run through a scratch copy outside the checkout; no tracked file changes", async () => {
        const { dir, log } = clone();
        const saved = process.env.PATH;
        process.env.PATH = `${STUB_DIR}${path.delimiter}${saved ?? ""}`;
        process.env.PULUMI_STUB_LOG = log;
        try {
            const driver = new PulumiDriver({ projectDir: dir, env: { ...process.env, PULUMI_BACKEND_URL: "" }, policyPack: false });
            await driver.run("local", "up", { config: { "paved:local.drill": "true" } });
        } finally {
            process.env.PATH = saved;
            delete process.env.PULUMI_STUB_LOG;
        }
        const config = stubCalls(log).find((c) => c.event === "config");
        expect(config, "up was never called").to.not.equal(undefined);
        expect(config!.configFile!.startsWith(dir)).to.equal(false);
        expect(config!.configFileContent).to.include("  paved:local:\n    context: kind-paved\n    drill: \"true\"\n");
        expect(fs.existsSync(config!.configFile!)).to.equal(false);
        expect(fs.readFileSync(path.join(dir, "Pulumi.local.yaml"), "utf8")).to.not.include("drill");
        expect(gitStatus(dir)).to.equal("");
    });
});
