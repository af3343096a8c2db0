/**
 * What the Pulumi driver needs before it touches a stack: each stack's secrets passphrase, and a Pulumi
 * CLI new enough. No Pulumi module here, so `paved` can refuse without loading the Automation API.
 */
import { spawnSync } from "node:child_process";

/** A missing secrets passphrase: never a default in code, except for the laptop's `local` stack. */
export class MissingPassphraseError extends Error {}

export function passphraseFor(stack: string, env: Readonly<Record<string, string | undefined>>): string {
    const passphrase = env.PULUMI_CONFIG_PASSPHRASE;
    if (passphrase !== undefined) return passphrase;
    if (stack === "local") return "local-only";
    throw new MissingPassphraseError(`PULUMI_CONFIG_PASSPHRASE is not set: export it for stack ${stack} (the runner has no default passphrase)`);
}

/** No `pulumi` on the PATH the driver runs with: the Automation API drives that CLI. */
export class MissingPulumiCliError extends Error {
    constructor() {
        super("the Pulumi CLI is not on PATH: the runner drives it through the Automation API; install it (https://www.pulumi.com/docs/iac/download-install/) and run again");
    }
}

/** Stack tags on the DIY backends (file, S3) arrived in CLI 3.211.0 (CHANGELOG, pulumi/pulumi#19882); PR stacks and drill results need them. */
export const MINIMUM_PULUMI_CLI = "3.211.0";

/** A CLI older than the runner needs. */
export class OldPulumiCliError extends Error {
    constructor(found: string) {
        super(`the Pulumi CLI is ${found}, older than ${MINIMUM_PULUMI_CLI}, which stack tags on the file and S3 backends need: install ${MINIMUM_PULUMI_CLI} or newer (e.g. curl -fsSL https://get.pulumi.com | sh -s -- --version ${MINIMUM_PULUMI_CLI}) and run again`);
    }
}

/** Whether `pulumi version` output (`v3.248.0`, `v3.249.0-alpha.x`) is at least the minimum. */
export function cliVersionSupported(output: string, minimum = MINIMUM_PULUMI_CLI): boolean {
    const found = /^v?(\d+)\.(\d+)\.(\d+)/.exec(output.trim());
    if (!found) return false;
    const want = minimum.split(".").map(Number);
    const have = found.slice(1, 4).map(Number);
    const i = have.findIndex((n, k) => n !== want[k]);
    return i === -1 || have[i] > want[i];
}

/** The readiness checks, the CLI asked once (`pulumi version`) per instance. */
export class PulumiReadiness {
    /** "ok", "missing", or the version line of a CLI that is too old. */
    private cliChecked?: string;

    constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

    /** The passphrase of every stack, then the CLI and its version. Throws the first that is missing. */
    assertReady(stacks: readonly string[]): void {
        for (const stack of stacks) passphraseFor(stack, this.env);
        if (this.cliChecked === undefined) {
            const r = spawnSync("pulumi", ["version"], { env: { ...this.env, PULUMI_SKIP_UPDATE_CHECK: "true" }, encoding: "utf8" });
            this.cliChecked = r.status !== 0 ? "missing" : cliVersionSupported(r.stdout) ? "ok" : r.stdout.trim();
        }
        if (this.cliChecked === "missing") throw new MissingPulumiCliError();
        if (this.cliChecked !== "ok") throw new OldPulumiCliError(this.cliChecked);
    }
}
