import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../harness";

/** `npm run setup` as a child process, with the given PATH; --dry-run installs nothing. */
function setup(args: string[], PATH: string): { code: number | null; out: string; err: string } {
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "setup.mjs"), ...args], { env: { ...process.env, PATH }, encoding: "utf8" });
    return { code: run.status, out: run.stdout, err: run.stderr };
}

describe("npm run setup (scripts/setup.mjs)", () => {
    it("does nothing, in one line, when promtool and prometheus are on PATH", () => {
        const run = setup([], process.env.PATH ?? "");
        expect(run).to.include({ code: 0, err: "" });
        expect(run.out).to.match(/^setup: nothing to do: promtool and prometheus are on PATH \(promtool, version \d+\.\d+.*\)\n$/);
    });

    it("on Debian with both missing, names the apt-get command it runs (dry run: installs nothing)", () => {
        const run = setup(["--dry-run"], "/nonexistent");
        expect(run).to.include({ code: 0, err: "", out: "setup: would run: apt-get update && apt-get install -y --no-install-recommends prometheus\n" });
    });
});
