/**
 * The fleet plan as a user runs it: the built `paved plan` in its own process, at 1 worker (every stack
 * in that process, one after another), 2 and N (the machine's cores) worker threads, over the shipped
 * stacks and over 200 generated PR stacks. Wall time, CPU time and the peak RSS of the whole process
 * tree; and the parallel output must be byte for byte the sequential one, or the bench fails.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface FleetPlanRun {
    readonly workers: number;
    readonly seconds: number;
    /** User + system time of the process, all its threads. */
    readonly cpuSeconds: number;
    /** The highest sum of the RSS of the process and its descendants, sampled every 10 ms. */
    readonly peakMiB: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Reports the whole process's CPU time on fd 3 when it ends, then runs `paved` as its binary does. */
const WRAPPER = `
const fs = require("fs");
process.on("exit", () => { const u = process.resourceUsage(); fs.writeSync(3, JSON.stringify({ cpuMicros: u.userCPUTime + u.systemCPUTime })); });
require(process.argv[1]).main(process.argv.slice(2)).then((code) => (process.exitCode = code));`;

/** RSS in KiB of a process and every descendant, from /proc (0 for one that has just gone). */
function treeRssKiB(pid: number): number {
    let kib = 0;
    try {
        kib = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
        for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
            for (const child of fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean)) kib += treeRssKiB(Number(child));
        }
    } catch {
        // It ended between two reads.
    }
    return kib;
}

/** One `paved plan` in a fresh process; it must exit 0. */
export function runFleetPlan(cli: string, projectDir: string, workers: number, args: string[] = []): Promise<FleetPlanRun> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(process.execPath, ["-e", WRAPPER, cli, "plan", "--project", projectDir, "--workers", String(workers), ...args], {
            stdio: ["ignore", "pipe", "pipe", "pipe"],
        });
        const out: Record<"stdout" | "stderr" | "usage", string> = { stdout: "", stderr: "", usage: "" };
        const [, stdout, stderr, usage] = child.stdio as unknown as NodeJS.ReadableStream[];
        stdout.on("data", (d: Buffer) => (out.stdout += d.toString()));
        stderr.on("data", (d: Buffer) => (out.stderr += d.toString()));
        usage.on("data", (d: Buffer) => (out.usage += d.toString()));
        let peakKiB = 0;
        const sampler = setInterval(() => (peakKiB = Math.max(peakKiB, treeRssKiB(child.pid!))), 10);
        child.on("error", reject);
        child.on("close", (code) => {
            clearInterval(sampler);
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            if (code !== 0) return reject(new Error(`paved plan --workers ${workers} exited ${code}: ${out.stderr.trim().split("\n")[0]}`));
            const { cpuMicros } = JSON.parse(out.usage) as { cpuMicros: number };
            resolve({ workers, seconds, cpuSeconds: cpuMicros / 1e6, peakMiB: peakKiB / 1024, stdout: out.stdout, stderr: out.stderr });
        });
    });
}

/** The first line where two outputs differ, or undefined when they are byte for byte the same. */
export function firstDifference(a: string, b: string): string | undefined {
    if (a === b) return undefined;
    const [la, lb] = [a.split("\n"), b.split("\n")];
    const i = la.findIndex((line, n) => line !== lb[n]);
    const n = i < 0 ? la.length : i;
    return `line ${n + 1}: ${JSON.stringify(la[n] ?? "<end>")} vs ${JSON.stringify(lb[n] ?? "<end>")}`;
}

/** Throws one line unless `parallel` printed exactly what `sequential` did. */
function sameOutput(what: string, sequential: FleetPlanRun, parallel: FleetPlanRun): void {
    const diff = firstDifference(sequential.stdout, parallel.stdout) ?? firstDifference(sequential.stderr, parallel.stderr);
    if (diff) throw new Error(`fleet plan: ${what} at --workers ${parallel.workers} differs from --workers 1 at ${diff}`);
}

/** A scratch project with `count` copies of the PR template, pr-1 … pr-<count>, and the dev stack they reference. */
function prProject(projectDir: string, count: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-fleet-"));
    for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(projectDir, file), path.join(dir, file));
    const template = fs.readFileSync(path.join(projectDir, "Pulumi.pr.yaml"), "utf8");
    for (let n = 1; n <= count; n++) fs.writeFileSync(path.join(dir, `Pulumi.pr-${n}.yaml`), template);
    return dir;
}

const line = (what: string, r: FleetPlanRun, base?: FleetPlanRun) =>
    `  ${what.padEnd(30)} ${r.seconds.toFixed(2).padStart(6)} s wall ${r.cpuSeconds.toFixed(2).padStart(6)} s CPU ${r.peakMiB.toFixed(0).padStart(5)} MiB peak RSS` +
    (base ? `   (${(base.seconds / r.seconds).toFixed(2)}× faster, ${(r.peakMiB / base.peakMiB).toFixed(2)}× memory)` : "");

/** The bench's lines; throws (one line) when a parallel run prints anything other than the sequential one. */
export async function fleetPlanReport(projectDir: string): Promise<string[]> {
    // The binary users run: build it first (incremental, quick when dist/ is current).
    const build = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", "tsconfig.build.json"], { cwd: projectDir, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`fleet plan: the build failed: ${build.stdout.split("\n")[0]}`);
    const cli = path.join(projectDir, "dist", "automation", "cli.js");
    const cores = os.availableParallelism();
    const counts = [...new Set([1, 2, cores])];
    const lines = [`fleet plan, the built paved plan in its own process (${cores} cores; the figures are noisy on a shared machine, CPU is not):`];

    const shipped: FleetPlanRun[] = [];
    for (const workers of counts) shipped.push(await runFleetPlan(cli, projectDir, workers));
    const [one] = shipped;
    shipped.forEach((r) => lines.push(line(`shipped stacks, ${r.workers === 1 ? "1 worker (in process)" : `${r.workers} workers`}`, r, r === one ? undefined : one)));
    shipped.slice(1).forEach((r) => sameOutput("the text output", one, r));
    const [jsonOne, jsonMany] = [await runFleetPlan(cli, projectDir, 1, ["--json"]), await runFleetPlan(cli, projectDir, Math.max(2, cores), ["--json"])];
    sameOutput("the --json output", jsonOne, jsonMany);

    const prs = prProject(projectDir, 200);
    try {
        const [prOne, prMany] = [await runFleetPlan(cli, prs, 1), await runFleetPlan(cli, prs, Math.max(2, cores))];
        sameOutput("the PR stacks' output", prOne, prMany);
        lines.push(line("200 PR stacks, 1 worker", prOne), line(`200 PR stacks, ${prMany.workers} workers`, prMany, prOne));
    } finally {
        fs.rmSync(prs, { recursive: true, force: true });
    }
    lines.push(`  parallel output byte for byte the sequential one: text and --json of the shipped stacks, text of the 200 PR stacks`);
    return lines;
}

if (require.main === module) {
    fleetPlanReport(path.resolve(__dirname, "../..")).then(
        (lines) => lines.forEach((l) => console.log(l)),
        (e: unknown) => {
            console.error(`bench: ${(e as Error).message}`);
            process.exit(1);
        },
    );
}
