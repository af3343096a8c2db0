import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConnection, onCluster } from "../cluster/kubernetes-cluster";
import { modelledCustomResource } from "../custom-resource";
import { pinnedRelease } from "../helm";
import { Problems, show } from "../validation";
import { ARGOCD_NAMESPACE, argoCdValues, platformProject, rootApplication } from "./argocd-manifests";
import { ARGO_CD_CHART } from "./charts";
import { GitSource, SsoConfig, gitSourceProblems } from "./gitops-spec";

/** Arguments of GitOps: the cluster and the Git source of its root app of apps. */
export interface GitOpsArgs {
    readonly cluster: ClusterConnection;
    /** The repository, path and revision of the cluster's root "app of apps". */
    readonly source: GitSource;
    /**
     * High availability (redis-ha, two of each server).
     * @default false
     */
    readonly production?: boolean;
    /**
     * OIDC single sign-on.
     * @default none: read-only access through the API only
     */
    readonly sso?: SsoConfig;
}

export function gitOpsProblems(args: Omit<GitOpsArgs, "cluster">): Problems {
    const problems = new Problems();
    problems.addAll("", gitSourceProblems(args.source).list);
    if (args.sso) {
        problems.check(/^https:\/\/\S+$/.test(args.sso.issuer ?? ""), "sso.issuer", `got ${show(args.sso.issuer)}: the OIDC issuer's https URL, e.g. "https://login.example.com"`);
        problems.check(!!args.sso.clientSecretRef?.secretName && !!args.sso.clientSecretRef?.key, "sso.clientSecretRef", `got ${show(args.sso.clientSecretRef)}: name the Vault-synced Secret and key, e.g. { secretName: "argocd-sso", key: "clientSecret" }`);
    }
    return problems;
}

/**
 * Argo CD keeps the cluster equal to Git: the pinned chart (HA in production, admin user off, SSO
 * optional), the platform AppProject, and a root Application with automated sync, prune and
 * self-heal. Repository credentials are Secrets synced from Vault (see `VaultSecretRef.secretLabels`).
 */
export class GitOps extends pulumi.ComponentResource {
    public readonly namespace = ARGOCD_NAMESPACE;
    /** Secrets Argo CD reads (repository credentials, the SSO client secret) wait for this namespace. */
    public readonly namespaceResource: k8s.core.v1.Namespace;

    constructor(name: string, args: GitOpsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:delivery:GitOps", name, {}, opts);
        gitOpsProblems(args).throwIfAny("GitOps");
        const on = onCluster(args.cluster, this);
        const namespace = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: ARGOCD_NAMESPACE } }, on);
        const argocd = pinnedRelease(`${name}-argocd`, ARGO_CD_CHART, {
            namespace: ARGOCD_NAMESPACE,
            values: argoCdValues({ production: args.production ?? false, sso: args.sso }),
        }, { ...on, dependsOn: [namespace] });
        const afterArgo = { ...on, dependsOn: [argocd] };
        const project = modelledCustomResource(`${name}-project`, APP_PROJECT, platformProject(args.source), afterArgo);
        modelledCustomResource(`${name}-root`, APPLICATION, rootApplication(args.source), { ...on, dependsOn: [argocd, project] });
        this.namespaceResource = namespace;
        this.registerOutputs({});
    }
}

export const APP_PROJECT = { apiVersion: "argoproj.io/v1alpha1", kind: "AppProject" };
export const APPLICATION = { apiVersion: "argoproj.io/v1alpha1", kind: "Application" };
