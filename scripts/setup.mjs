#!/usr/bin/env node
// `npm run setup`: the OS tools the tests run for real — promtool (checks and unit-tests the generated
// rules) and the Prometheus server (answers the canary and ring-gate queries on loopback). Both come
// in one package, Debian's and Homebrew's `prometheus`. Quick and silent when both are present.
// --dry-run: say what would be installed, install nothing.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const TOOLS = ["promtool", "prometheus"];
const dryRun = process.argv.includes("--dry-run");

const onPath = (tool) => (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, tool)));
const missing = () => TOOLS.filter((tool) => !onPath(tool));

function fail(message) {
    console.error(`setup: ${message}`);
    process.exit(1);
}

function run(command, args) {
    const result = spawnSync(command, args, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) fail(`${command} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

/** apt-get on Debian/Ubuntu, as root; the package's own service is kept from starting (policy-rc.d). */
function aptInstall() {
    const command = "apt-get update && apt-get install -y --no-install-recommends prometheus";
    if (dryRun) return console.log(`setup: would run: ${command}`);
    if (process.getuid?.() !== 0) fail(`${missing().join(" and ")} missing; installing needs root: sudo npm run setup (runs ${command})`);
    console.log(`setup: ${missing().join(" and ")} missing: ${command}`);
    // invoke-rc.d asks this hook before starting a packaged daemon: exit 101 = "not now". Tests start their own, on loopback.
    const policy = "/usr/sbin/policy-rc.d";
    const ownPolicy = !fs.existsSync(policy);
    if (ownPolicy) fs.writeFileSync(policy, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
    try {
        run("apt-get", ["update", "-qq"]);
        run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "prometheus"]);
    } finally {
        if (ownPolicy) fs.rmSync(policy, { force: true });
    }
}

const promtoolVersion = () => spawnSync("promtool", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];

if (missing().length === 0) {
    console.log(`setup: nothing to do: promtool and prometheus are on PATH (${promtoolVersion()})`);
    process.exit(0);
}
if (process.platform === "linux" && fs.existsSync("/etc/debian_version")) aptInstall();
else if (process.platform === "darwin") fail(`${missing().join(" and ")} missing: brew install prometheus`);
else fail(`${missing().join(" and ")} missing: install Prometheus (https://prometheus.io/download/) so that promtool and prometheus are on PATH`);
if (!dryRun && missing().length > 0) fail(`${missing().join(" and ")} still missing after the install`);
if (!dryRun) console.log(`setup: installed Debian's prometheus package (${promtoolVersion()})`);
