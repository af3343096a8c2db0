import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { parse } from "yaml";
import { plaintextSecrets } from "../../../automation/offline/secret-scan";
import { StackFileError } from "../../../automation/offline/stack-file";
import { DEFAULT_STACKS_NAMESPACE, PAUSE_ANNOTATION } from "../../../automation/driver/operator-kubectl";
import { EksCluster } from "../../../components/cluster";
import { FLEET_MANIFESTS_PATH, FleetStack, InfraGitOps, PR_STACKS_PATH, STACKS_NAMESPACE, StackManifest, fleetProblems, prStacksApplicationSet } from "../../../components/gitops";
import { fleetOf } from "../../../stacks/fleet";
import { renderFleetFiles, repositoryFleet } from "../../../stacks/fleet-manifests";
import { StackEvaluation, inputsOf, ofType, one, runFailing, runProgram } from "../../harness";
import { OPERATOR_OWNED, fleetCopy, strictOperatorCrd } from "./fleet-fixture";

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

const stackCrd = strictOperatorCrd("pulumi.com_stacks.yaml");
const GITHUB = "  paved:fleet:\n    repoUrl: https://github.com/acme/paved.git\n    backend: s3://acme-pulumi-state\n    github: { owner: acme, repo: paved }\n";

/** RFC 6902 replace/remove/add on object members, as kustomize applies a JSON patch (enough for the template's three operations). */
function jsonPatch(object: StackManifest, ops: { op: string; path: string; value?: unknown }[]): StackManifest {
    const copy = structuredClone(object) as unknown as Record<string, unknown>;
    for (const { op, path: at, value } of ops) {
        const keys = at.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
        const parent = keys.slice(0, -1).reduce((o, k) => o[k] as Record<string, unknown>, copy);
        const last = keys[keys.length - 1];
        if ((op === "replace" || op === "remove") && !(last in parent)) throw new Error(`${op} ${at}: no such member (kustomize fails the same way)`);
        if (op === "remove") delete parent[last];
        else parent[last] = value;
    }
    return copy as unknown as StackManifest;
}

describe("PR stacks under the operator (Argo CD's pull-request generator)", () => {
    let dir: string;
    before(() => {
        dir = fleetCopy();
        fs.appendFileSync(path.join(dir, "Pulumi.pr.yaml"), "  paved:reconciler: operator\n");
        const dev = path.join(dir, "Pulumi.dev.yaml");
        fs.writeFileSync(dev, fs.readFileSync(dev, "utf8").replace(/  paved:fleet:\n(    .*\n)+/, GITHUB));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("renders the pr template as a Stack the CRD accepts, which each PR's patch turns into pr-<n> at its head commit", () => {
        const files = renderFleetFiles(dir);
        const template = parse(files[`${PR_STACKS_PATH}/stack.yaml`]!.split(/^---$/m)[1]) as StackManifest;
        expect(stackCrd.validate(template)).to.deep.equal([]);
        expect(template.metadata.name).to.equal("pr");
        // A PR stack has no file in Git: the template's config is inline, minus who reconciles it; it is created on first run and destroyed with its PR.
        expect(template.spec).to.deep.include({ useLocalStackOnly: false, destroyOnFinalize: true });
        expect(template.spec.config).to.deep.include({ "paved:role": "preview", "paved:preview": { clusterStack: "dev" } });
        expect(template.spec.config).not.to.have.property("paved:reconciler");
        expect(parse(files[`${PR_STACKS_PATH}/kustomization.yaml`]!)).to.deep.equal({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources: ["stack.yaml"] });

        const set = repositoryFleet(dir)!.prStacks!;
        return prStacksApplicationSet(repositoryFleet(dir)!.source, set.github).then((appSet) => {
            const spec = appSet.spec as { generators: { pullRequest: { github: Record<string, unknown> } }[]; template: { spec: { source: { path: string; targetRevision: string; kustomize: { nameSuffix: string; patches: { target: Record<string, string>; patch: string }[] } } } } };
            expect(spec.generators[0].pullRequest.github).to.deep.equal({ owner: "acme", repo: "paved", labels: ["preview-stack"], tokenRef: { secretName: "argocd-github", key: "token" } });
            const source = spec.template.spec.source;
            expect(source.path).to.equal(PR_STACKS_PATH);
            expect(source.targetRevision).to.equal("{{head_sha}}");
            // What the generator fills in for PR 42 at commit abc123, then what kustomize does with it.
            const fill = (text: string) => text.replace(/\{\{number\}\}/g, "42").replace(/\{\{head_sha\}\}/g, "abc123");
            const patch = source.kustomize.patches[0];
            expect(patch.target).to.deep.include({ kind: "Stack", name: template.metadata.name });
            const pr42 = jsonPatch(template, parse(fill(patch.patch)) as { op: string; path: string; value?: unknown }[]);
            pr42.metadata.name = `${pr42.metadata.name}${fill(source.kustomize.nameSuffix)}`;
            expect(pr42.metadata.name).to.equal("pr-42");
            expect(pr42.spec.stack).to.equal("pr-42");
            expect(pr42.spec.commit).to.equal("abc123");
            expect(pr42.spec).not.to.have.property("branch");
            expect(stackCrd.validate(pr42)).to.deep.equal([]);
        });
    });

    it("InfraGitOps adds the ApplicationSet and the PR stacks' shared workspace identity", async () => {
        const fleet = repositoryFleet(dir)!;
        const run = await runProgram(() => {
            const cluster = new EksCluster("mgmt", { tags: { environment: "dev", owner: "o", costCenter: "c" }, kubernetesVersion: "1.33" });
            new InfraGitOps("fleet", { cluster, source: fleet.source, stacks: fleet.stacks, prStacks: fleet.prStacks!.github });
        });
        expect(inputsOf(one(run.resources, "kubernetes:argoproj.io/v1alpha1:ApplicationSet")).metadata.name).to.equal("fleet-pr-stacks");
        const accounts = ofType(run.resources, "kubernetes:core/v1:ServiceAccount").map((r) => inputsOf(r).metadata.name as string);
        expect(accounts).to.include("fleet-pr").and.to.include("fleet-staging");
    });

    it("is not an environment stack: no Stack object of its own in stacks.yaml", () => {
        const names = renderFleetFiles(dir)["deploy/fleet/stacks.yaml"]!.split(/^---$/m).slice(1).map((d) => (parse(d) as StackManifest).metadata.name);
        expect(names).to.have.length.greaterThan(0);
        expect(names).not.to.include("pr");
    });

    it("refuses an operator-owned pr template when the fleet names no GitHub repository", () => {
        const dev = path.join(dir, "Pulumi.dev.yaml");
        const withGithub = fs.readFileSync(dev, "utf8");
        fs.writeFileSync(dev, withGithub.replace("    github: { owner: acme, repo: paved }\n", ""));
        try {
            expect(() => renderFleetFiles(dir)).to.throw(StackFileError, /Pulumi\.pr\.yaml says paved:reconciler: operator.*Pulumi\.dev\.yaml has no paved:fleet\.github; add it, e\.g\./);
        } finally {
            fs.writeFileSync(dev, withGithub);
        }
    });
});
