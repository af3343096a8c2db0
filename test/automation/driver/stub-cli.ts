import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../harness";
import { pavedArgs } from "../../paved-binary";

/** The folder holding the stand-in `pulumi` (see its header for what it answers and records). */
export const STUB_DIR = path.join(__dirname, "stub-pulumi");

export interface StubCall {
    readonly pid: number;
    readonly args: string[];
    readonly backendUrl: string;
    readonly backendFolderExists: boolean | null;
    readonly cwd: string;
    readonly event: "called" | "running" | "signal" | "config";
    readonly signal?: string;
    readonly configFile?: string;
    readonly configFileContent?: string | null;
}

/** A fresh clone of this repository's last commit: no `.pulumi/`, nothing untracked. */
export function freshClone(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-clone-"));
    const r = spawnSync("git", ["clone", "-q", "--depth", "1", `file://${REPO_ROOT}`, dir], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git clone failed: ${r.stderr}`);
    return dir;
}

export const gitStatus = (dir: string): string => spawnSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: dir, encoding: "utf8" }).stdout;

export const stubCalls = (log: string): StubCall[] => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as StubCall) : []);

/** The environment for `paved` with the stub first on PATH and no backend chosen ("" as an unset GitHub variable gives it). */
export function stubEnv(projectDir: string, log: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${STUB_DIR}${path.delimiter}${process.env.PATH ?? ""}`, PAVED_PROJECT_DIR: projectDir, PULUMI_STUB_LOG: log, PULUMI_BACKEND_URL: "", ...extra };
    delete env.PULUMI_CONFIG_PASSPHRASE;
    return env;
}

/** The real `paved` binary (the build in dist/), in its own process group like a terminal job. */
export function pavedProcess(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
    return spawn(process.execPath, pavedArgs(args), { cwd: env.PAVED_PROJECT_DIR, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
}

export interface Finished {
    readonly code: number | null;
    readonly out: string;
    readonly err: string;
}

export function finished(child: ChildProcess): Promise<Finished> {
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

/** Waits until the stub log has a call that matches, or fails after the timeout. */
export async function waitForCall(log: string, match: (c: StubCall) => boolean, timeoutMs = 60_000): Promise<StubCall> {
    const until = Date.now() + timeoutMs;
    for (;;) {
        const found = stubCalls(log).find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error(`the stub pulumi never saw the expected call; it saw: ${stubCalls(log).map((c) => c.args.join(" ")).join(" | ")}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
