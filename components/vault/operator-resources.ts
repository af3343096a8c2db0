import { VaultAppSpec, VaultSecretRef, WorkloadKind } from "./app-spec";

const API_VERSION = "secrets.hashicorp.com/v1beta1";
export const VAULT_CONNECTION_NAME = "vault";
/** How often the operator re-reads a secret from Vault. */
export const DEFAULT_REFRESH_AFTER = "60s";

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: Record<string, unknown> };

/** One VaultConnection per namespace that uses the operator: where Vault is. */
export function vaultConnection(namespace: string, address: string): Manifest {
    return {
        apiVersion: API_VERSION,
        kind: "VaultConnection",
        metadata: { name: VAULT_CONNECTION_NAME, namespace },
        spec: { address, skipTLSVerify: false },
    };
}

/** The app's login: Kubernetes auth on the cluster's mount, as its role, with its own ServiceAccount. */
export function vaultAuth(app: VaultAppSpec, args: { readonly authPath: string; readonly role: string }): Manifest {
    return {
        apiVersion: API_VERSION,
        kind: "VaultAuth",
        metadata: { name: app.name, namespace: app.namespace },
        spec: {
            vaultConnectionRef: VAULT_CONNECTION_NAME,
            method: "kubernetes",
            mount: args.authPath,
            kubernetes: { role: args.role, serviceAccount: app.serviceAccount ?? app.name },
        },
    };
}

/** The operator restarts these kinds when a secret changes; a Job or CronJob picks it up on its next run. */
function restartTarget(kind: WorkloadKind, name: string): { kind: string; name: string }[] {
    if (kind === "Job" || kind === "CronJob") return [];
    return [{ kind: kind === "Rollout" ? "argo.Rollout" : kind, name }];
}

/** One KV v2 secret synced into a Kubernetes Secret named `<app>-<secret>`. */
export function vaultStaticSecret(app: VaultAppSpec, secret: VaultSecretRef, args: { readonly mount: string; readonly refreshAfter?: string }): Manifest {
    const workload = app.workload ?? { kind: "Deployment" as const, name: app.name };
    return {
        apiVersion: API_VERSION,
        kind: "VaultStaticSecret",
        metadata: { name: `${app.name}-${secret.name}`, namespace: app.namespace },
        spec: {
            vaultAuthRef: app.name,
            mount: args.mount,
            type: "kv-v2",
            path: secret.path,
            refreshAfter: args.refreshAfter ?? DEFAULT_REFRESH_AFTER,
            hmacSecretData: true,
            destination: {
                name: `${app.name}-${secret.name}`,
                create: true,
                ...(secret.secretType ? { type: secret.secretType } : {}),
                ...(secret.secretLabels ? { labels: { ...secret.secretLabels } } : {}),
            },
            rolloutRestartTargets: app.reloadsSecrets ? [] : restartTarget(workload.kind, workload.name),
        },
    };
}
