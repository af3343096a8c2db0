import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AuthBackend } from "@pulumi/vault/authBackend";
import * as kubernetesAuth from "@pulumi/vault/kubernetes";
import { Mount } from "@pulumi/vault/mount";
import { Policy } from "@pulumi/vault/policy";
import { KubernetesCluster, onCluster } from "../cluster/kubernetes-cluster";
import { pinnedRelease } from "../helm";
import { Problems, show } from "../validation";
import { tracingAnnotations } from "../observability/instrumentation";
import { injectorAnnotations } from "./annotations";
import { DEFAULT_TOKEN_MAX_TTL, DEFAULT_TOKEN_TTL, VaultAppSpec, WorkloadKind, vaultAppProblems } from "./app-spec";
import { vaultAuth, vaultConnection, vaultStaticSecret } from "./operator-resources";
import { appPolicyHcl } from "./policy";
import { VAULT_CHART, VAULT_SECRETS_OPERATOR_CHART, vaultInjectorValues, vaultSecretsOperatorValues } from "./vault-values";

/** Arguments of VaultSecrets: the cluster, the Vault it logs in to, and each app with exactly its secrets. */
export interface VaultSecretsArgs {
    /** The cluster whose workloads log in to Vault. */
    readonly cluster: KubernetesCluster;
    /** Names this cluster in Vault: its auth mount is `kubernetes-<clusterKey>`, so two regions never collide. */
    readonly clusterKey: string;
    /** Environment, the first segment of every secret path, e.g. "dev". */
    readonly environment: string;
    /** Vault's address as workloads reach it, e.g. "https://vault.example.com:8200". */
    readonly vaultAddress: string;
    /**
     * The KV v2 mount holding the secrets.
     * @default "secret", reused (not created)
     */
    readonly kv?: { readonly path: string; readonly create: boolean };
    /** Applications and exactly the secrets each may read. */
    readonly apps: readonly VaultAppSpec[];
    /**
     * Injector replicas (two keep pod admission going through a node drain).
     * @default 2
     */
    readonly injectorReplicas?: number;
}

const MOUNT_SEGMENT = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function vaultSecretsProblems(args: Omit<VaultSecretsArgs, "cluster">): Problems {
    const problems = new Problems();
    problems.check(MOUNT_SEGMENT.test(args.clusterKey ?? ""), "clusterKey", `got ${show(args.clusterKey)}: lowercase letters, digits and "-", e.g. "dev-eu-central-1"`);
    problems.check(/^https:\/\/[^\s/]+(:\d+)?\/?$/.test(args.vaultAddress ?? ""), "vaultAddress", `got ${show(args.vaultAddress)}: Vault's https URL, e.g. "https://vault.example.com:8200"`);
    problems.check(MOUNT_SEGMENT.test(args.kv?.path ?? "secret"), "kv.path", `got ${show(args.kv?.path)}: a mount name, e.g. "secret"`);
    (args.apps ?? []).forEach((app, i) => problems.addAll("", vaultAppProblems(app, args.environment, `apps[${i}]`).list));
    const keys = (args.apps ?? []).map((a) => `${a.namespace}/${a.name}`);
    problems.check(new Set(keys).size === keys.length, "apps", `got ${show(keys)}: each app (namespace/name) once`);
    return problems;
}

/**
 * "Secret zero": wires a cluster to Vault so every app gets exactly its own secrets at run time.
 * Vault side (through the Vault provider passed in): a Kubernetes auth mount per cluster, the KV v2
 * mount, and per app a read-only policy on its own prefix and a role bound to its one
 * ServiceAccount. Cluster side: the Agent Injector (and the Secrets Operator when an app asks for
 * Kubernetes Secrets), each app's ServiceAccount, and the operator's resources. No secret value
 * passes through Pulumi: only paths.
 */
export class VaultSecrets extends pulumi.ComponentResource {
    /** The Kubernetes auth mount, e.g. "kubernetes-dev-eu-central-1". */
    public readonly authPath: string;
    public readonly kvMount: string;
    /** The Vault role of each app, by app name. */
    public readonly roles: Record<string, string>;
    private readonly apps: readonly VaultAppSpec[];

