import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { listStacks, readStackConfig } from "../../../automation/offline/stack-file";
import { credentialKeysOf } from "../../../stacks/fleet";
import { PULUMI_OPERATOR_CHART, operatorValues } from "../../../components/gitops/charts";
import { FLEET_MANIFESTS_PATH } from "../../../components/gitops/fleet-application";
import { StackManifest } from "../../../components/gitops/stack-manifest";
import { FLEET_MANIFESTS_FILE, fleetManifests, renderFleetFiles } from "../../../stacks/fleet-manifests";
import { stackReconcilers } from "../../../stacks/reconciler";
import { plaintextSecrets } from "../../../automation/offline/secret-scan";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { MemoryOperator } from "../../../automation/driver/operator-memory";
import { paved } from "../../automation/runner/paved";
import { REPO_ROOT, StackEvaluation } from "../../harness";
import { unknownValuePaths, upstreamChart } from "../../upstream";
import { OPERATOR_OWNED, fleetCopy, strictOperatorCrd } from "./fleet-fixture";

const stackCrd = strictOperatorCrd("pulumi.com_stacks.yaml");

describe("the operator's Stack objects, from the stack files", () => {
    let dir: string;
    let manifests: StackManifest[];
    before(() => {
        dir = fleetCopy();
        manifests = fleetManifests(dir);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const byName = (name: string) => manifests.find((m) => m.metadata.name === name)!;

    it("is one Stack per operator-owned stack, each valid against the vendored Stack CRD (v2.9.0), unknown fields included", () => {
        expect(stackCrd.kind).to.equal("Stack");
        expect(manifests.map((m) => m.metadata.name)).to.deep.equal(OPERATOR_OWNED);
        for (const m of manifests) {
            expect(`${m.apiVersion} ${m.kind}`).to.equal(`${stackCrd.version} ${stackCrd.kind}`);
            expect(stackCrd.validate(m), m.metadata.name).to.deep.equal([]);
        }
    });

    it("the strict CRD check can fail: a misspelt field, a wrong type and a missing stack are each caught", () => {
        const m = byName("staging");
        expect(stackCrd.validate({ ...m, spec: { ...m.spec, destroyOnFinalise: false } }).join()).to.match(/additionalProperty.*destroyOnFinalise/);
        expect(stackCrd.validate({ ...m, spec: { ...m.spec, resyncFrequencySeconds: "600" } }).join()).to.include("/spec/resyncFrequencySeconds must be integer");
        const noStack: Record<string, unknown> = { ...m.spec };
        delete noStack.stack;
        expect(stackCrd.validate({ ...m, spec: noStack }).join()).to.include("must have required property 'stack'");
    });

    it("reads each stack from Git, refreshes before every update and re-applies on a resync without a new commit", () => {
        for (const m of manifests) {
            expect(m.spec).to.deep.include({
                stack: m.metadata.name,
                projectRepo: "https://github.com/acme/paved.git",
                branch: "main",
                backend: "s3://acme-pulumi-state",
                refresh: true,
                continueResyncOnCommitMatch: true,
                resyncFrequencySeconds: 600,
                serviceAccountName: `fleet-${m.metadata.name}`,
            });
            expect((m.spec.workspaceTemplate as { spec: { image: string } }).spec.image).to.equal(`pulumi/pulumi:${fs.readFileSync(path.join(REPO_ROOT, ".pulumi-version"), "utf8").trim()}-nonroot`);
        }
    });

    it("orders the stacks as rings.yaml does: each waits for the one before it in the ring, the first for none", () => {
        const rings = (parse(fs.readFileSync(path.join(REPO_ROOT, "rings.yaml"), "utf8")) as { rings: Record<string, { stacks: string[] }> }).rings;
        const chain = rings.default.stacks;
        expect(chain).to.deep.equal(["staging", "prod-us-east-1", "prod-us-west-2"]);
        const prerequisites = (name: string) => ((byName(name).spec.prerequisites ?? []) as { name: string; requirement: { succeededWithinDuration: string } }[]);
        expect(prerequisites(chain[0])).to.deep.equal([]);
        for (let i = 1; i < chain.length; i++) {
            expect(prerequisites(chain[i]).map((p) => p.name), chain[i]).to.deep.equal([chain[i - 1]]);
            expect(prerequisites(chain[i])[0].requirement.succeededWithinDuration).to.equal("1h");
        }
        // Not in a ring: no order imposed.
        expect(prerequisites("prod-global")).to.deep.equal([]);
    });

    it("never destroys a production stack when its Stack object goes (nor any other environment)", () => {
        const production = manifests.filter((m) => /^\s+paved:environment: prod$/m.test(fs.readFileSync(path.join(dir, `Pulumi.${m.metadata.name}.yaml`), "utf8")));
        expect(production.map((m) => m.metadata.name)).to.deep.equal(["prod-global", "prod-us-east-1", "prod-us-west-2"]);
        for (const m of manifests) expect(m.spec.destroyOnFinalize, m.metadata.name).to.equal(false);
    });

    it("holds no secret value: every credential is an envRef to a key of the stack's Vault-synced Secret", () => {
        const keys = (m: StackManifest) => Object.keys(m.spec.envRefs as object).sort();
        expect(keys(byName("prod-us-east-1"))).to.deep.equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PULUMI_CONFIG_PASSPHRASE", "VAULT_TOKEN"]);
        expect(keys(byName("prod-global"))).to.deep.equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PULUMI_CONFIG_PASSPHRASE"]);
        for (const m of manifests) {
            for (const [key, ref] of Object.entries(m.spec.envRefs as Record<string, unknown>)) {
                expect(ref, `${m.metadata.name} ${key}`).to.deep.equal({ type: "Secret", secret: { name: `fleet-${m.metadata.name}-credentials`, key } });
            }
            const text = JSON.stringify(m);
            for (const forbidden of ['"literal"', '"value"', '"data"', '"stringData"', "secure:", "[secret"]) expect(text, m.metadata.name).not.to.include(forbidden);
            expect(new URL(m.spec.backend as string).username + new URL(m.spec.backend as string).password).to.equal("");
        }
        // The project's own scanner (secret-like keys and contents) finds nothing either.
        const asRun = { resources: manifests.map((m) => ({ urn: `Stack ${m.metadata.name}`, inputs: m })), outputs: {} } as unknown as StackEvaluation;
        expect(plaintextSecrets(asRun)).to.deep.equal([]);
    });

    it("is what deploy/fleet holds (Argo CD applies it): rendered again, nothing changes", () => {
        const files = Object.entries(renderFleetFiles(REPO_ROOT));
        expect(files.map(([f]) => f)).to.include(`${FLEET_MANIFESTS_PATH}/${FLEET_MANIFESTS_FILE}`);
        for (const [file, text] of files) {
            const committed = fs.existsSync(path.join(REPO_ROOT, file)) ? fs.readFileSync(path.join(REPO_ROOT, file), "utf8") : undefined;
            expect(committed, `${file} is stale: run npm run render:fleet and commit the result`).to.equal(text);
        }
        const committed = fs.readFileSync(path.join(REPO_ROOT, FLEET_MANIFESTS_PATH, FLEET_MANIFESTS_FILE), "utf8");
        const docs = committed.split(/^---$/m).slice(1).map((d) => parse(d) as StackManifest);
        const owned = stackReconcilers(REPO_ROOT).filter((s) => s.reconciler === "operator").map((s) => s.stack);
        expect(docs.map((d) => d.metadata.name)).to.deep.equal(owned);
        for (const d of docs) expect(stackCrd.validate(d), d.metadata.name).to.deep.equal([]);
    });

    it("one source of truth: a new Pulumi.<stack>.yaml saying operator is in paved's stack list, gets its Stack object, and paved up refuses it", async () => {
        const qa = fs.readFileSync(path.join(dir, "Pulumi.staging.yaml"), "utf8").replace("paved:environment: staging", "paved:environment: qa").replace("10.3.0.0/16", "10.4.0.0/16");
        expect(qa).to.include("paved:reconciler: operator");
        fs.writeFileSync(path.join(dir, "Pulumi.qa.yaml"), qa);
        try {
            expect(listStacks(dir)).to.include("qa");
            expect(stackReconcilers(dir).find((s) => s.stack === "qa")?.reconciler).to.equal("operator");
            const qaStack = fleetManifests(dir).find((m) => m.metadata.name === "qa");
            expect(qaStack?.spec.stack).to.equal("qa");
            expect(stackCrd.validate(qaStack)).to.deep.equal([]);
            const up = async () => {
                const driver = new MemoryDriver(new Set(listStacks(dir)), new Map(), 1);
                return { driver, run: await paved(["up", "--stack", "qa"], { driver, operator: new MemoryOperator(["qa"]), projectDir: dir, retry: { retries: 0, backoffMs: 1 } }) };
            };
            const refused = await up();
            expect(refused.run.code).to.equal(2);
            expect(refused.run.err.join("\n")).to.include("refusing to up qa: the Pulumi Kubernetes Operator reconciles it from Git");
            expect(refused.driver.calls).to.deep.equal([]);
            // The same file saying paved: listed for paved, no Stack object, and paved applies it.
            fs.writeFileSync(path.join(dir, "Pulumi.qa.yaml"), qa.replace("paved:reconciler: operator", "paved:reconciler: paved"));
            expect(listStacks(dir)).to.include("qa");
            expect(fleetManifests(dir).map((m) => m.metadata.name)).to.deep.equal(OPERATOR_OWNED);
            const applied = await up();
            expect(applied.run.code).to.equal(0);
            expect(applied.driver.calls.map((c) => [c.stack, c.operation])).to.deep.equal([["qa", "up"]]);
        } finally {
            fs.rmSync(path.join(dir, "Pulumi.qa.yaml"));
        }
    });
});

describe("the operator's chart values", () => {
    it("are keys the vendored chart (2.9.0) has, for a production and a non-production management cluster", () => {
        expect(upstreamChart(PULUMI_OPERATOR_CHART.chart).version).to.equal(PULUMI_OPERATOR_CHART.version);
        expect(PULUMI_OPERATOR_CHART.version).to.equal("2.9.0");
        for (const production of [true, false]) expect(unknownValuePaths(operatorValues({ production }), PULUMI_OPERATOR_CHART)).to.deep.equal([]);
        // The check can fail: a key the chart does not have.
        expect(unknownValuePaths({ ...operatorValues({ production: true }), controller: { logFormt: "json" } }, PULUMI_OPERATOR_CHART)).to.deep.equal(["controller.logFormt"]);
    });
});

describe("what each stack's workspace needs from its Vault secret", () => {
    const config = (stack: string) => readStackConfig(REPO_ROOT, stack).config;
    it("the passphrase, its cloud's credentials, the backend's, and Vault's token where the stack uses Vault", () => {
        expect(credentialKeysOf(config("dev-gcp"), "gs://acme-pulumi-state")).to.deep.equal(["GOOGLE_CREDENTIALS", "PULUMI_CONFIG_PASSPHRASE", "VAULT_TOKEN"]);
        expect(credentialKeysOf(config("dev-gcp"), "s3://acme-pulumi-state")).to.deep.equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GOOGLE_CREDENTIALS", "PULUMI_CONFIG_PASSPHRASE", "VAULT_TOKEN"]);
        expect(credentialKeysOf(config("prod-global"), "https://api.pulumi.com")).to.deep.equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"]);
    });
});
