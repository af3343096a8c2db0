import { StackEvaluation } from "./evaluate";
import { isSecret } from "./recorder";

/** A value that looks like a secret but is not marked as one. Never carries the value itself. */
export interface PlaintextSecretFinding {
    /** The resource's URN, or "stack output". */
    readonly where: string;
    readonly path: string;
    readonly reason: string;
}

/** Keys whose values are secrets by name. */
const SECRET_KEY = /(pass(word|wd|phrase)?$|secret|token|private[-_]?key|api[-_]?key|access[-_]?key|credential|kubeconfig|client[-_]?key)/i;
/** Keys that match by name but hold no secret: Vault policy names and lifetimes, IMDS mode, provider flags, names of Secrets. */
const NOT_SECRET_KEY =
    /^(tokenPolicies|tokenTtl|tokenMaxTtl|tokenExplicitMaxTtl|tokenType|hmacSecretData|vaultAuthRef|secretKeyRef|tokenExpirationSeconds|httpTokens|skipCredentialsValidation|existingSecret|secretName|argocd\.argoproj\.io\/secret-type)$/;
/** A KV path (`<mount>/data/...`) or a Vault injector template reading one: where a secret is, not what it is. */
const VAULT_REFERENCE = /^[a-z0-9][a-z0-9-]*\/(data|metadata)\/[\w./*+-]+$/;
/** Secret material, whatever the key: private keys, cloud and forge tokens. */
const SECRET_VALUES: [RegExp, string][] = [
    [/-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/, "a PEM private key"],
    [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key ID"],
    [/\bgh[pousr]_[A-Za-z0-9]{36}\b/, "a GitHub token"],
    [/\bxox[abpr]-[A-Za-z0-9-]{10,}/, "a Slack token"],
];

function scan(value: unknown, path: string, key: string, found: (path: string, reason: string) => void): void {
    if (isSecret(value)) return;
    if (Array.isArray(value)) return value.forEach((v, i) => scan(v, `${path}[${i}]`, key, found));
    if (typeof value === "object" && value !== null) {
        for (const [k, v] of Object.entries(value)) scan(v, path ? `${path}.${k}` : k, k, found);
        return;
    }
    if (typeof value !== "string" || value === "") return;
    for (const [pattern, what] of SECRET_VALUES) if (pattern.test(value)) found(path, `${what} in plaintext`);
    if (SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key) && !VAULT_REFERENCE.test(value)) {
        found(path, `"${key}" looks like a secret but its value is neither a Pulumi secret nor a Vault path`);
    }
}

/**
 * Every secret-like value in a stack's resource inputs and outputs that is not a Pulumi secret or
 * a Vault path: secret-like by key (password, token, secret, key material) or by content.
 */
export function plaintextSecrets(run: StackEvaluation): PlaintextSecretFinding[] {
    const findings: PlaintextSecretFinding[] = [];
    for (const resource of run.resources) {
        scan(resource.inputs, "", "", (path, reason) => findings.push({ where: resource.urn, path, reason }));
    }
    scan(run.outputs, "", "", (path, reason) => findings.push({ where: "stack output", path, reason }));
    return findings;
}
