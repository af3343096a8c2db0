import { isRepoUrl } from "../delivery/gitops-spec";
import { Problems, show } from "../validation";

/** Where every fleet stack's program and state are: one repository, one branch, one backend. */
export interface FleetSource {
    /** The repository holding Pulumi.yaml and the Pulumi.<stack>.yaml files, e.g. "https://github.com/acme/paved.git". */
    readonly repoUrl: string;
    /** The branch the operator follows. */
    readonly branch: string;
    /**
     * Folder of Pulumi.yaml inside the repository.
     * @default the repository's root
     */
    readonly repoDir?: string;
    /** The state backend the runner uses too (PULUMI_BACKEND_URL), e.g. "s3://acme-pulumi-state". */
    readonly backend: string;
    /** The Pulumi CLI version the workspaces run (the project's .pulumi-version), e.g. "3.248.0". */
    readonly pulumiVersion: string;
    /** How often each stack is refreshed and re-applied from Git, even with no new commit. */
    readonly resyncSeconds: number;
}

/** One environment stack the operator reconciles. */
export interface FleetStack {
    /** The stack's name, also its Stack object's name, e.g. "prod-us-east-1". */
    readonly name: string;
    readonly production: boolean;
    /** Only preview (and report) changes, never apply them. */
    readonly previewOnly: boolean;
    /** Stacks that must have succeeded first: the rollout ring's order. */
    readonly after: readonly string[];
    /** Environment variables the workspace needs, each a key of the stack's Vault-synced Secret. */
    readonly credentialKeys: readonly string[];
}

/** The Stack objects, their workspaces' ServiceAccounts and their Secrets live here. */
export const STACKS_NAMESPACE = "pulumi-stacks";
/** A prerequisite counts only if it succeeded this recently (several resyncs). */
export const PREREQUISITE_WITHIN = "1h";

export const workspaceServiceAccount = (stack: string) => `fleet-${stack}`;
/** The Vault app of a stack's credentials; the Secrets Operator names the Secret `<app>-<secret>`. */
export const credentialsApp = (stack: string) => `fleet-${stack}`;
export const CREDENTIALS_SECRET = "credentials";
export const credentialsSecretName = (stack: string) => `${credentialsApp(stack)}-${CREDENTIALS_SECRET}`;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Every problem with the fleet's source and stacks, each with the value and an example. */
export function fleetProblems(source: FleetSource, stacks: readonly FleetStack[]): Problems {
    const problems = new Problems();
    problems.check(isRepoUrl(source.repoUrl), "source.repoUrl", `got ${show(source.repoUrl)}: the stacks' repository over https or ssh, e.g. "https://github.com/acme/paved.git"`);
    problems.check(typeof source.branch === "string" && /^[\w./-]+$/.test(source.branch), "source.branch", `got ${show(source.branch)}: a branch, e.g. "main"`);
    problems.check(/^\d+\.\d+\.\d+$/.test(source.pulumiVersion ?? ""), "source.pulumiVersion", `got ${show(source.pulumiVersion)}: a Pulumi CLI version, e.g. "3.248.0"`);
    problems.check(Number.isInteger(source.resyncSeconds) && source.resyncSeconds >= 60, "source.resyncSeconds", `got ${show(source.resyncSeconds)}: whole seconds, at least 60, e.g. 600`);
    const names = stacks.map((s) => s.name);
    problems.check(new Set(names).size === names.length, "stacks", `got ${show(names)}: each stack once`);
    stacks.forEach((s, i) => {
        // fleet-<stack>-credentials must stay a DNS label.
        problems.check(DNS_LABEL.test(s.name) && s.name.length <= 45, `stacks[${i}].name`, `got ${show(s.name)}: a stack name of at most 45 lowercase letters, digits and "-", e.g. "prod-us-east-1"`);
        s.after.forEach((a, j) => problems.check(names.includes(a), `stacks[${i}].after[${j}]`, `got ${show(a)}: it must succeed before ${s.name}, but the operator does not reconcile it, so it could not wait for it; reconcile both with the operator (paved:reconciler: operator in Pulumi.${a}.yaml) or neither`));
        s.credentialKeys.forEach((k, j) => problems.check(ENV_NAME.test(k), `stacks[${i}].credentialKeys[${j}]`, `got ${show(k)}: an environment variable name, e.g. "PULUMI_CONFIG_PASSPHRASE"`));
    });
    const cycle = cycleIn(stacks);
    problems.check(cycle === undefined, "stacks", `got prerequisites in a cycle (${(cycle ?? []).join(" -> ")}): no stack of it could ever run; fix the rings' order`);
    return problems;
}

/** A cycle in the prerequisites, as the names along it, or undefined. */
function cycleIn(stacks: readonly FleetStack[]): string[] | undefined {
    const after = new Map(stacks.map((s) => [s.name, s.after]));
    const visit = (name: string, path: string[]): string[] | undefined => {
        if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
        for (const next of after.get(name) ?? []) {
            const found = visit(next, [...path, name]);
            if (found) return found;
        }
        return undefined;
    };
    for (const s of stacks) {
        const found = visit(s.name, []);
        if (found) return found;
    }
    return undefined;
}
