import { GATEWAY_NAMESPACE } from "../components/delivery/rollout-manifests";
import { ScheduledWorkload } from "../components/nodepools/scaled-object";
import { VaultAppSpec } from "../components/vault/app-spec";

/**
 * The platform's own consumers of Vault: Grafana's admin login and Argo CD's credentials. Each is a
 * Vault secret under `<environment>/<app>/`, synced by the Secrets Operator into a Kubernetes Secret
 * named `<app>-<secret>` that the chart reads; no value ever passes through config or Pulumi.
 */
export const OBSERVABILITY_NAMESPACE = "monitoring";
export const GITOPS_NAMESPACE = "argocd";

/** Vault `<env>/grafana/admin` (keys admin-user, admin-password) -> Secret grafana-admin. */
export const GRAFANA_ADMIN = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" };
/** Vault `<env>/argocd/sso` (key clientSecret) -> Secret argocd-sso, which Argo CD's OIDC config references. */
export const ARGOCD_SSO_SECRET = { secretName: "argocd-sso", key: "clientSecret" };
/** Vault `<env>/argocd/github` (key token) -> Secret argocd-github, for the pull-request generators. */
export const ARGOCD_GITHUB_SECRET = { secretName: "argocd-github", key: "token" };

/** Vault `<env>/gateway/tls` (keys tls.crt, tls.key: a certificate for `*.<domain>`) -> Secret gateway-tls, the Gateway's HTTPS listener. */
export const GATEWAY_TLS_SECRET = "gateway-tls";

/**
 * The platform's own Vault apps for an environment: with `observability`, Grafana's admin login
 * (Vault `<environment>/grafana/admin` synced to the Secret `GRAFANA_ADMIN` names, what
 * ObservabilityStack's `grafanaAdmin` reads); with `gitops`, the Gateway's TLS and Argo CD's credentials.
 * Pass them to VaultSecrets' `apps` beside the team's own.
 */
export function platformVaultApps(c: {
    readonly environment: string;
    readonly observability?: unknown;
    readonly gitops?: { readonly sso?: unknown };
    readonly prEnvironments?: unknown;
    readonly fleet?: { readonly github?: unknown };
}): VaultAppSpec[] {
    const apps: VaultAppSpec[] = [];
    if (c.observability) {
        apps.push({
            name: "grafana",
            namespace: OBSERVABILITY_NAMESPACE,
            mode: "operator",
            workload: { kind: "Deployment", name: "kube-prometheus-stack-grafana" },
            secrets: [{ name: "admin", path: `${c.environment}/grafana/admin` }],
        });
    }
    if (c.gitops) {
        // The shared Gateway (installed with GitOps) terminates TLS; Envoy Gateway reloads a renewed certificate itself.
        apps.push({
            name: "gateway",
            namespace: GATEWAY_NAMESPACE,
            mode: "operator",
            reloadsSecrets: true,
            secrets: [{ name: "tls", path: `${c.environment}/gateway/tls`, secretType: "kubernetes.io/tls" }],
        });
        const argocd = { "app.kubernetes.io/part-of": "argocd" };
        apps.push({
            name: "argocd",
            namespace: GITOPS_NAMESPACE,
            mode: "operator",
            workload: { kind: "Deployment", name: "argocd-server" },
            secrets: [
                // Keys url, username, password (or sshPrivateKey): Argo CD's repository credential template.
                { name: "repo", path: `${c.environment}/argocd/repo`, secretLabels: { "argocd.argoproj.io/secret-type": "repo-creds" } },
                ...(c.gitops.sso ? [{ name: "sso", path: `${c.environment}/argocd/sso`, secretLabels: argocd }] : []),
                // Both pull-request generators read it: PR environments' and the fleet's PR stacks'.
                ...(c.prEnvironments || c.fleet?.github ? [{ name: "github", path: `${c.environment}/argocd/github`, secretLabels: argocd }] : []),
            ],
        });
    }
    return apps;
}

/**
 * The night schedule's workloads as the stack really deploys them: an app released as a canary
 * exists as an Argo Rollout (ProgressiveDelivery declares no Deployment for it), so KEDA must scale
 * the Rollout. Anything else keeps the kind its config names.
 */
export function scheduledWorkloads(
    scaleToZero: readonly ScheduledWorkload[],
    canaries: readonly { readonly app: string; readonly namespace: string }[],
): ScheduledWorkload[] {
    return scaleToZero.map((w) => (canaries.some((c) => c.app === w.name && c.namespace === w.namespace) ? { ...w, kind: "Rollout" as const } : w));
}

/**
 * Namespaces the platform puts objects into that no platform component creates: those of Vault
 * apps (e.g. `payments`) and of scheduled workloads outside the canary namespaces. The regional
 * stack creates them, so a fresh cluster needs nothing applied by hand first.
 */
export function appNamespaces(c: {
    readonly observability?: unknown;
    readonly gitops?: unknown;
    readonly canaries: readonly { readonly namespace: string }[];
    readonly vault?: { readonly apps: readonly { readonly namespace: string }[] };
    readonly scaleToZero: readonly { readonly namespace: string }[];
}): string[] {
    const created = new Set<string>([
        ...(c.observability ? [OBSERVABILITY_NAMESPACE] : []),
        // GitOps installs Argo CD; ProgressiveDelivery (on with GitOps) creates the Gateway's and every canary's namespace.
        ...(c.gitops ? [GITOPS_NAMESPACE, GATEWAY_NAMESPACE, ...c.canaries.map((k) => k.namespace)] : []),
    ]);
    const used = [...(c.vault?.apps ?? []).map((a) => a.namespace), ...c.scaleToZero.map((w) => w.namespace)];
    return [...new Set(used)].filter((ns) => !created.has(ns)).sort();
}
