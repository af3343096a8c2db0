/**
 * The fleet the Pulumi Kubernetes Operator reconciles, derived from the repository alone: the stacks
 * whose Pulumi.<stack>.yaml says `paved:reconciler: operator`, their order from rings.yaml, and the
 * credentials each needs. The same files `paved` reads, so the two never disagree.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { isProductionConfig } from "../automation/driver/policy-config";
import { RINGS_FILE, loadRing } from "../automation/runner/rings";
import { CREDENTIALS_SECRET, FleetSource, FleetStack, STACKS_NAMESPACE, credentialsApp } from "../components/gitops/fleet-spec";
import { VaultAppSpec } from "../components/vault/app-spec";
import { pavedConfig } from "./config-problems";
import { stackReconcilers } from "./reconciler";

/** `paved:fleet` on the management stack, as its loader hands it over. */
export interface FleetSettings {
    readonly repoUrl: string;
    readonly branch: string;
    readonly repoDir?: string;
    readonly backend: string;
    readonly resyncSeconds: number;
    /** Environments whose stacks the operator only previews (reports), e.g. ["prod"]. */
    readonly previewOnly: readonly string[];
}

/** The project's pinned Pulumi CLI: what the runner installs, and now what the workspaces run. */
export const PULUMI_VERSION_FILE = ".pulumi-version";

/** The state backend's own credentials, by URL scheme: read by the Pulumi CLI from its environment. */
const BACKEND_CREDENTIALS: Record<string, readonly string[]> = {
    "s3:": ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
    "gs:": ["GOOGLE_CREDENTIALS"],
    "azblob:": ["AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_KEY"],
    "https:": ["PULUMI_ACCESS_TOKEN"],
    "http:": ["PULUMI_ACCESS_TOKEN"],
};
const CLOUD_CREDENTIALS: Record<string, readonly string[]> = {
    aws: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
    gcp: ["GOOGLE_CREDENTIALS"],
};

/** What a stack's workspace needs in its environment: the passphrase, its cloud's and the backend's credentials, and Vault's token where it uses Vault. */
export function credentialKeysOf(config: Readonly<Record<string, string>>, backend: string): string[] {
    const c = pavedConfig(config);
    const scheme = new URL(backend).protocol;
    return [...new Set([
        "PULUMI_CONFIG_PASSPHRASE",
        ...(CLOUD_CREDENTIALS[String(c.cloud)] ?? []),
        ...(BACKEND_CREDENTIALS[scheme] ?? []),
        ...(c.vault !== undefined ? ["VAULT_TOKEN"] : []),
    ])].sort();
}

/** Each stack's predecessors in every ring of rings.yaml (a stack in two rings waits for both). */
export function ringPredecessors(projectDir: string, knownStacks: readonly string[]): Map<string, string[]> {
    const file = path.join(projectDir, RINGS_FILE);
    const after = new Map<string, string[]>();
    if (!fs.existsSync(file)) return after;
    const names = Object.keys((parse(fs.readFileSync(file, "utf8")) as { rings?: Record<string, unknown> } | null)?.rings ?? {});
    for (const name of names) {
        const { stacks } = loadRing(projectDir, name, knownStacks);
        stacks.slice(1).forEach((s, i) => after.set(s, [...new Set([...(after.get(s) ?? []), stacks[i]])]));
    }
    return after;
}

/** The operator's source and stacks for this repository, from its stack files, rings.yaml and .pulumi-version. */
export function fleetOf(projectDir: string, settings: FleetSettings): { source: FleetSource; stacks: FleetStack[] } {
    const all = stackReconcilers(projectDir);
    const owned = all.filter((s) => s.reconciler === "operator");
    const after = ringPredecessors(projectDir, all.map((s) => s.stack));
    const source: FleetSource = {
        repoUrl: settings.repoUrl,
        branch: settings.branch,
        repoDir: settings.repoDir,
        backend: settings.backend,
        pulumiVersion: fs.readFileSync(path.join(projectDir, PULUMI_VERSION_FILE), "utf8").trim(),
        resyncSeconds: settings.resyncSeconds,
    };
    const stacks = owned.map(({ stack, config }): FleetStack => ({
        name: stack,
        production: isProductionConfig({ ...config }),
        previewOnly: settings.previewOnly.includes(String(pavedConfig(config).environment)),
        // A predecessor `paved` drives is not a Stack object: InfraGitOps refuses that rather than skip the gate.
        after: after.get(stack) ?? [],
        credentialKeys: credentialKeysOf(config, settings.backend),
    }));
    return { source, stacks };
}

/**
 * Each fleet stack's credentials as a Vault app on the management cluster: one KV secret
 * `<environment>/fleet-<stack>/credentials` (keys: the stack's `credentialKeys`) synced into the Secret
 * its Stack object's envRefs name. The Secrets Operator logs in with its own ServiceAccount, not the
 * workspace's; a new workspace pod per update reads the current Secret, so nothing restarts.
 */
export function fleetVaultApps(stacks: readonly FleetStack[], environment: string): VaultAppSpec[] {
    return stacks.map((s) => ({
        name: credentialsApp(s.name),
        namespace: STACKS_NAMESPACE,
        serviceAccount: `${credentialsApp(s.name)}-vault`,
        mode: "operator" as const,
        reloadsSecrets: true,
        secrets: [{ name: CREDENTIALS_SECRET, path: `${environment}/${credentialsApp(s.name)}/${CREDENTIALS_SECRET}` }],
    }));
}
