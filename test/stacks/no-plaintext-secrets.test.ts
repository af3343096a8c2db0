import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { plaintextSecrets } from "../../automation/offline/secret-scan";
import { StackEvaluation, runProgram, runStack } from "../harness";

describe("no plaintext secrets", () => {
    for (const stack of ["dev", "prod-us-east-1"]) {
        it(`finds no secret-like value in plaintext in any input or output of the whole ${stack} stack`, async () => {
            const run = await runStack(stack);
            expect(run.resources.some((r) => r.type.startsWith("vault:")), "the stack wires Vault").to.be.true;
            expect(plaintextSecrets(run)).to.deep.equal([]);
        });
    }

    it("finds what a careless program would leak, by key and by content, and passes secrets and Vault paths", async () => {
        const pem = ["-----BEGIN RSA PRIVATE KEY-----", "MIIB...", "-----END RSA PRIVATE KEY-----"].join("\n");
        const run: StackEvaluation = await runProgram(() => {
            new k8s.core.v1.ConfigMap("leaky", { data: { DB_PASSWORD: "hunter2", tls: pem, DB_PATH: "secret/data/dev/app/db" } });
            new k8s.core.v1.Secret("safe", { stringData: { apiToken: pulumi.secret("s3cr3t") } });
            return { adminPassword: "letmein", kubeconfig: pulumi.secret("{}") };
        });
        const findings = plaintextSecrets(run);
        expect(findings.map((f) => `${f.where.split("::").pop()} ${f.path}`)).to.have.members([
            "leaky data.DB_PASSWORD",
            "leaky data.tls",
            "stack output adminPassword",
        ]);
        expect(JSON.stringify(findings)).to.not.include("hunter2").and.not.include("letmein");
    });
});
