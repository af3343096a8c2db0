import { checkRunnerEnv } from "../automation/runner/runner-env";
import { isRepoUrl } from "../components/delivery/gitops-spec";
import { show } from "../components/validation";
import { prStacksProblems } from "../components/gitops/pr-stacks";
import { ConfigProblems } from "./config-problems";
import { ARGOCD_GITHUB_SECRET } from "./platform-apps";
import { FleetSettings } from "./fleet";

/** `paved:fleet` as the schema lets it through. */
export interface FleetEntry {
    readonly repoUrl: string;
    readonly branch?: string;
    readonly repoDir?: string;
    readonly backend: string;
    readonly resyncSeconds?: number;
    readonly previewOnly?: readonly string[];
    readonly github?: { readonly owner: string; readonly repo: string; readonly label?: string };
}

/** Only pull requests with this label get a PR stack, unless paved:fleet.github.label names another. */
export const DEFAULT_PR_STACK_LABEL = "preview-stack";

export const DEFAULT_RESYNC_SECONDS = 600;

/** Why a backend URL cannot be the fleet's, or undefined: the runner's own rule, and more, since a pod reads it. */
function backendProblem(backend: string): string | undefined {
    try {
        checkRunnerEnv({ PULUMI_BACKEND_URL: backend });
    } catch (e) {
        return `${(e as Error).message.replace(/^PULUMI_BACKEND_URL:?\s*/, "")}`;
    }
    const url = new URL(backend);
    if (url.protocol === "file:") return `got ${show(backend)}: the operator's pods cannot read a folder on the runner's machine; use the shared backend the runner uses (PULUMI_BACKEND_URL), e.g. "s3://acme-pulumi-state"`;
    if (url.username || url.password || url.search) return "got a URL with credentials or a query (not shown): it would be stored in every Stack object; put credentials in the stack's Vault secret and give the bare URL, e.g. \"s3://acme-pulumi-state\"";
    return undefined;
}

/**
 * The management stack's fleet settings, with their problems added under `paved:fleet.*`: the stack
 * must run Argo CD (it owns the Stack objects) and Vault (it syncs the credentials), and must itself be
 * driven by `paved`: an operator that reconciles the stack it is installed by could not repair a
 * change that breaks it.
 */
export function fleetSettingsOf(
    entry: FleetEntry,
    host: { readonly reconciler?: string; readonly gitops?: unknown; readonly vault?: unknown },
    problems: ConfigProblems,
): FleetSettings {
    if (!isRepoUrl(entry.repoUrl)) problems.add("fleet.repoUrl", `got ${show(entry.repoUrl)}: the stacks' repository (this one) over https or ssh, e.g. "https://github.com/acme/paved.git"`);
    if (entry.github) problems.addAll(prStacksProblems({ ...entry.github, label: entry.github.label ?? DEFAULT_PR_STACK_LABEL, tokenSecret: ARGOCD_GITHUB_SECRET }).list, (p) => `fleet.${p}`);
    const backend = backendProblem(entry.backend);
    if (backend) problems.add("fleet.backend", backend);
    const previewOnly = entry.previewOnly ?? [];
    previewOnly.forEach((env, i) => {
        if (!/^[a-z][a-z0-9-]{0,19}$/.test(env)) problems.add(`fleet.previewOnly[${i}]`, `got ${show(env)}: an environment name, e.g. "prod"`);
    });
    if (entry.resyncSeconds !== undefined && !(Number.isInteger(entry.resyncSeconds) && entry.resyncSeconds >= 60)) {
        problems.add("fleet.resyncSeconds", `got ${show(entry.resyncSeconds)}: whole seconds, at least 60; e.g. ${DEFAULT_RESYNC_SECONDS}`);
    }
    if (!host.gitops || !host.vault) problems.add("fleet", "needs paved:gitops and paved:vault: Argo CD owns the Stack objects and Vault syncs their credentials; e.g. paved:gitops: { repoUrl: \"https://github.com/acme/platform-apps.git\", path: clusters/dev }");
    if (host.reconciler === "operator") problems.add("fleet", "got paved:reconciler: operator on the stack that installs the operator: it could not repair a change that breaks it; host the fleet on a stack paved drives (paved:reconciler: paved)");
    return {
        repoUrl: entry.repoUrl,
        branch: entry.branch ?? "main",
        repoDir: entry.repoDir,
        backend: entry.backend,
        resyncSeconds: entry.resyncSeconds ?? DEFAULT_RESYNC_SECONDS,
        previewOnly,
        github: entry.github && { owner: entry.github.owner, repo: entry.github.repo, label: entry.github.label ?? DEFAULT_PR_STACK_LABEL },
    };
}
