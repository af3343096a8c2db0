import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../harness";

const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

/** `npm run bench` as a child process (package.json's command, node's part run by this node), with the given time limit. */
function bench(limit: string): { code: number | null; stderr: string } {
    const [node, ...args] = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: { bench: string } }).scripts.bench.split(" ");
    expect(node).to.equal("node");
    const run = spawnSync(process.execPath, args, {
        cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, PAVED_BENCH_TIMEOUT_SECONDS: limit },
    });
    return { code: run.status, stderr: run.stderr };
}

describe("npm run bench (automation/bench.ts)", function () {
    this.timeout(60_000);

    it("stops at its hard time limit with exit 1 and one line, however far it got", () => {
        const run = bench("0.2");
        expect(run.code).to.equal(1);
        expect(run.stderr).to.equal("bench: gave up after 0.2 s (PAVED_BENCH_TIMEOUT_SECONDS); figures printed above are complete, the rest is missing\n");
        expect(run.stderr).to.not.match(STACK_FRAME);
    });
});