    constructor(name: string, args: VaultSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:vault:VaultSecrets", name, {}, opts);
        vaultSecretsProblems(args).throwIfAny("VaultSecrets");
        const child = { parent: this };
        const on = onCluster(args.cluster, this);
        this.authPath = `kubernetes-${args.clusterKey}`;
        this.kvMount = args.kv?.path ?? "secret";
        this.roles = {};

        // --- Vault side.
        const auth = new AuthBackend(`${name}-auth`, {
            type: "kubernetes",
            path: this.authPath,
            description: `Workloads of cluster ${args.clusterKey} (managed by paved-road)`,
        }, child);
        // No reviewer JWT: Vault checks each client's own token (the app ServiceAccounts may review tokens, below).
        new kubernetesAuth.AuthBackendConfig(`${name}-auth-config`, {
            backend: auth.path,
            kubernetesHost: args.cluster.endpoint,
            kubernetesCaCert: args.cluster.certificateAuthority,
            disableLocalCaJwt: true,
        }, child);
        const mount = args.kv?.create
            ? new Mount(`${name}-kv`, { path: this.kvMount, type: "kv", options: { version: "2" }, description: "Application secrets (KV v2)" }, child)
            : undefined;

        for (const app of args.apps) {
            const role = `${app.namespace}-${app.name}`;
            const serviceAccount = app.serviceAccount ?? app.name;
            this.roles[app.name] = role;
            const policy = new Policy(`${name}-${role}`, { name: `${args.environment}-${role}`, policy: appPolicyHcl(app, args.environment, this.kvMount) }, {
                ...child,
                dependsOn: mount ? [mount] : [],
            });
            new kubernetesAuth.AuthBackendRole(`${name}-${role}`, {
                backend: auth.path,
                roleName: role,
                boundServiceAccountNames: [serviceAccount],
                boundServiceAccountNamespaces: [app.namespace],
                tokenPolicies: [policy.name],
                tokenTtl: app.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL,
                tokenMaxTtl: app.tokenMaxTtlSeconds ?? DEFAULT_TOKEN_MAX_TTL,
            }, child);
            new k8s.core.v1.ServiceAccount(`${name}-${role}`, { metadata: { name: serviceAccount, namespace: app.namespace } }, on);
        }

        // --- Cluster side.
        const injectorApps = args.apps.filter((a) => (a.mode ?? "injector") === "injector");
        const operatorApps = args.apps.filter((a) => a.mode === "operator");
        new k8s.rbac.v1.ClusterRoleBinding(`${name}-token-review`, {
            metadata: { name: `${name}-vault-token-review` },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
            subjects: args.apps.map((a) => ({ kind: "ServiceAccount", name: a.serviceAccount ?? a.name, namespace: a.namespace })),
        }, on);
        if (injectorApps.length > 0) {
            pinnedRelease(`${name}-injector`, VAULT_CHART, {
                namespace: "vault",
                createNamespace: true,
                values: vaultInjectorValues({ vaultAddress: args.vaultAddress, authPath: this.authPath, replicas: args.injectorReplicas ?? 2 }),
            }, on);
        }
        if (operatorApps.length > 0) {
            const operator = pinnedRelease(`${name}-operator`, VAULT_SECRETS_OPERATOR_CHART, {
                namespace: "vault-secrets-operator-system",
                createNamespace: true,
                values: vaultSecretsOperatorValues(),
            }, on);
            const withOperator = { ...on, dependsOn: [operator] };
            const manifests = [
                ...[...new Set(operatorApps.map((a) => a.namespace))].map((ns) => vaultConnection(ns, args.vaultAddress)),
                ...operatorApps.flatMap((app) => [
                    vaultAuth(app, { authPath: this.authPath, role: this.roles[app.name] }),
                    ...app.secrets.map((secret) => vaultStaticSecret(app, secret, { mount: this.kvMount })),
                ]),
            ];
            for (const m of manifests) {
                new k8s.apiextensions.CustomResource(`${name}-${m.metadata.namespace}-${m.kind}-${m.metadata.name}`, m, withOperator);
            }
        }
        this.apps = args.apps;
        this.registerOutputs({ authPath: this.authPath, kvMount: this.kvMount });
    }

    /**
     * Pod-template annotations for an injector-mode app, with its tracing opt-in when it has one (see
     * `withPodAnnotations` to apply them): the app spec is the one place an app says both.
     */
    annotationsFor(appName: string, kind?: WorkloadKind): Record<string, string> {
        const app = this.apps.find((a) => a.name === appName);
        if (!app) throw new Error(`VaultSecrets: no app "${appName}"; registered apps: ${this.apps.map((a) => a.name).join(", ")}`);
        return { ...injectorAnnotations(app, { role: this.roles[app.name], authPath: this.authPath, mount: this.kvMount, kind }), ...tracingAnnotations(app.name, app) };
    }
}
