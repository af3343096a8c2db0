import { SpawnSyncReturns, spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

/**
 * Runs `script` (as `node -e`) in a fresh Node process that loads this repository's TypeScript as the
 * tests do (automation/typescript-sources.cjs): for what only a new process shows, such as what loads
 * at start or what happens at exit. From the repository unless `cwd` says otherwise.
 */
export function nodeFromSource(script: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, ["--require", path.join(ROOT, "automation", "typescript-sources.cjs"), "-e", script], {
        cwd: options.cwd ?? ROOT,
        encoding: "utf8",
        timeout: 60_000,
        env: options.env ?? process.env,
    });
}
