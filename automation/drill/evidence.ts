import { execFileSync } from "node:child_process";
import { pavedVersion } from "../version";
import { LockHolder } from "./lock";

/** What an auditor needs to tie a drill to code, tools and people. */
export interface DrillProvenance {
    readonly gitSha: string;
    readonly pavedVersion: string;
    readonly pulumiCliVersion: string;
    /** The operator (or CI actor), host and pid: the drill lock's holder. */
    readonly operator: string;
    readonly ciRun?: string;
}

const firstLine = (command: string, args: string[], cwd: string): string | undefined => {
    try {
        return execFileSync(command, args, { cwd, encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n")[0];
    } catch {
        return undefined;
    }
};

/** The drill's provenance; a rehearsal drives no Pulumi CLI, and says so. */
export function provenance(projectDir: string, holder: LockHolder, rehearsal: boolean): DrillProvenance {
    return { ...codeAndTools(projectDir, rehearsal), operator: `${holder.owner}@${holder.host}`, ...(holder.ciRun ? { ciRun: holder.ciRun } : {}) };
}

function codeAndTools(projectDir: string, rehearsal: boolean): Omit<DrillProvenance, "operator" | "ciRun"> {
    return {
        gitSha: firstLine("git", ["rev-parse", "HEAD"], projectDir) ?? "unknown (not a git checkout)",
        pavedVersion: pavedVersion(),
        pulumiCliVersion: rehearsal ? "none (rehearsal: in-memory driver)" : (firstLine("pulumi", ["version"], projectDir) ?? "unknown (pulumi not on PATH)"),
    };
}
