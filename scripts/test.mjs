#!/usr/bin/env node
// `npm test`: the compile, the lint and the tests, overlapped on a small machine. One `tsc -b`
// builds the library into dist/ and type-checks the tests against it in the same process (they
// share the parsed node_modules types). ESLint (type-aware) runs beside it and beside mocha; mocha
// runs its files in worker processes, each with its own Pulumi mock runtime. Any failure fails the
// run; the output still ends with the reporter's closing line ("tests: N passed, N failed, N skipped").
import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

/** Runs a command; `quiet` keeps its output for later instead of printing it as it comes. */
function run(command, args, { quiet = false, onLine, nice = 0 } = {}) {
    return new Promise((resolve) => {
        const child = spawn(bin(command), args, { cwd: root, stdio: ["ignore", quiet || onLine ? "pipe" : "inherit", quiet ? "pipe" : "inherit"] });
        if (nice) os.setPriority(child.pid, nice);
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

// The lint is in no hurry, mocha's loopback probes are (100 ms timeouts): it yields the CPU to them.
const lint = run("eslint", ["."], { quiet: true, nice: 10 });
const compile = await run("tsc", ["-b", "tsconfig.test.json"]);
if (!compile.ok) {
    const linted = await lint;
    process.stdout.write(linted.output);
    console.log(`tsc failed${linted.ok ? "" : ", eslint failed"}: the tests did not run`);
    process.exit(1);
}

// The reporter's closing line is held back until the lint has spoken, so it stays the last line.
let closing;
const jobs = String(Math.max(2, os.availableParallelism() - 1));
const tests = await run("mocha", ["--parallel", "--jobs", jobs, ...(process.stdout.isTTY ? ["--color"] : [])], {
    onLine: (line) => (/^tests: \d+ passed/.test(line) ? (closing = line) : console.log(line)),
});
const linted = await lint;
if (!linted.ok) process.stdout.write(`eslint (exit ${linted.code}):\n${linted.output}`);
if (closing) console.log(closing);
process.exit(tests.ok && linted.ok ? 0 : 1);
