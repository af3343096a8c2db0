import * as fs from "node:fs";
import { RunnerUsageError } from "./pr-stacks";

/**
 * Backends the Pulumi CLI (v3.248) accepts in PULUMI_BACKEND_URL: a DIY backend on one of the go-cloud
 * blob schemes it links, or postgres (pkg/backend/diy/backend.go, IsDIYBackendURL), or else a
 * Pulumi Cloud or self-hosted service URL (pkg/backend/httpstate). Anything else fails only at the
 * first operation, after the runner has started; it is refused here first.
 */
const DIY_SCHEMES = ["file:", "s3:", "gs:", "azblob:", "postgres:"];
const SERVICE_SCHEMES = ["https:", "http:"];
const EXAMPLE = "e.g. s3://acme-pulumi-state, gs://acme-pulumi-state, https://api.pulumi.com, or unset for the file backend in .pulumi/";

/** The URL as it may be shown: credentials and query (a SAS token, a password) taken out. */
function shown(url: URL): string {
    return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * The environment the runner hands to Pulumi, checked before any stack is touched: one line per
 * problem in one usage error (exit 2), never a credential.
 */
export function checkRunnerEnv(env: Readonly<Record<string, string | undefined>>): void {
    const problems: string[] = [];
    const backend = env.PULUMI_BACKEND_URL;
    // "" is an unset CI variable: the runner uses its file backend then (pulumi-driver.ts).
    if (backend) {
        let url: URL | undefined;
        try {
            url = new URL(backend);
        } catch {
            problems.push(`PULUMI_BACKEND_URL is not a URL (its value is not shown: it may hold credentials); ${EXAMPLE}`);
        }
        if (url && ![...DIY_SCHEMES, ...SERVICE_SCHEMES].includes(url.protocol)) {
            problems.push(`PULUMI_BACKEND_URL: got a ${JSON.stringify(url.protocol)} URL: Pulumi has no such backend (${[...DIY_SCHEMES, ...SERVICE_SCHEMES].join(" ")}); ${EXAMPLE}`);
        } else if (url && url.protocol !== "file:" && url.host === "") {
            problems.push(`PULUMI_BACKEND_URL: got ${JSON.stringify(shown(url))}: no ${url.protocol === "https:" || url.protocol === "http:" ? "host" : "bucket"} after ${url.protocol}//; ${EXAMPLE}`);
        } else if (url && url.protocol === "file:" && url.pathname.replace(/^\/+/, "") === "" && url.host === "") {
            problems.push(`PULUMI_BACKEND_URL: got ${JSON.stringify(backend)}: a file backend needs a folder, e.g. file://~/.pulumi-state`);
        }
    }
    const passphraseFile = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (passphraseFile !== undefined && passphraseFile !== "") {
        try {
            fs.accessSync(passphraseFile, fs.constants.R_OK);
            if (!fs.statSync(passphraseFile).isFile()) throw new Error("not a file");
        } catch {
            problems.push(`PULUMI_CONFIG_PASSPHRASE_FILE: got ${JSON.stringify(passphraseFile)}: no readable file there (the path is shown, never the passphrase); e.g. PULUMI_CONFIG_PASSPHRASE_FILE=$HOME/.config/paved/passphrase`);
        }
    }
    if (problems.length > 0) throw new RunnerUsageError(problems.join("; "));
}
