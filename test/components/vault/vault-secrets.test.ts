import * as pulumi from "@pulumi/pulumi";
import { Provider as VaultProvider } from "@pulumi/vault/provider";
import { expect } from "chai";
import { EksCluster } from "../../../components/cluster";
import {
    VAULT_CHART,
    VAULT_SECRETS_OPERATOR_CHART,
    VaultAppSpec,
    VaultSecrets,
    appPolicyHcl,
    injectorAnnotations,
    vaultAppProblems,
    vaultInjectorValues,
    vaultSecretsOperatorValues,
    withPodAnnotations,
} from "../../../components/vault";
import { StackEvaluation, inputsOf, ofType, runFailing, runProgram } from "../../harness";
import { crdValidator, unknownValuePaths, upstreamChart, valuesSchemaValidator } from "../../upstream";

/** The documented example app: payments in dev reads its database credentials and lists its API keys. */
const payments: VaultAppSpec = {
    name: "payments",
    namespace: "payments",
    secrets: [
        { name: "db", path: "dev/payments/db" },
        { name: "api-keys", path: "dev/payments/api-keys", capabilities: ["read", "list"] },
    ],
};
const reports: VaultAppSpec = {
    name: "reports",
    namespace: "analytics",
    serviceAccount: "reports-runner",
    mode: "operator",
    workload: { kind: "Deployment", name: "reports-web" },
    secrets: [{ name: "warehouse", path: "dev/reports/warehouse" }],
};

function build(clusterKeys: string[], apps: VaultAppSpec[] = [payments, reports]): Promise<StackEvaluation> {
    return runProgram(() => {
        const provider = new VaultProvider("vault", { address: "https://vault.example.com:8200" });
        for (const key of clusterKeys) {
            const cluster = new EksCluster(`c-${key}`, { tags: { environment: "dev", owner: "o", costCenter: "c" }, kubernetesVersion: "1.33" });
            new VaultSecrets(`vault-${key}`, {
                cluster,
                clusterKey: key,
                environment: "dev",
                vaultAddress: "https://vault.example.com:8200",
                kv: { path: "secret", create: key === clusterKeys[0] },
                apps,
            }, { providers: [provider] });
        }
    });
}

