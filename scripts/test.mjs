#!/usr/bin/env node
// `npm test`: the build, the type-check, the lint and the tests, overlapped on a small machine.
// scripts/check.mjs builds the library into dist/ (as `tsc -b`), then type-checks everything and
// lints it, sharing one parse of every file, at low priority; as soon as dist/ is built it says so
// and mocha starts, running its files in worker processes, each with its own Pulumi mock runtime.
// Any failure fails the run; the output still ends with the reporter's closing line.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
// Mocha's own expansion of a spec pattern (a glob), as `mocha` does with .mocharc.json's spec.
const lookupFiles = createRequire(import.meta.url)("mocha/lib/cli/lookup-files");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

/** Runs a command; `quiet` keeps its output for later instead of printing it as it comes. */
function run(command, args, { quiet = false, onLine, onMessage, env = process.env } = {}) {
    return new Promise((resolve) => {
        const stdio = ["ignore", quiet || onLine ? "pipe" : "inherit", quiet ? "pipe" : "inherit", ...(onMessage ? ["ipc"] : [])];
        const child = spawn(command, args, { cwd: root, stdio, env });
        if (onMessage) child.on("message", onMessage);
        let output = "";
        let partial = "";
        child.stdout?.on("data", (chunk) => {
            if (!onLine) return (output += chunk);
            const lines = (partial + chunk).split("\n");
            partial = lines.pop();
            lines.forEach(onLine);
        });
        child.stderr?.on("data", (chunk) => (output += chunk));
        child.on("close", (code, signal) => {
            if (partial) onLine?.(partial);
            resolve({ ok: code === 0, output, code: code ?? signal });
        });
    });
}

// The check runs beside mocha at the same priority: at nice 10 a fresh clone's check (everything to
// type-check and lint, ~22 CPU-s) got so little CPU that it ran on alone for 7 s after the tests ended.
let builtNow;
const built = new Promise((resolve) => (builtNow = resolve));
const check = run(process.execPath, [path.join(root, "scripts", "check.mjs")], { quiet: true, onMessage: (m) => builtNow(m.built === true) });
void check.then(() => builtNow(false));
if (!(await built)) {
    const checked = await check;
    process.stdout.write(checked.output);
    console.log("the build failed: the tests did not run");
    process.exit(1);
}

// .mocharc.json's options, with its spec expanded here: the files whose tests took longest last time
// (test/reporter.cjs keeps the times) first, new files before them, so no long file starts last.
// Files without a time (all of them in a fresh clone) go largest first: more tests, more time.
function mochaArgs() {
    const { spec, ...options } = JSON.parse(fs.readFileSync(path.join(root, ".mocharc.json"), "utf8"));
    const files = [...new Set(spec.flatMap((s) => lookupFiles(path.join(root, s), options.extension ?? ["js"], false)))].map((f) => path.relative(root, f));
    let times = {};
    try {
        times = JSON.parse(fs.readFileSync(path.join(root, "node_modules", ".cache", "paved-road", "test-times.json"), "utf8"));
    } catch {
        // No times yet: the files largest first.
    }
    const took = (f) => times[f] ?? Infinity;
    const sizes = new Map(files.map((f) => [f, fs.statSync(path.join(root, f)).size]));
    files.sort((a, b) => took(b) - took(a) || sizes.get(b) - sizes.get(a) || a.localeCompare(b));
    return ["--no-config", ...Object.entries(options).flatMap(([k, v]) => [v].flat().flatMap((x) => [`--${k}`, String(x)])), ...files];
}

// The reporter's closing line is held back until the check has spoken, so it stays the last line.
let closing;
// Two workers more than cores: a worker often waits on a child process or a loopback server (npm test
// on the idle 2-core box: 63 s with 3 workers, 54-56 s with 4, 56-58 s with 5). The drill's loopback
// timing tests judge the probes as they actually ran, so a busy machine does not fail them.
const jobs = String(os.availableParallelism() + 2);
// Where the workers share the shipped stacks' evaluations for this run only (test/shared-evaluations.ts).
const evaluations = fs.mkdtempSync(path.join(os.tmpdir(), "paved-test-evaluations-"));
// The AWS SDK warns once per process that its 2027 releases need Node 22: news for a user of `paved`
// on Node 20, noise in every test worker's output.
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", PAVED_TEST_EVALUATIONS: evaluations };
const tests = await run(bin("mocha"), ["--parallel", "--jobs", jobs, ...(process.stdout.isTTY ? ["--color"] : []), ...mochaArgs()], {
    env,
    onLine: (line) => (/^tests: \d+ passed/.test(line) ? (closing = line) : console.log(line)),
}).finally(() => fs.rmSync(evaluations, { recursive: true, force: true }));
const checked = await check;
if (!checked.ok) process.stdout.write(`type-check and lint (scripts/check.mjs, exit ${checked.code}):\n${checked.output}`);
if (closing) console.log(closing);
process.exit(tests.ok && checked.ok ? 0 : 1);
