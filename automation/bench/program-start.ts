/**
 * How long a stack program takes to load before any provider starts, and its peak memory, replaying
 * the nodejs language host at the pinned version (sdk/nodejs/cmd/run/run.ts, v3.248.0): it chdirs
 * to the program's folder (stacks/, from Pulumi.yaml `main`), registers ts-node when the project
 * says `typescript: true`, and requires the entry point. Each variant runs in a fresh node.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

export interface ProgramStart {
    readonly variant: string;
    readonly seconds: number;
    readonly megabytes: number;
    /** CPU time (user + system): what the start costs whatever else runs on the machine. */
    readonly cpuSeconds: number;
    /** The first line of the compile error, when the program did not load. */
    readonly failed?: string;
}

/** run.ts under `typescript: true` with no tsconfig.json in stacks/: ts-node with its defaults, type-checking. */
const TS_NODE_DEFAULTS = `
const fs = require("fs");
const tsn = require("ts-node");
tsn.register({
    compiler: "typescript",
    transpileOnly: undefined,
    project: "tsconfig.json",
    skipProject: !fs.existsSync("tsconfig.json"),
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true" },
});`;

function measure(variant: string, projectDir: string, nodeArgs: string[], register: string): ProgramStart {
    const script = `process.chdir(${JSON.stringify(path.join(projectDir, "stacks"))});${register}
let failed;
try { require(require("path").join(process.cwd(), "index.ts")); } catch (e) { const lines = String(e.message).split(String.fromCharCode(10)); failed = lines.find((l) => l.includes("error TS")) ?? lines[0]; }
const u = process.resourceUsage();
process.stdout.write(JSON.stringify({ maxRssKb: u.maxRSS, cpuMicros: u.userCPUTime + u.systemCPUTime, failed }));`;
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [...nodeArgs, "-e", script], { cwd: projectDir, encoding: "utf8", maxBuffer: 1 << 24 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0) throw new Error(`program start (${variant}) failed: ${r.stderr.split("\n").slice(0, 5).join(" ")}`);
    const { maxRssKb, cpuMicros, failed } = JSON.parse(r.stdout) as { maxRssKb: number; cpuMicros: number; failed?: string };
    const round = (n: number) => Math.round(n * 100) / 100;
    return { variant, seconds: round(seconds), cpuSeconds: round(cpuMicros / 1e6), megabytes: Math.round(maxRssKb / 1024), ...(failed ? { failed } : {}) };
}

/** The program as Pulumi.yaml now runs it: node --import tsx (transpile only, the root tsconfig.json). */
export const programStartNow = (projectDir: string): ProgramStart => measure("Pulumi.yaml now: node --import tsx", projectDir, ["--import", "tsx"], "");

/** The program as it ran before: `typescript: true`, ts-node type-checking under its defaults. */
export const programStartBefore = (projectDir: string): ProgramStart => measure("before: typescript: true (ts-node, type-checking)", projectDir, [], TS_NODE_DEFAULTS);

/** The bench's lines: the program's start now and as it was (the old way type-checks: 15-30 s, over 1 GB). */
export function programStartReport(projectDir: string, withBefore = true): string[] {
    return [programStartNow(projectDir), ...(withBefore ? [programStartBefore(projectDir)] : [])].map(
        (r) => `program start, ${r.variant}: ${r.seconds} s wall (${r.cpuSeconds} s CPU), ${r.megabytes} MB peak, before providers${r.failed ? `; did not load: ${r.failed}` : ""}`,
    );
}

if (require.main === module) {
    for (const line of programStartReport(path.resolve(__dirname, "../.."), process.argv.includes("--before"))) console.log(line);
}
