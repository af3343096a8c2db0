/** The OS tools tests run for real. `npm run setup` installs them; a missing one fails its test, never skips it. */
import { SpawnSyncOptions, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Both come in one package: Debian's (and Homebrew's) `prometheus`. */
export type Tool = "promtool" | "prometheus";

/** The tool's path on `searchPath`; throws one line naming the set-up command when it is not there. */
export function toolPath(tool: Tool, searchPath = process.env.PATH ?? ""): string {
    for (const dir of searchPath.split(path.delimiter)) {
        const candidate = path.join(dir, tool);
        if (dir && fs.existsSync(candidate)) return candidate;
    }
    throw new Error(`${tool} is not installed (not on PATH): run \`npm run setup\` (it installs the prometheus package)`);
}

/** Runs the tool to completion; its stdout and stderr together in `output`. */
export function runTool(tool: Tool, args: string[], options: SpawnSyncOptions = {}): { status: number; output: string } {
    const result = spawnSync(toolPath(tool), args, { ...options, encoding: "utf8" });
    if (result.error) throw new Error(`${tool} could not run (${result.error.message}): run \`npm run setup\``);
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