describe("Vault secret injection", () => {
    describe("policy", () => {
        it("grants the documented example app read on its own paths and list where asked, exactly", () => {
            expect(appPolicyHcl(payments, "dev", "secret")).to.equal(
                [
                    "# paved-road: dev/payments may read its own secrets and nothing else.",
                    "",
                    'path "secret/data/dev/payments/db" {',
                    '  capabilities = ["read"]',
                    "}",
                    "",
                    'path "secret/data/dev/payments/api-keys" {',
                    '  capabilities = ["read"]',
                    "}",
                    "",
                    'path "secret/metadata/dev/payments/api-keys" {',
                    '  capabilities = ["list"]',
                    "}",
                    "",
                ].join("\n"),
            );
        });

        it("grants list alone where only list is asked: no read on that secret's data", () => {
            const hcl = appPolicyHcl({ ...payments, secrets: [{ name: "index", path: "dev/payments/index", capabilities: ["list"] }] }, "dev", "kv");
            expect(hcl).to.equal([
                "# paved-road: dev/payments may read its own secrets and nothing else.",
                "",
                'path "kv/metadata/dev/payments/index" {',
                '  capabilities = ["list"]',
                "}",
                "",
            ].join("\n"));
        });

        it("grants nothing outside the app's prefix, and nothing but read and list", () => {
            const hcl = appPolicyHcl({ ...payments, secrets: [...payments.secrets, { name: "all", path: "dev/payments/*" }] }, "dev", "secret");
            const paths = [...hcl.matchAll(/path "([^"]+)"/g)].map((m) => m[1]);
            expect(paths).to.have.length(4);
            expect(paths.filter((p) => !/^secret\/(data|metadata)\/dev\/payments\//.test(p))).to.deep.equal([]);
            const capabilities = [...hcl.matchAll(/capabilities = \[([^\]]*)\]/g)].flatMap((m) => m[1].split(",").map((c) => c.trim()));
            expect(new Set(capabilities)).to.deep.equal(new Set(['"read"', '"list"']));
        });
    });

    describe("component", () => {
        let run: StackEvaluation;
        before(async () => {
            run = await build(["dev-eu-central-1", "dev-us-east-1"]);
        });

        it("mounts Kubernetes auth per cluster under a path naming it, so regions never collide", () => {
            const paths = ofType(run.resources, "vault:index/authBackend:AuthBackend").map((r) => inputsOf(r).path);
            expect(paths).to.deep.equal(["kubernetes-dev-eu-central-1", "kubernetes-dev-us-east-1"]);
            const config = inputsOf(ofType(run.resources, "vault:kubernetes/authBackendConfig:AuthBackendConfig")[0]);
            expect(config.kubernetesHost).to.match(/^https:\/\/.*eks\.amazonaws\.com$/);
            expect(config.kubernetesCaCert).to.match(/^-----BEGIN CERTIFICATE-----/);
        });

        it("binds each app's role to exactly its one ServiceAccount and namespace, with its policy and TTLs", () => {
            const roles = ofType(run.resources, "vault:kubernetes/authBackendRole:AuthBackendRole").map(inputsOf);
            const role = roles.find((r) => r.roleName === "payments-payments" && r.backend === "kubernetes-dev-eu-central-1")!;
            expect(role).to.deep.include({
                boundServiceAccountNames: ["payments"],
                boundServiceAccountNamespaces: ["payments"],
                tokenPolicies: ["dev-payments-payments"],
                tokenTtl: 3600,
                tokenMaxTtl: 14400,
            });
            const runner = roles.find((r) => r.roleName === "analytics-reports")!;
            expect(runner.boundServiceAccountNames).to.deep.equal(["reports-runner"]);
            expect(runner.boundServiceAccountNamespaces).to.deep.equal(["analytics"]);
        });

        it("creates the KV v2 mount once when asked, and a ServiceAccount per app", () => {
            expect(ofType(run.resources, "vault:index/mount:Mount").map(inputsOf)).to.deep.equal([
                { path: "secret", type: "kv", options: { version: "2" }, description: "Application secrets (KV v2)" },
            ]);
            const accounts = ofType(run.resources, "kubernetes:core/v1:ServiceAccount").map((r) => inputsOf(r).metadata);
            expect(accounts).to.deep.include({ name: "payments", namespace: "payments" });
            expect(accounts).to.deep.include({ name: "reports-runner", namespace: "analytics" });
        });

        it("installs the pinned injector (no server) and the operator, with values the upstream charts have", () => {
            const releases = ofType(run.resources, "kubernetes:helm.sh/v3:Release").map(inputsOf);
            const injector = releases.find((r) => r.chart === "vault")!;
            expect(injector).to.include({ version: "0.34.1", namespace: "vault" });
            expect(injector.values.server).to.deep.equal({ enabled: false });
            expect(injector.values.global.externalVaultAddr).to.equal("https://vault.example.com:8200");
            expect(releases.find((r) => r.chart === "vault-secrets-operator")).to.include({ version: "1.4.1" });

            expect(VAULT_CHART.version).to.equal(upstreamChart("vault").version);
            expect(VAULT_SECRETS_OPERATOR_CHART.version).to.equal(upstreamChart("vault-secrets-operator").version);
            const injectorValues = vaultInjectorValues({ vaultAddress: "https://vault.example.com:8200", authPath: "kubernetes-x", replicas: 2 });
            expect(unknownValuePaths(injectorValues, VAULT_CHART)).to.deep.equal([]);
            expect(valuesSchemaValidator("vault")(injectorValues)).to.deep.equal([]);
            expect(unknownValuePaths(vaultSecretsOperatorValues(), VAULT_SECRETS_OPERATOR_CHART)).to.deep.equal([]);
        });

        it("gives operator-mode apps VSO resources that are valid against the upstream CRDs", () => {
            const byKind = (kind: string) => ofType(run.resources, `kubernetes:secrets.hashicorp.com/v1beta1:${kind}`).map(inputsOf);
            const files: Record<string, string> = {
                VaultConnection: "secrets.hashicorp.com_vaultconnections.yaml",
                VaultAuth: "secrets.hashicorp.com_vaultauths.yaml",
                VaultStaticSecret: "secrets.hashicorp.com_vaultstaticsecrets.yaml",
            };
            for (const [kind, file] of Object.entries(files)) {
                const objects = byKind(kind);
                expect(objects, kind).to.have.length(2); // one per cluster
                const validate = crdValidator("vault-secrets-operator", file);
                for (const o of objects) expect(validate(o), kind).to.deep.equal([]);
            }
            const secret = byKind("VaultStaticSecret")[0];
            expect(secret.spec).to.deep.include({ type: "kv-v2", mount: "secret", path: "dev/reports/warehouse", refreshAfter: "60s" });
            expect(secret.spec.rolloutRestartTargets).to.deep.equal([{ kind: "Deployment", name: "reports-web" }]);
            expect(crdValidator("vault-secrets-operator", files.VaultStaticSecret)({ ...secret, spec: { ...secret.spec, refreshAfter: "soon" } })).to.have.length(1);
        });

        it("lets every app ServiceAccount have its own token reviewed (Vault uses the client's JWT)", () => {
            const binding = inputsOf(ofType(run.resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding")[0]);
            expect(binding.roleRef.name).to.equal("system:auth-delegator");
            expect(binding.subjects).to.deep.equal([
                { kind: "ServiceAccount", name: "payments", namespace: "payments" },
                { kind: "ServiceAccount", name: "reports-runner", namespace: "analytics" },
            ]);
        });
    });

    describe("annotations", () => {
        const args = { role: "payments-payments", authPath: "kubernetes-dev-eu-central-1", mount: "secret" };

        it("of a traced app carry its tracing opt-in beside the injector's, and of an untraced app none", async () => {
            const found: Record<string, Record<string, string>> = {};
            await runProgram(() => {
                const cluster = new EksCluster("c-dev", { tags: { environment: "dev", owner: "o", costCenter: "c" }, kubernetesVersion: "1.33" });
                const v = new VaultSecrets("vault-dev", { cluster, clusterKey: "dev", environment: "dev", vaultAddress: "https://vault.example.com:8200", apps: [{ ...payments, tracing: "java" }, reports] });
                found.payments = v.annotationsFor("payments");
                found.reports = v.annotationsFor("reports");
            });
            expect(found.payments).to.deep.include({
                "vault.hashicorp.com/agent-inject": "true",
                "instrumentation.opentelemetry.io/inject-java": "monitoring/paved",
                "resource.opentelemetry.io/service.name": "payments",
            });
            expect(Object.keys(found.reports)).to.include("vault.hashicorp.com/agent-inject");
            expect(Object.keys(found.reports).filter((k) => /opentelemetry/.test(k))).to.deep.equal([]);
        });

        it("render each secret as an env file for a Deployment, with agent limits", () => {
            const a = injectorAnnotations(payments, args);
            expect(a).to.deep.include({
                "vault.hashicorp.com/agent-inject": "true",
                "vault.hashicorp.com/role": "payments-payments",
                "vault.hashicorp.com/auth-path": "auth/kubernetes-dev-eu-central-1",
                "vault.hashicorp.com/agent-inject-secret-db": "secret/data/dev/payments/db",
                "vault.hashicorp.com/agent-limits-cpu": "250m",
                "vault.hashicorp.com/agent-limits-mem": "128Mi",
            });
            expect(a["vault.hashicorp.com/agent-inject-template-db"]).to.equal(
                '{{- with secret "secret/data/dev/payments/db" -}}{{- range $k, $v := .Data.data }}export {{ $k }}="{{ $v }}"\n{{ end }}{{- end }}',
            );
            expect(a).to.not.have.property("vault.hashicorp.com/agent-pre-populate-only");
        });

        it("use a pre-populate-only agent for a Job, so it completes", () => {
            expect(injectorAnnotations(payments, { ...args, kind: "Job" })["vault.hashicorp.com/agent-pre-populate-only"]).to.equal("true");
            expect(injectorAnnotations(payments, { ...args, kind: "CronJob" })["vault.hashicorp.com/agent-pre-populate-only"]).to.equal("true");
        });

        it("apply to Deployment, StatefulSet, Rollout and CronJob pod templates without changing the input", () => {
            const a = { "vault.hashicorp.com/agent-inject": "true" };
            const deployment = { kind: "Deployment", spec: { template: { metadata: { annotations: { keep: "me" } } } } };
            expect(withPodAnnotations(deployment, a).spec.template.metadata.annotations).to.deep.equal({ keep: "me", ...a });
            expect(deployment.spec.template.metadata.annotations).to.deep.equal({ keep: "me" });
            const rollout = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", spec: { template: {} } };
            expect(withPodAnnotations(rollout, a).spec.template).to.deep.equal({ metadata: { annotations: a } });
            const cron = { kind: "CronJob", spec: { jobTemplate: { spec: { template: {} } } } };
            expect(withPodAnnotations(cron, a).spec.jobTemplate.spec.template).to.deep.equal({ metadata: { annotations: a } });
            expect(() => withPodAnnotations({ kind: "ConfigMap" }, a)).to.throw(/no pod template/);
        });
    });

    describe("bad input", () => {
        const paths = (app: Partial<VaultAppSpec> & Record<string, unknown>) =>
            vaultAppProblems({ ...payments, ...app }, "dev").list.map((p) => p.propertyPath);

        it("accepts the documented example", () => expect(paths({})).to.deep.equal([]));
        it("rejects a path outside the environment prefix", () =>
            expect(paths({ secrets: [{ name: "db", path: "prod/payments/db" }] })).to.deep.equal(["secrets[0].path"]));
        it("rejects another app's path", () =>
            expect(paths({ secrets: [{ name: "db", path: "dev/billing/db" }] })).to.deep.equal(["secrets[0].path"]));
        it("rejects a capability other than read or list", () =>
            expect(paths({ secrets: [{ name: "db", path: "dev/payments/db", capabilities: ["read", "update" as never] }] })).to.deep.equal(["secrets[0].capabilities"]));
        it("rejects a wildcard that escapes the app prefix", () => {
            const problems = vaultAppProblems({ ...payments, secrets: [{ name: "all", path: "dev/+/db" }] }, "dev").list;
            expect(problems.map((p) => p.propertyPath)).to.deep.equal(["secrets[0].path"]);
            expect(problems[0].reason).to.include("wildcard reaches beyond").and.include('"dev/payments/*"');
            expect(paths({ secrets: [{ name: "all", path: "dev/payments*" }] })).to.deep.equal(["secrets[0].path"]);
            expect(paths({ secrets: [{ name: "up", path: "dev/payments/../billing/db" }] })).to.deep.equal(["secrets[0].path"]);
        });
        it("rejects a Secret type the operator does not sync, or one without operator mode", () => {
            const tls = { name: "tls", path: "dev/payments/tls", secretType: "kubernetes.io/tls" as const };
            expect(paths({ mode: "operator", secrets: [tls] })).to.deep.equal([]);
            expect(paths({ secrets: [tls] })).to.deep.equal(["secrets[0].secretType"]);
            expect(paths({ mode: "operator", secrets: [{ ...tls, secretType: "kubernetes.io/ssh-auth" as never }] })).to.deep.equal(["secrets[0].secretType"]);
        });
        it("rejects a TTL above the max TTL", () => expect(paths({ tokenTtlSeconds: 20000, tokenMaxTtlSeconds: 14400 })).to.deep.equal(["tokenTtlSeconds"]));
        it("rejects an empty secret list", () => expect(paths({ secrets: [] })).to.deep.equal(["secrets"]));
        it("rejects invalid ServiceAccount and namespace names", () =>
            expect(paths({ serviceAccount: "Payments_SA", namespace: "-payments" })).to.deep.equal(["namespace", "serviceAccount"]));
        it("rejects a plaintext value anywhere in the spec, with a fix", () => {
            const problems = vaultAppProblems({ ...payments, secrets: [{ name: "db", path: "dev/payments/db", value: "hunter2" } as never] }, "dev").list;
            expect(problems.map((p) => p.propertyPath)).to.deep.equal(["secrets[0].value"]);
            expect(problems[0].reason).to.include("vault kv put secret/dev/payments/<name>").and.not.include("hunter2");
        });

        it("throws one InputPropertiesError from the component, creating nothing", async () => {
            const failure = await runFailing(() => {
                const cluster = new EksCluster("c", { tags: { environment: "dev", owner: "o", costCenter: "c" }, kubernetesVersion: "1.33" });
                new VaultSecrets("vault", { cluster, clusterKey: "dev", environment: "dev", vaultAddress: "http://vault:8200", apps: [{ ...payments, secrets: [] }] });
            });
            expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
            expect((failure.cause as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath)).to.deep.equal(["vaultAddress", "apps[0].secrets"]);
            expect(failure.resources.filter((r) => r.type.startsWith("vault:"))).to.be.empty;
        });
    });
});
