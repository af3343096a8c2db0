/**
 * The fleet the Pulumi Kubernetes Operator reconciles, derived from the repository alone: the stacks
 * whose Pulumi.<stack>.yaml says `paved:reconciler: operator`, their order from rings.yaml, and the
 * credentials each needs. The same files `paved` reads, so the two never disagree.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isProductionConfig } from "../automation/driver/policy-config";
import { loadRings } from "../automation/runner/rings";
import { CREDENTIALS_SECRET, FleetSource, FleetStack, STACKS_NAMESPACE, credentialsApp } from "../components/gitops/fleet-spec";
import { VaultAppSpec } from "../components/vault/app-spec";
import { pavedConfig } from "./config-problems";
import { readStackConfig, StackFileError } from "../automation/offline/stack-file";
import { PR_TEMPLATE_STACK as PR_TEMPLATE, PrStacksGitHub, prStackTemplate } from "../components/gitops/pr-stacks";
import { StackManifest } from "../components/gitops/stack-manifest";
import { RunnerUsageError } from "../automation/runner/pr-stacks";
import { StackConfigError } from "./config-problems";
import { NAMESPACE, parseValue } from "./config-schema";
import { ARGOCD_GITHUB_SECRET } from "./platform-apps";
import { RECONCILER_KEY, stackReconcilers } from "./reconciler";

/** `paved:fleet` on the management stack, as its loader hands it over. */
export interface FleetSettings {
    readonly repoUrl: string;
    readonly branch: string;
    readonly repoDir?: string;
    readonly backend: string;
    readonly resyncSeconds: number;
    /** Environments whose stacks the operator only previews (reports), e.g. ["prod"]. */
    readonly previewOnly: readonly string[];
    /** The stacks' GitHub repository, whose labelled pull requests get PR stacks when the `pr` template is operator-owned. */
    readonly github?: { readonly owner: string; readonly repo: string; readonly label: string };
}

/** What the operator reconciles: environment stacks, and PR stacks made from the `pr` template when it is operator-owned. */
export interface Fleet {
    readonly source: FleetSource;
    readonly stacks: FleetStack[];
    readonly prStacks?: { readonly github: PrStacksGitHub; readonly template: StackManifest };
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
    const after = new Map<string, string[]>();
    for (const { stacks } of loadRings(projectDir, knownStacks)) {
        stacks.slice(1).forEach((s, i) => after.set(s, [...new Set([...(after.get(s) ?? []), stacks[i]])]));
    }
    return after;
}

/**
 * The operator's source and stacks for this repository, from its stack files, rings.yaml and
 * .pulumi-version. Preview stacks are never environment stacks: the `pr` template, when the operator
 * owns it, becomes the PR stacks' template, and local `Pulumi.pr-<n>.yaml` copies are not Git's.
 */
export function fleetOf(projectDir: string, settings: FleetSettings, host = "the management stack"): Fleet {
    const all = stackReconcilers(projectDir);
    const owned = all.filter((s) => s.reconciler === "operator");
    const environments = owned.filter((s) => pavedConfig(s.config).role !== "preview");
    const after = ringPredecessors(projectDir, all.map((s) => s.stack));
    const source: FleetSource = {
        repoUrl: settings.repoUrl,
        branch: settings.branch,
        repoDir: settings.repoDir,
        backend: settings.backend,
        pulumiVersion: fs.readFileSync(path.join(projectDir, PULUMI_VERSION_FILE), "utf8").trim(),
        resyncSeconds: settings.resyncSeconds,
    };
    const stacks = environments.map(({ stack, config }): FleetStack => ({
        name: stack,
        production: isProductionConfig({ ...config }),
        previewOnly: settings.previewOnly.includes(String(pavedConfig(config).environment)),
        // A predecessor `paved` drives is not a Stack object: InfraGitOps refuses that rather than skip the gate.
        after: after.get(stack) ?? [],
        credentialKeys: credentialKeysOf(config, settings.backend),
    }));
    const template = owned.find((s) => s.stack === PR_TEMPLATE);
    if (!template) return { source, stacks };
    if (!settings.github) {
        throw new StackFileError(`Pulumi.${PR_TEMPLATE}.yaml says paved:reconciler: operator, so PR stacks come from Argo CD's pull-request generator, but ${host} has no paved:fleet.github; add it, e.g. github: { owner: acme, repo: paved, label: preview-stack }`);
    }
    const file = readStackConfig(projectDir, PR_TEMPLATE);
    // Encrypted values belong to the template's own salt; inlined into another stack they could not be decrypted.
    if (file.secretKeys.length > 0) throw new StackFileError(`Pulumi.${PR_TEMPLATE}.yaml: ${file.secretKeys.join(", ")} are encrypted; an operator-owned PR template cannot carry secure values (its config is inlined into each PR stack); read them from Vault instead`);
    const config = Object.fromEntries(Object.entries(file.config).filter(([k]) => k !== RECONCILER_KEY).map(([k, v]) => [k, parseValue(v)]));
    return {
        source,
        stacks,
        prStacks: {
            github: { ...settings.github, tokenSecret: ARGOCD_GITHUB_SECRET },
            template: prStackTemplate({ source, credentialKeys: credentialKeysOf(template.config, settings.backend), config }),
        },
    };
}

/**
 * Each fleet stack's credentials as a Vault app on the management cluster: one KV secret
 * `<environment>/fleet-<stack>/credentials` (keys: the stack's `credentialKeys`) synced into the Secret
 * its Stack object's envRefs name. The Secrets Operator logs in with its own ServiceAccount, not the
 * workspace's; a new workspace pod per update reads the current Secret, so nothing restarts.
 */
export function fleetVaultApps(fleet: Fleet, environment: string): VaultAppSpec[] {
    const names = [...fleet.stacks.map((s) => s.name), ...(fleet.prStacks ? [PR_TEMPLATE] : [])];
    return names.map((stack) => ({
        name: credentialsApp(stack),
        namespace: STACKS_NAMESPACE,
        serviceAccount: `${credentialsApp(stack)}-vault`,
        mode: "operator" as const,
        reloadsSecrets: true,
        secrets: [{ name: CREDENTIALS_SECRET, path: `${environment}/${credentialsApp(stack)}/${CREDENTIALS_SECRET}` }],
    }));
}

/**
 * The fleet as the management stack's program reads it: a problem with the files it is derived from
 * (a stack file, rings.yaml) is a config error of the host's `paved:fleet`, which Pulumi prints as
 * one message, without a stack trace, before anything is created.
 */
export function hostedFleet(projectDir: string, settings: FleetSettings, host: string): Fleet {
    try {
        return fleetOf(projectDir, settings, `Pulumi.${host}.yaml`);
    } catch (e) {
        if (e instanceof StackFileError || e instanceof RunnerUsageError) {
            throw new StackConfigError(`Pulumi.${host}.yaml`, [{ propertyPath: `${NAMESPACE}:fleet`, reason: `the fleet it manages cannot be read: ${e.message}` }]);
        }
        throw e;
    }
}
