import { GitSource, SsoConfig } from "./gitops-spec";
import { validatedManifest } from "../custom-resource";

export const IN_CLUSTER = "https://kubernetes.default.svc";
export const ARGOCD_NAMESPACE = "argocd";
export const PLATFORM_PROJECT = "platform";

/**
 * Replica counts are owned by KEDA (night scale-to-zero) and HPAs, not Git: Argo CD leaves them out
 * of every diff, so self-heal never fights the autoscalers (a well-known Argo CD complaint).
 */
export const IGNORE_REPLICAS = "jsonPointers:\n- /spec/replicas\n";

export function argoCdValues(args: { readonly production: boolean; readonly sso?: SsoConfig }): Record<string, unknown> {
    const replicas = args.production ? 2 : 1;
    const cm: Record<string, unknown> = {
        // No shared admin password: people sign in through SSO; automation uses project tokens.
        "admin.enabled": false,
        "resource.customizations.ignoreDifferences.apps_Deployment": IGNORE_REPLICAS,
        "resource.customizations.ignoreDifferences.apps_StatefulSet": IGNORE_REPLICAS,
        "resource.customizations.ignoreDifferences.argoproj.io_Rollout": IGNORE_REPLICAS,
    };
    if (args.sso) {
        cm["oidc.config"] = [
            "name: SSO",
            `issuer: ${args.sso.issuer}`,
            `clientID: ${args.sso.clientId}`,
            // Argo CD resolves `$<secret>:<key>` from a Secret labelled app.kubernetes.io/part-of=argocd.
            `clientSecret: $${args.sso.clientSecretRef.secretName}:${args.sso.clientSecretRef.key}`,
            "requestedScopes: [openid, profile, email, groups]",
            "",
        ].join("\n");
    }
    return {
        configs: { cm, rbac: { "policy.default": "role:readonly" } },
        dex: { enabled: false },
        "redis-ha": { enabled: args.production },
        server: { replicas },
        repoServer: { replicas },
        applicationSet: { replicas },
    };
}

/** The platform's AppProject: sources only from the platform repository, never into kube-system. */
export async function platformProject(source: GitSource, extraRepos: readonly string[] = []): Promise<Record<string, unknown>> {
    const { AppProject } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject");
    const project = new AppProject({
        metadata: { name: PLATFORM_PROJECT, namespace: ARGOCD_NAMESPACE },
        spec: {
            description: "Everything the platform's Git repository declares (managed by paved-road)",
            sourceRepos: [source.repoUrl, ...extraRepos],
            destinations: [
                { server: IN_CLUSTER, namespace: "!kube-system" },
                { server: IN_CLUSTER, namespace: "*" },
            ],
            clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
            orphanedResources: { warn: true },
        },
    });
    return validatedManifest(project);
}

/** Automated sync that reverts manual changes, prunes what Git removed and retries with backoff. */
export const SYNC_POLICY = {
    automated: { prune: true, selfHeal: true },
    retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
    syncOptions: ["CreateNamespace=true", "PrunePropagationPolicy=foreground", "PruneLast=true", "ServerSideApply=true", "RespectIgnoreDifferences=true"],
};

/** The root "app of apps": everything else the cluster runs is an Application under this path. */
export async function rootApplication(source: GitSource): Promise<Record<string, unknown>> {
    const { Application } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application");
    const app = new Application({
        metadata: { name: "root", namespace: ARGOCD_NAMESPACE, finalizers: ["resources-finalizer.argocd.argoproj.io"] },
        spec: {
            project: PLATFORM_PROJECT,
            source: { repoURL: source.repoUrl, path: source.path, targetRevision: source.revision ?? "main" },
            destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
            syncPolicy: SYNC_POLICY,
            ignoreDifferences: [
                { group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] },
                { group: "apps", kind: "StatefulSet", jsonPointers: ["/spec/replicas"] },
            ],
        },
    });
    return validatedManifest(app);
}
