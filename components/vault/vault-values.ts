import { HelmChartPin } from "../helm";

/** hashicorp/vault chart, pinned; used only for its Agent Injector (the server runs elsewhere). */
export const VAULT_CHART: HelmChartPin = {
    chart: "vault",
    version: "0.34.1",
    repo: "https://helm.releases.hashicorp.com",
};

/** hashicorp/vault-secrets-operator chart, pinned. */
export const VAULT_SECRETS_OPERATOR_CHART: HelmChartPin = {
    chart: "vault-secrets-operator",
    version: "1.4.1",
    repo: "https://helm.releases.hashicorp.com",
};

const onSystemPool = {
    nodeSelector: { "paved.io/pool": "system" },
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
};

/** The injector alone: no Vault server, no CSI provider, pointed at the external Vault. */
export function vaultInjectorValues(args: { readonly vaultAddress: string; readonly authPath: string; readonly replicas: number }): Record<string, unknown> {
    return {
        global: { externalVaultAddr: args.vaultAddress, tlsDisable: false },
        server: { enabled: false },
        csi: { enabled: false },
        ui: { enabled: false },
        injector: {
            enabled: true,
            replicas: args.replicas,
            authPath: `auth/${args.authPath}`,
            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
            ...onSystemPool,
        },
    };
}

/** VSO's controller on the system pool; connections are per namespace, so no default one. */
export function vaultSecretsOperatorValues(): Record<string, unknown> {
    return {
        controller: {
            manager: { resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } } },
            ...onSystemPool,
        },
    };
}
