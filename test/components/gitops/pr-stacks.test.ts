import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { StackFileError } from "../../../automation/offline/stack-file";
import { EksCluster } from "../../../components/cluster";
import { InfraGitOps, PR_STACKS_PATH, StackManifest } from "../../../components/gitops";
import { inputsOf, ofType, one, runProgram } from "../../harness";
import { prStacksApplicationSet } from "../../../components/gitops/pr-stacks";
import { renderFleetFiles, repositoryFleet } from "../../../stacks/fleet-manifests";
import { fleetCopy, strictOperatorCrd } from "./fleet-fixture";

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
