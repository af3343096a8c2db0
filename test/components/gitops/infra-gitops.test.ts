import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { plaintextSecrets } from "../../../automation/offline/secret-scan";
import { DEFAULT_STACKS_NAMESPACE, PAUSE_ANNOTATION } from "../../../automation/driver/operator-kubectl";
import { EksCluster } from "../../../components/cluster";
import { FLEET_MANIFESTS_PATH, FleetStack, InfraGitOps, STACKS_NAMESPACE, fleetProblems } from "../../../components/gitops";
import { fleetOf } from "../../../stacks/fleet";
import { StackEvaluation, inputsOf, ofType, one, runFailing, runProgram } from "../../harness";
import { OPERATOR_OWNED, fleetCopy } from "./fleet-fixture";

const tags = { environment: "dev", owner: "o", costCenter: "c" };
const settings = { repoUrl: "https://github.com/acme/paved.git", branch: "main", backend: "s3://acme-pulumi-state", resyncSeconds: 600, previewOnly: [] as string[] };

describe("InfraGitOps (the Pulumi Kubernetes Operator under Argo CD)", () => {
    let run: StackEvaluation;
    let fleet: ReturnType<typeof fleetOf>;
    before(async () => {
        const dir = fleetCopy();
        try {
            fleet = fleetOf(dir, settings);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        run = await runProgram(() => {
            const cluster = new EksCluster("mgmt", { tags, kubernetesVersion: "1.33" });
            new InfraGitOps("fleet", { cluster, source: fleet.source, stacks: fleet.stacks });
        });
    });

    it("installs the operator from its pinned OCI chart", () => {
        expect(inputsOf(one(run.resources, "kubernetes:helm.sh/v3:Release"))).to.include({
            chart: "oci://ghcr.io/pulumi/helm-charts/pulumi-kubernetes-operator",
            version: "2.9.0",
            namespace: "pulumi-kubernetes-operator",
            atomic: true,
        });
    });

    it("gives each stack's workspace its own ServiceAccount with the system:auth-delegator binding operator v2 requires", () => {
        expect(fleet.stacks.map((s) => s.name)).to.deep.equal(OPERATOR_OWNED);
        const accounts = ofType(run.resources, "kubernetes:core/v1:ServiceAccount").map((r) => inputsOf(r).metadata);
        expect(accounts).to.deep.equal(OPERATOR_OWNED.map((s) => ({ name: `fleet-${s}`, namespace: STACKS_NAMESPACE })));
        const bindings = ofType(run.resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").map((r) => inputsOf(r));
        expect(bindings).to.have.length(OPERATOR_OWNED.length);
        for (const b of bindings) expect(b.roleRef.name).to.equal("system:auth-delegator");
        expect(bindings.map((b) => b.subjects[0].name)).to.deep.equal(OPERATOR_OWNED.map((s) => `fleet-${s}`));
    });

    it("lets Argo CD own the Stack objects from deploy/fleet of the stacks' repository, and nothing else", () => {
        const app = inputsOf(one(run.resources, "kubernetes:argoproj.io/v1alpha1:Application"));
        expect(app.spec.source).to.deep.equal({ repoURL: settings.repoUrl, path: FLEET_MANIFESTS_PATH, targetRevision: "main" });
        expect(app.spec.destination.namespace).to.equal(STACKS_NAMESPACE);
        expect(app.spec.syncPolicy.automated).to.deep.equal({ prune: true, selfHeal: true });
        // Self-heal must not undo paved's pause (spec.preview and its note), nor fight the operator's status.
        expect(app.spec.syncPolicy.syncOptions).to.include("RespectIgnoreDifferences=true");
        expect(app.spec.ignoreDifferences).to.deep.equal([{ group: "pulumi.com", kind: "Stack", jsonPointers: ["/status", "/spec/preview", "/metadata/annotations/paved.io~1paused"] }]);
        // ...which is exactly what the runner's pause writes, in the namespace the runner looks in.
        expect(PAUSE_ANNOTATION).to.equal("paved.io/paused");
        expect(DEFAULT_STACKS_NAMESPACE).to.equal(STACKS_NAMESPACE);
        const project = inputsOf(one(run.resources, "kubernetes:argoproj.io/v1alpha1:AppProject"));
        expect(project.spec).to.deep.include({ sourceRepos: [settings.repoUrl], clusterResourceWhitelist: [], namespaceResourceWhitelist: [{ group: "pulumi.com", kind: "Stack" }] });
        expect(app.spec.project).to.equal(project.metadata.name);
    });

    it("passes no secret value through Pulumi", () => {
        expect(run.resources.length).to.be.greaterThan(5);
        expect(plaintextSecrets(run)).to.deep.equal([]);
    });

    it("previews only (reports) the environments asked, never applies them", () => {
        const dir = fleetCopy();
        try {
            const { stacks } = fleetOf(dir, { ...settings, previewOnly: ["prod"] });
            expect(stacks.filter((s) => s.previewOnly).map((s) => s.name)).to.deep.equal(["prod-global", "prod-us-east-1", "prod-us-west-2"]);
            expect(stacks.find((s) => s.name === "staging")?.previewOnly).to.equal(false);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("bad input", () => {
        const stack = (name: string, after: string[] = []): FleetStack => ({ name, production: false, previewOnly: false, after, credentialKeys: ["PULUMI_CONFIG_PASSPHRASE"] });
        it("refuses a ring predecessor the operator does not reconcile, rather than skip the gate", () => {
            const problems = fleetProblems(fleet.source, [stack("prod-us-east-1", ["staging"])]).list;
            expect(problems.map((p) => p.propertyPath)).to.deep.equal(["stacks[0].after[0]"]);
            expect(problems[0].reason).to.include('got "staging"').and.include("paved:reconciler: operator in Pulumi.staging.yaml");
        });
        it("refuses prerequisites in a cycle, naming it", () => {
            const problems = fleetProblems(fleet.source, [stack("a", ["b"]), stack("b", ["a"])]).list;
            expect(problems.map((p) => p.reason).join()).to.include("a -> b -> a");
        });
        it("throws one InputPropertiesError from the component", async () => {
            const failure = await runFailing(() => {
                const cluster = new EksCluster("mgmt", { tags, kubernetesVersion: "1.33" });
                new InfraGitOps("fleet", { cluster, source: { ...fleet.source, repoUrl: "ftp://x", resyncSeconds: 5 }, stacks: [stack("Bad_Name")] });
            });
            expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
            expect((failure.cause as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath)).to.deep.equal(["source.repoUrl", "source.resyncSeconds", "stacks[0].name"]);
        });
    });
});
