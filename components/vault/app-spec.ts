import { Problems, show } from "../validation";
import { AppTracing, tracingProblems } from "../observability/instrumentation";

/** What an app may do with a secret path: read it, or also list the keys under it. */
export type SecretCapability = "read" | "list";
const CAPABILITIES: readonly SecretCapability[] = ["read", "list"];

/** One secret an app may read: a KV v2 path under `<environment>/<app>/`. */
export interface VaultSecretRef {
    /** Name of the rendered file / Kubernetes Secret, e.g. "db". */
    readonly name: string;
    /** KV path, starting with `<environment>/<app>/`, e.g. "dev/payments/db". */
    readonly path: string;
    /**
     * What the app may do there; only read and list exist on this road.
     * @default ["read"]
     */
    readonly capabilities?: readonly SecretCapability[];
    /**
     * Labels of the Kubernetes Secret the operator syncs (operator mode), e.g. Argo CD's
     * `argocd.argoproj.io/secret-type: repo-creds`.
     * @default none
     */
    readonly secretLabels?: Readonly<Record<string, string>>;
    /**
     * Type of the Kubernetes Secret the operator syncs (operator mode), e.g. "kubernetes.io/tls" for
     * a certificate whose Vault keys are `tls.crt` and `tls.key`.
     * @default "Opaque"
     */
    readonly secretType?: "Opaque" | "kubernetes.io/tls";
}

/** The kinds of workload whose pods get an app's Vault annotations. */
export type WorkloadKind = "Deployment" | "StatefulSet" | "Job" | "CronJob" | "Rollout";

/** An application and exactly the secrets it may read; `tracing: <language>` (see AppTracing) as for canary apps. */
export interface VaultAppSpec extends AppTracing {
    /** App name, also the second segment of its secret paths, e.g. "payments". */
    readonly name: string;
    /** Kubernetes namespace the app runs in. */
    readonly namespace: string;
    /**
     * The ServiceAccount the app runs as; the Vault role is bound to it alone.
     * @default the app's name
     */
    readonly serviceAccount?: string;
    readonly secrets: readonly VaultSecretRef[];
    /**
     * Vault token lifetime in seconds.
     * @default 3600
     */
    readonly tokenTtlSeconds?: number;
    /**
     * Longest a token may be renewed to, in seconds.
     * @default 14400
     */
    readonly tokenMaxTtlSeconds?: number;
    /**
     * How secrets reach the app: the agent injector renders files into the pod; the operator
     * (VSO) syncs Kubernetes Secrets for apps that can only read env vars.
     * @default "injector"
     */
    readonly mode?: "injector" | "operator";
    /**
     * The workload that uses the secrets: Jobs get pre-populate-only agents; the operator restarts it on change.
     * @default a Deployment named like the app
     */
    readonly workload?: { readonly kind: WorkloadKind; readonly name: string };
    /**
     * The consumer reloads a changed Secret by itself (e.g. Envoy Gateway its TLS certificates), so
     * the operator restarts nothing.
     * @default false
     */
    readonly reloadsSecrets?: boolean;
}

export const DEFAULT_TOKEN_TTL = 3600;
export const DEFAULT_TOKEN_MAX_TTL = 14400;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Every `value` key anywhere in a spec: secrets are referenced by path, never written inline. */
function plaintextValues(node: unknown, at: string): string[] {
    if (Array.isArray(node)) return node.flatMap((v, i) => plaintextValues(v, `${at}[${i}]`));
    if (typeof node !== "object" || node === null) return [];
    return Object.entries(node).flatMap(([k, v]) => {
        const here = at ? `${at}.${k}` : k;
        return /^(value|values|data|stringData)$/i.test(k) ? [here] : plaintextValues(v, here);
    });
}

const APP_KEYS = ["name", "namespace", "serviceAccount", "secrets", "tokenTtlSeconds", "tokenMaxTtlSeconds", "mode", "workload", "reloadsSecrets", "tracing", "tracingExecutable"];
const SECRET_KEYS = ["name", "path", "capabilities", "secretLabels", "secretType"];
const WORKLOAD_KINDS: readonly WorkloadKind[] = ["Deployment", "StatefulSet", "Job", "CronJob", "Rollout"];

