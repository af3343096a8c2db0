import { validatedManifest } from "../custom-resource";
import { ARGOCD_NAMESPACE, IN_CLUSTER } from "../delivery/argocd-manifests";
import { Problems, show } from "../validation";
import { FLEET_MANIFESTS_PATH, FLEET_PROJECT, FLEET_SYNC_POLICY } from "./fleet-application";
import { FleetSource, STACKS_NAMESPACE } from "./fleet-spec";
import { StackManifest, stackManifest } from "./stack-manifest";

/** The PR stacks' template name: the `pr` stack file, whose Stack object each PR's Application renames to `pr-<n>`. */
export const PR_TEMPLATE_STACK = "pr";
/** Where the PR template's Stack object and kustomization are rendered. */
export const PR_STACKS_PATH = `${FLEET_MANIFESTS_PATH}/pr`;

/** The GitHub repository of the stacks, whose pull requests get a stack, and the Secret with the API token. */
export interface PrStacksGitHub {
    readonly owner: string;
    readonly repo: string;
    readonly tokenSecret: { readonly secretName: string; readonly key: string };
    /** Only pull requests with this label get a stack: a maintainer decides which PR's code runs with credentials. */
    readonly label: string;
}

export function prStacksProblems(github: PrStacksGitHub): Problems {
    const problems = new Problems();
    for (const field of ["owner", "repo"] as const) {
        problems.check(/^[A-Za-z0-9_.-]+$/.test(github?.[field] ?? ""), `github.${field}`, `got ${show(github?.[field])}: a GitHub ${field} name, e.g. "acme"`);
    }
    problems.check(/^[\w.:/-]{1,50}$/.test(github?.label ?? ""), "github.label", `got ${show(github?.label)}: a pull-request label, e.g. "preview-stack"`);
    return problems;
}

/**
 * The Stack object every PR stack is made from: the `pr` template's config inline (a PR stack has no
 * file of its own in Git), created by the operator on first run, destroyed when its PR closes.
 */
export function prStackTemplate(args: { readonly source: FleetSource; readonly credentialKeys: readonly string[]; readonly config: Readonly<Record<string, unknown>> }): StackManifest {
    const base = stackManifest({ name: PR_TEMPLATE_STACK, production: false, previewOnly: false, after: [], credentialKeys: args.credentialKeys }, args.source);
    return {
        ...base,
        metadata: { ...base.metadata, labels: { ...base.metadata.labels, "paved.io/pr-template": "true" } },
        spec: { ...base.spec, useLocalStackOnly: false, destroyOnFinalize: true, config: { ...args.config } },
    };
}

/** The kustomization beside the template, so each PR's Application can rename it and pin its commit. */
export function prKustomization(): Record<string, unknown> {
    return { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources: ["stack.yaml"] };
}

/**
 * Argo CD's pull-request generator over the stacks' repository: a labelled open PR gets an
 * Application that applies the template as Stack `pr-<n>` at the PR's head commit; when the PR
 * closes (or loses its label) the Application goes, Argo CD deletes the Stack, and the operator
 * destroys it (destroyOnFinalize).
 */
export async function prStacksApplicationSet(source: FleetSource, github: PrStacksGitHub): Promise<Record<string, unknown>> {
    const { ApplicationSet } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet");
    const path = source.repoDir ? `${source.repoDir}/${PR_STACKS_PATH}` : PR_STACKS_PATH;
    return validatedManifest(new ApplicationSet({
        metadata: { name: "fleet-pr-stacks", namespace: ARGOCD_NAMESPACE },
        spec: {
            generators: [{
                pullRequest: {
                    github: { owner: github.owner, repo: github.repo, labels: [github.label], tokenRef: { secretName: github.tokenSecret.secretName, key: github.tokenSecret.key } },
                    requeueAfterSeconds: 300,
                },
            }],
            template: {
                metadata: { name: "fleet-pr-{{number}}", finalizers: ["resources-finalizer.argocd.argoproj.io"] },
                spec: {
                    project: FLEET_PROJECT,
                    source: {
                        repoURL: source.repoUrl,
                        path,
                        targetRevision: "{{head_sha}}",
                        kustomize: {
                            nameSuffix: "-{{number}}",
                            patches: [{
                                target: { group: "pulumi.com", version: "v1", kind: "Stack", name: PR_TEMPLATE_STACK },
                                // The exact commit Argo CD saw, not the branch: the stack runs what was reviewed.
                                patch: [
                                    "- { op: replace, path: /spec/stack, value: pr-{{number}} }",
                                    "- { op: remove, path: /spec/branch }",
                                    "- { op: add, path: /spec/commit, value: \"{{head_sha}}\" }",
                                ].join("\n"),
                            }],
                        },
                    },
                    destination: { server: IN_CLUSTER, namespace: STACKS_NAMESPACE },
                    syncPolicy: FLEET_SYNC_POLICY,
                },
            },
        },
    }));
}
