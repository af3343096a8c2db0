import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { isTeamProductionConfig } from "../../../automation/driver/policy-config";
import { REPO_ROOT } from "../../harness";
import { loadedModules, pavedArgs } from "../../paved-binary";

/*
 * `paved plan` of a team's own project (issue #18, item 3): test/fixtures/team-project is project
 * `team-a` with its own index.ts (a spot pool on an existing cluster and an SSH-open security group).
 * Through the real binary: the team's program is what runs, under the platform's policies, advisory on
 * dev and mandatory on prod; a stack whose program fails, or whose worker dies, is one line.
 */

const TEAM = path.join(REPO_ROOT, "test", "fixtures", "team-project");
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

function paved(args: readonly string[], env: Record<string, string> = {}, nodeArgs: readonly string[] = []) {
    const run = spawnSync(process.execPath, [...nodeArgs, ...pavedArgs(args)], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const gitStatus = () => spawnSync("git", ["status", "--porcelain"], { cwd: REPO_ROOT, encoding: "utf8" }).stdout;

describe("paved plan --project <a team's project>", function () {
    this.timeout(60_000);

    it("runs the team's program with the platform's policies: advisory on dev, mandatory on prod (exit 3), the team's cost report, the checkout untouched", () => {
        const before = gitStatus();
        // In this process; the team program in a worker thread is the last test's (its dev stack).
        const { code, stdout, stderr } = paved(["plan", "--project", TEAM, "dev", "prod", "--workers", "1"]);
        expect(stderr).to.equal("");
        expect(code).to.equal(3);
        const [dev, prod] = stdout.split(/\n(?=prod \()/);
        expect(dev).to.contain("dev (non-production): 7 resources\n  team project team-a, program index.ts\n");
        expect(dev).to.contain('paved:nodepools:EksSpotNodePool "team-a-apps": 6');
        expect(dev).to.contain("policy: 0 mandatory, 1 advisory violation(s)");
        expect(dev).to.contain("[advisory] no-ssh-into-nodes team-a-debug-ssh: security group ingress allows port 22");
        // The cost report the team's program exports: 2 spot m6i.large, priced from the shipped table.
        expect(dev).to.contain("cost (dev, monthly, USD");
        expect(dev).to.match(/team-a-apps +2 × m6i\.large +spot/);
        expect(prod).to.contain("prod (production): 7 resources\n  team project team-a, program index.ts\n");
        expect(prod).to.contain("policy: 1 mandatory, 0 advisory violation(s)");
        expect(prod).to.contain("[mandatory] no-ssh-into-nodes team-a-debug-ssh: security group ingress allows port 22");
        expect(gitStatus()).to.equal(before);
    });

    it("names the stack and the program's error in one line, a program that never finishes too (PAVED_PROJECT_DIR, --json), exit 1, a secret output still secret", () => {
        // In this process (--workers 1), where nothing but paved's own watch stops a program that never finishes.
        const { code, stdout, stderr } = paved(["plan", "broken", "dev", "hang", "--json", "--workers", "1"], { PAVED_PROJECT_DIR: path.relative(REPO_ROOT, TEAM) });
        expect(code).to.equal(1);
        expect(stderr).to.equal("");
        expect(stdout).not.to.match(STACK_FRAME);
        const report = JSON.parse(stdout) as { stacks: { stack: string; outputs: Record<string, string> }[]; failed: { stack: string; kind: string; message: string }[] };
        expect(report.failed.map((f) => [f.stack, f.kind])).to.deep.equal([["broken", "failure"], ["hang", "failure"]]);
        expect(report.failed[0].message).to.equal("index.ts: Missing required configuration variable 'team-a:clusterName' please set a value using the command `pulumi config set team-a:clusterName <value>`");
        expect(report.failed[1].message).to.equal("index.ts: the program never finished: it awaits something that nothing left to run will settle");
        expect(report.stacks.map((s) => s.stack)).to.deep.equal(["dev"]);
        expect(report.stacks[0].outputs.dbPassword).to.equal("[secret]");
        expect(report.stacks[0].outputs.spotNodeGroup).to.match(/^team-a-apps-spot-/);
        expect(report.stacks[0].outputs.ready).to.equal("yes");
    });

    it("a plan worker that dies fails its own stack in one line and the others are still planned, exit 1 (the real worker threads; the main thread loads no planning module)", () => {
        // Stack `exits` calls process.exit(7) in its program: in a worker thread that ends only the worker.
        // A --require hook writes the main thread's require.cache at exit: the workers planned, so it loaded no planning module.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-team-workers-"));
        const hook = path.join(dir, "hook.cjs");
        fs.writeFileSync(hook, 'process.on("exit", () => require("node:fs").writeFileSync(process.env.PAVED_TEST_LOADED, JSON.stringify(Object.keys(require.cache))));\n');
        try {
            const { code, stdout, stderr } = paved(["plan", "--project", TEAM, "exits", "dev", "--workers", "2"], { PAVED_TEST_LOADED: path.join(dir, "loaded.json") }, ["--require", hook]);
            expect(code).to.equal(1);
            expect(stderr.trim().split("\n")).to.deep.equal(["exits: its plan worker exited (code 7) before finishing it"]);
            expect(stdout).not.to.match(STACK_FRAME);
            expect(stdout).to.contain("dev (non-production): 7 resources\n  team project team-a, program index.ts\n");
            const loaded = loadedModules(JSON.parse(fs.readFileSync(path.join(dir, "loaded.json"), "utf8")) as string[]);
            expect(loaded.some((m) => m.includes(`${path.sep}plan-pool.`))).to.equal(true);
            const planning = ["/node_modules/@pulumi/", "/node_modules/@grpc/", `${path.sep}components${path.sep}`, `${path.sep}stacks${path.sep}`, `${path.sep}policy${path.sep}`];
            expect(loaded.filter((m) => planning.some((h) => m.includes(h)))).to.deep.equal([]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("isTeamProductionConfig", () => {
    it("reads <project>:production, else <project>:environment is prod, else the stack's name", () => {
        expect(isTeamProductionConfig("team-a", "dev", { "team-a:production": "true" })).to.equal(true);
        expect(isTeamProductionConfig("team-a", "prod", { "team-a:production": "false", "team-a:environment": "prod" })).to.equal(false);
        expect(isTeamProductionConfig("team-a", "eu", { "team-a:environment": "prod" })).to.equal(true);
        expect(isTeamProductionConfig("team-a", "prod", { "team-a:environment": "staging" })).to.equal(false);
        expect(isTeamProductionConfig("team-a", "prod-eu", {})).to.equal(true);
        expect(isTeamProductionConfig("team-a", "production", {})).to.equal(false);
        // Another project's (or the platform's) key does not count.
        expect(isTeamProductionConfig("team-a", "dev", { "paved:production": "true", "team-b:environment": "prod" })).to.equal(false);
    });
});
