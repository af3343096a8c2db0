import { VaultAppSpec } from "./app-spec";

/** KV v2 keeps values under `<mount>/data/...` and listings under `<mount>/metadata/...`. */
export function kvDataPath(mount: string, path: string): string {
    return `${mount}/data/${path}`;
}

export function kvMetadataPath(mount: string, path: string): string {
    return `${mount}/metadata/${path}`;
}

/**
 * The app's Vault policy: `read` on each of its own data paths and, where asked, `list` on their
 * metadata — nothing else, so a token leaked from one app reads no other app's secrets.
 */
export function appPolicyHcl(app: VaultAppSpec, environment: string, mount: string): string {
    const blocks = [`# paved-road: ${environment}/${app.name} may read its own secrets and nothing else.`];
    for (const secret of app.secrets) {
        const capabilities = secret.capabilities ?? ["read"];
        if (capabilities.includes("read")) {
            blocks.push(`path "${kvDataPath(mount, secret.path)}" {\n  capabilities = ["read"]\n}`);
        }
        if (capabilities.includes("list")) {
            blocks.push(`path "${kvMetadataPath(mount, secret.path)}" {\n  capabilities = ["list"]\n}`);
        }
    }
    return `${blocks.join("\n\n")}\n`;
}
