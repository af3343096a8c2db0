import { FleetSource, FleetStack, PREREQUISITE_WITHIN, STACKS_NAMESPACE, credentialsSecretName, workspaceServiceAccount } from "./fleet-spec";

/** The operator's Stack kind (pulumi.com/v1 at operator v2.9.0). */
export const STACK_KIND = { apiVersion: "pulumi.com/v1", kind: "Stack" } as const;

export type StackManifest = {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    spec: Record<string, unknown>;
};

/**
 * One environment stack as the Pulumi Kubernetes Operator reconciles it: the program and the stack
 * file from Git, refreshed and re-applied every resync even without a new commit (so a manual change
 * is undone), after its ring predecessors succeeded. Credentials are environment variables read from
 * the stack's Vault-synced Secret by name and key: no value is ever in the object.
 */
export function stackManifest(stack: FleetStack, source: FleetSource): StackManifest {
    const secret = credentialsSecretName(stack.name);
    return {
        ...STACK_KIND,
        metadata: {
            name: stack.name,
            namespace: STACKS_NAMESPACE,
            labels: { "app.kubernetes.io/managed-by": "paved-road", "paved.io/reconciler": "operator" },
        },
        spec: {
            stack: stack.name,
            projectRepo: source.repoUrl,
            branch: source.branch,
            ...(source.repoDir ? { repoDir: source.repoDir } : {}),
            backend: source.backend,
            // Only stacks whose Pulumi.<stack>.yaml is in the repository: a typo never creates an empty stack.
            useLocalStackOnly: true,
            serviceAccountName: workspaceServiceAccount(stack.name),
            envRefs: Object.fromEntries(stack.credentialKeys.map((key) => [key, { type: "Secret", secret: { name: secret, key } }])),
            refresh: true,
            // Without this the operator re-runs a stack only on a new commit, and drift stays.
            continueResyncOnCommitMatch: true,
            resyncFrequencySeconds: source.resyncSeconds,
            // Removing the object (its file says paved:reconciler: paved now, or Argo CD prunes it) must never destroy an environment.
            destroyOnFinalize: false,
            ...(stack.previewOnly ? { preview: true } : {}),
            ...(stack.after.length > 0 ? { prerequisites: stack.after.map((name) => ({ name, requirement: { succeededWithinDuration: PREREQUISITE_WITHIN } })) } : {}),
            workspaceTemplate: {
                spec: {
                    // The CLI the runner pins, not the operator's default `latest`.
                    image: `pulumi/pulumi:${source.pulumiVersion}-nonroot`,
                    securityProfile: "restricted",
                    resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "4Gi" } },
                },
            },
        },
    };
}
