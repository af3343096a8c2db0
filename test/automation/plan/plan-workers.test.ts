import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { planCommand } from "../../../automation/plan/plan-command";
import { defaultWorkers } from "../../../automation/plan/workers-option";
import { REPO_ROOT } from "../../harness";

/** Runs `fn` with what it prints captured in one sequence, each line marked with its stream. */
async function captured(fn: () => Promise<number>): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const [log, error] = [console.log, console.error];
    console.log = (...a: unknown[]) => lines.push(`out: ${a.join(" ")}`);
    console.error = (...a: unknown[]) => lines.push(`err: ${a.join(" ")}`);
    try {
        return { code: await fn(), lines };
    } finally {
        console.log = log;
        console.error = error;
    }
}

describe("paved plan --workers: a worker that dies fails its own stack only", function () {
    this.timeout(60_000);
    const STACKS = ["a", "b", "exits", "hangs", "oom", "throws", "z"];
    let project: string;
    let run: { code: number; lines: string[] };

    before(async () => {
        // Valid stack files (the plan checks every file before any worker starts), planned by a test
        // planner that dies in its own way for the stack named after it (fixtures/crashing-planner.ts).
        project = fs.mkdtempSync(path.join(os.tmpdir(), "paved-workers-"));
        fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
        for (const stack of STACKS) fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.local.yaml"), path.join(project, `Pulumi.${stack}.yaml`));
        run = await captured(() =>
            planCommand(project, [], { workers: 2 }, {
                planner: path.join(__dirname, "fixtures", "crashing-planner.ts"),
                stackTimeoutMs: 3000,
                resourceLimits: { maxOldGenerationSizeMb: 64 },
            }),
        );
    });

    after(() => fs.rmSync(project, { recursive: true, force: true }));

    it("plans every other stack and reports each dead worker as its stack's failure, one line each, all in stack order", () => {
        // z is planned seconds before "hangs" times out, and still comes after it.
        expect(run.lines).to.deep.equal([
            "out: Credential-free evaluation under Pulumi's mock runtime: no cloud was asked; this is not a cloud preview.\n",
            `out: a planned in ${project}\n`,
            `out: b planned in ${project}\n`,
            "err: exits: its plan worker exited (code 7) before finishing it\n",
            "err: hangs: not planned after 3 s: its plan worker was stopped\n",
            "err: oom: its plan worker ran out of memory (a 64 MiB heap each); plan it in this process, without that limit, with --workers 1\n",
            "err: throws: its plan worker crashed: boom in a timer\n",
            `out: z planned in ${project}\n`,
        ]);
    });

    it("exits 1, as for a stack whose program failed", () => {
        expect(run.code).to.equal(1);
    });
});

describe("paved plan without --workers: workers only for enough stacks to repay their start", function () {
    this.timeout(60_000);

    it("plans in this process up to 199 stacks, with one worker per 100 stacks beyond, never more than the cores", () => {
        expect([1, 8, 65, 199].map((n) => defaultWorkers(n, 2))).to.deep.equal([1, 1, 1, 1]);
        expect([200, 201, 1000].map((n) => defaultWorkers(n, 2))).to.deep.equal([2, 2, 2]);
        expect([200, 350, 1000, 5000].map((n) => defaultWorkers(n, 16))).to.deep.equal([2, 3, 10, 16]);
        expect(defaultWorkers(1000, 1)).to.equal(1);
    });

    it("hands 200 stacks to worker threads (the test planner's answers, in stack order) on a machine with 2 cores or more", async function () {
        if (os.availableParallelism() < 2) this.skip();
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "paved-default-workers-"));
        try {
            fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
            const stacks = Array.from({ length: 200 }, (_, i) => `s${String(i).padStart(3, "0")}`);
            for (const stack of stacks) fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.local.yaml"), path.join(project, `Pulumi.${stack}.yaml`));
            const run = await captured(() => planCommand(project, [], {}, { planner: path.join(__dirname, "fixtures", "crashing-planner.ts") }));
            expect(run.lines).to.have.length(201);
            expect(run.lines.slice(1)).to.deep.equal(stacks.map((s) => `out: ${s} planned in ${project}\n`));
            expect(run.code).to.equal(0);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });
});
