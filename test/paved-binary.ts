/**
 * The `paved` binary as users get it: dist/automation/cli.js, for the tests that must run it in a
 * child process (exit codes, no stack trace). `npm test` builds dist/ before mocha starts; starting
 * the built JavaScript costs about a third less CPU than transpiling the sources with tsx at every
 * spawn. A missing or stale build fails the test with one line naming the command that fixes it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = path.resolve(__dirname, "..");
const BUILD = "npx tsc -b tsconfig.build.json";
export const PAVED_JS = path.join(ROOT, "dist", "automation", "cli.js");

/** The newest modification time among the build's inputs (its tsconfig files and included sources). */
function newestInput(): { file: string; mtimeMs: number } {
    const config = path.join(ROOT, "tsconfig.build.json");
    const { include } = JSON.parse(fs.readFileSync(config, "utf8")) as { include: string[] };
    let newest = { file: config, mtimeMs: fs.statSync(config).mtimeMs };
    const consider = (file: string) => {
        const { mtimeMs } = fs.statSync(file);
        if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
    };
    consider(path.join(ROOT, "tsconfig.json"));
    for (const entry of include) {
        const at = path.join(ROOT, entry);
        const files = fs.statSync(at).isDirectory() ? fs.readdirSync(at, { recursive: true, encoding: "utf8" }).map((f) => path.join(at, f)) : [at];
        files.filter((f) => /\.(ts|json)$/.test(f)).forEach(consider);
    }
    return newest;
}

let checked = false;

/** Throws unless dist/ holds a build at least as new as every source it is built from (checked once per process). */
function assertBuilt(): void {
    if (checked) return;
    const buildInfo = path.join(ROOT, "dist", "tsconfig.build.tsbuildinfo");
    if (!fs.existsSync(PAVED_JS) || !fs.existsSync(buildInfo)) throw new Error(`dist/ has no build of paved (${path.relative(ROOT, PAVED_JS)}): run ${BUILD} (npm test does it first)`);
    const newest = newestInput();
    if (newest.mtimeMs > fs.statSync(buildInfo).mtimeMs) throw new Error(`dist/ is older than ${path.relative(ROOT, newest.file)}: run ${BUILD} (npm test does it first)`);
    checked = true;
}

/** Node's arguments to run `paved <args>` from the build: `spawn(process.execPath, pavedArgs([...]), …)`. */
export function pavedArgs(args: readonly string[]): string[] {
    // Under StrykerJS (npm run mutate) the mutants are in the sources, not in dist/: the child runs those
    // through tsx (this checkout's, by absolute path: some children run in a clone without node_modules).
    // Resolved, not joined to ROOT: Stryker's sandbox has no node_modules of its own when the checkout's
    // is a symlink (a worktree's), and finds it in the parent folders as Node does.
    if ((globalThis as { __stryker__?: unknown }).__stryker__ !== undefined) {
        return ["--import", pathToFileURL(require.resolve("tsx")).href, path.join(ROOT, "automation", "cli.ts"), ...args];
    }
    assertBuilt();
    return [PAVED_JS, ...args];
}

/**
 * The modules a `paved` process loaded (its require.cache's keys), less the stand-in for the SDK's
 * TypeScript shim that automation/defer-sdk-modules.ts caches at start: the SDK itself is not loaded by it.
 */
export function loadedModules(cacheKeys: readonly string[]): string[] {
    return cacheKeys.filter((m) => !m.endsWith(path.join("node_modules", "@pulumi", "pulumi", "typescript-shim.js")));
}