/** Every problem with an app's secret spec, in the environment it runs in. */
export function vaultAppProblems(app: VaultAppSpec, environment: string, path = ""): Problems {
    const problems = new Problems();
    const at = (field: string) => (path ? `${path}.${field}` : field);
    const leaks = plaintextValues(app, "");
    for (const leak of leaks) {
        problems.add(at(leak), `a plaintext value in the secret spec: secrets live in Vault and are referenced by path; remove it and write the value with \`vault kv put secret/${environment}/${app.name}/<name>\``);
    }
    const unknownKeys = (node: unknown, known: readonly string[], where: (k: string) => string) => {
        for (const key of Object.keys(node ?? {}).filter((k) => !known.includes(k) && !leaks.includes(where(k)))) {
            problems.add(at(where(key)), `unknown key (a typo?); known keys here: ${known.join(", ")}`);
        }
    };
    unknownKeys(app, APP_KEYS, (k) => k);
    (Array.isArray(app.secrets) ? app.secrets : []).forEach((s, i) => unknownKeys(s, SECRET_KEYS, (k) => `secrets[${i}].${k}`));
    problems.check(app.mode === undefined || app.mode === "injector" || app.mode === "operator", at("mode"), `got ${show(app.mode)}: use "injector" (files in the pod) or "operator" (a Kubernetes Secret)`);
    if (app.workload !== undefined) {
        problems.check(
            WORKLOAD_KINDS.includes(app.workload?.kind) && DNS_LABEL.test(app.workload?.name ?? ""),
            at("workload"),
            `got ${show(app.workload)}: name the workload's kind (${WORKLOAD_KINDS.join(", ")}) and name, e.g. { kind: "Deployment", name: "${app.name}" }`,
        );
    }
    problems.check(DNS_LABEL.test(app.name ?? ""), at("name"), `got ${show(app.name)}: expected a Kubernetes name, e.g. "payments"`);
    problems.check(DNS_LABEL.test(app.namespace ?? ""), at("namespace"), `got ${show(app.namespace)}: expected a Kubernetes namespace name, e.g. "payments"`);
    if (app.serviceAccount !== undefined) {
        problems.check(DNS_LABEL.test(app.serviceAccount), at("serviceAccount"), `got ${show(app.serviceAccount)}: expected a Kubernetes ServiceAccount name, e.g. "payments"`);
    }
    const ttl = app.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL;
    const maxTtl = app.tokenMaxTtlSeconds ?? DEFAULT_TOKEN_MAX_TTL;
    problems.check(Number.isInteger(ttl) && ttl > 0, at("tokenTtlSeconds"), `got ${show(ttl)}: a positive number of seconds, e.g. 3600`);
    problems.check(
        !(Number.isInteger(ttl) && Number.isInteger(maxTtl)) || ttl <= maxTtl,
        at("tokenTtlSeconds"),
        `got tokenTtlSeconds ${ttl} above tokenMaxTtlSeconds ${maxTtl}: a token cannot live longer than its maximum; e.g. tokenTtlSeconds 3600 with tokenMaxTtlSeconds 14400`,
    );
    const secrets: readonly VaultSecretRef[] = Array.isArray(app.secrets) ? app.secrets : [];
    problems.check(secrets.length > 0, at("secrets"), `got ${show(app.secrets)}: an app with Vault access needs at least one secret, e.g. [{ name: "db", path: "${environment}/${app.name}/db" }]`);
    const prefix = `${environment}/${app.name}/`;
    secrets.forEach((secret, i) => {
        const here = at(`secrets[${i}]`);
        problems.check(DNS_LABEL.test(secret?.name ?? ""), `${here}.name`, `got ${show(secret?.name)}: a lowercase name for the rendered secret, e.g. "db"`);
        const p = String(secret?.path ?? "");
        const escapes = !p.startsWith(prefix) || p.split("/").some((seg) => seg === ".." || seg === "." || seg === "");
        const wildcard = /[*+]/.test(p);
        if (escapes) {
            problems.add(
                `${here}.path`,
                wildcard
                    ? `got ${show(p)}: the wildcard reaches beyond the app's own prefix "${prefix}"; put it after the prefix, e.g. "${prefix}*"`
                    : `got ${show(p)}: outside the app's environment prefix "${prefix}"; an app reads only its own secrets, e.g. "${prefix}db"`,
            );
        } else if (wildcard) {
            problems.check(
                /^[^*+]*(\+\/[^*+]*)*\*?$/.test(p.slice(prefix.length)) && !p.slice(prefix.length, -1).includes("*"),
                `${here}.path`,
                `got ${show(p)}: Vault globs allow "*" only at the end and "+" only as a whole segment, e.g. "${prefix}*"`,
            );
        }
        if (secret?.secretType !== undefined) {
            problems.check(
                (secret.secretType === "Opaque" || secret.secretType === "kubernetes.io/tls") && app.mode === "operator",
                `${here}.secretType`,
                `got ${show(secret.secretType)}${app.mode === "operator" ? "" : " without mode: operator"}: the operator syncs "Opaque" or "kubernetes.io/tls" Secrets, e.g. secretType: "kubernetes.io/tls" with mode: "operator"`,
            );
        }
                for (const capability of secret?.capabilities ?? ["read"]) {
            problems.check(
                CAPABILITIES.includes(capability),
                `${here}.capabilities`,
                `got ${show(capability)}: apps may only "read" (and "list") their secrets; remove it, e.g. capabilities: ["read"]`,
            );
        }
    });
    problems.addAll("", tracingProblems(app, path).list);
    const names = secrets.map((s) => s?.name);
    problems.check(new Set(names).size === names.length, at("secrets"), `got names ${show(names)}: each secret needs its own name`);
    return problems;
}
