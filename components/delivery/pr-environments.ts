import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConnection, onCluster } from "../cluster/kubernetes-cluster";
import { modelledCustomResource, validatedManifest } from "../custom-resource";
import { Problems, show } from "../validation";
import { ARGOCD_NAMESPACE, IN_CLUSTER, PLATFORM_PROJECT, SYNC_POLICY } from "./argocd-manifests";
import { GatewayDns, gatewayRecord } from "./gateway-record";
import { GitSource, gitSourceProblems, isDnsName } from "./gitops-spec";
import { GATEWAY_NAME, GATEWAY_NAMESPACE } from "./rollout-manifests";

/** Arguments of PrEnvironments: the app's source, the GitHub repository whose pull requests get an environment, and the DNS they are published in. */
export interface PrEnvironmentsArgs {
    readonly cluster: ClusterConnection;
    /** The app's repository and chart path; each PR deploys its head commit. */
    readonly source: GitSource;
    /** The GitHub repository whose open pull requests get environments, and the Secret holding the API token. */
    readonly github: { readonly owner: string; readonly repo: string; readonly tokenSecret: { readonly secretName: string; readonly key: string } };
    /** PR N is served at `pr-N.<domain>`. */
    readonly domain: string;
    /** The shared Gateway the PR routes attach to; its load balancer address gets the wildcard record. */
    readonly gateway: k8s.apiextensions.CustomResource;
    /** Where `*.<domain>` is published. */
    readonly dns: GatewayDns;
}

export function prEnvironmentsProblems(args: Omit<PrEnvironmentsArgs, "cluster" | "gateway">): Problems {
    const problems = new Problems();
    problems.addAll("", gitSourceProblems(args.source).list);
    problems.check(isDnsName(args.domain), "domain", `got ${show(args.domain)}: a DNS name, e.g. "dev.example.com"`);
    for (const field of ["owner", "repo"] as const) {
        problems.check(/^[A-Za-z0-9_.-]+$/.test(args.github?.[field] ?? ""), `github.${field}`, `got ${show(args.github?.[field])}: a GitHub ${field} name, e.g. "acme"`);
    }
    return problems;
}

/** One Argo CD Application per open pull request, in namespace `pr-<n>`, removed when the PR closes. */
export async function prApplicationSet(args: Omit<PrEnvironmentsArgs, "cluster" | "gateway" | "dns">): Promise<Record<string, unknown>> {
    const { ApplicationSet } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet");
    const set = new ApplicationSet({
        metadata: { name: `pr-${args.github.repo}`, namespace: ARGOCD_NAMESPACE },
        spec: {
            generators: [{
                pullRequest: {
                    github: { owner: args.github.owner, repo: args.github.repo, tokenRef: { secretName: args.github.tokenSecret.secretName, key: args.github.tokenSecret.key } },
                    requeueAfterSeconds: 300,
                },
            }],
            template: {
                metadata: { name: "pr-{{number}}" },
                spec: {
                    project: PLATFORM_PROJECT,
                    source: {
                        repoURL: args.source.repoUrl,
                        path: args.source.path,
                        targetRevision: "{{head_sha}}",
                        helm: {
                            parameters: [
                                { name: "host", value: `pr-{{number}}.${args.domain}` },
                                { name: "gateway.name", value: GATEWAY_NAME },
                                { name: "gateway.namespace", value: GATEWAY_NAMESPACE },
                            ],
                        },
                    },
                    destination: { server: IN_CLUSTER, namespace: "pr-{{number}}" },
                    syncPolicy: SYNC_POLICY,
                },
            },
        },
    });
    return validatedManifest(set);
}

/**
 * Per-PR application environments: the ApplicationSet (pull-request generator) on the dev cluster,
 * and one wildcard DNS record `*.<domain>` to the shared Gateway, so every `pr-<n>.<domain>` resolves
 * without a record per PR; each PR's chart adds its HTTPRoute for its own host.
 */
export class PrEnvironments extends pulumi.ComponentResource {
    constructor(name: string, args: PrEnvironmentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:delivery:PrEnvironments", name, {}, opts);
        prEnvironmentsProblems(args).throwIfAny("PrEnvironments");
        const child = { parent: this };
        modelledCustomResource(`${name}-applicationset`, { apiVersion: "argoproj.io/v1alpha1", kind: "ApplicationSet" }, prApplicationSet(args), onCluster(args.cluster, this));

        gatewayRecord(`${name}-wildcard`, { label: "*", domain: args.domain, gateway: args.gateway, dns: args.dns }, child);
        this.registerOutputs({});
    }
}
