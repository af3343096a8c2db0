import { expect } from "chai";
import { PreviewNamespace, PreviewNamespaceArgs, previewNamespaceProblems } from "../../../components/preview/preview-namespace";
import { StackEvaluation, inputsOf, one, runFailing, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1000" };

describe("PreviewNamespace", () => {
    let run: StackEvaluation;
    let other: StackEvaluation;
    let namespace: string;
    before(async () => {
        run = await runProgram(() => void (namespace = new PreviewNamespace("pr-42", { pr: 42, tags }).namespace));
        other = await runProgram(() => void new PreviewNamespace("pr-7", { pr: 7, tags, gatewayNamespace: "edge", quota: { cpu: "2", memory: "4Gi", pods: 10 } }));
    });

    it("is the namespace pr-<number>, labelled with its PR and the cost labels", () => {
        expect(namespace).to.equal("pr-42");
        expect(inputsOf(one(run.resources, "kubernetes:core/v1:Namespace", "pr-42-ns")).metadata).to.deep.equal({
            name: "pr-42",
            labels: { environment: "dev", owner: "platform-team", "cost-center": "cc-1000", "managed-by": "paved-road", "paved.io/pr": "42" },
        });
    });

    it("admits ingress only from the Gateway's namespace and from its own pods, to every pod in it", () => {
        const policy = inputsOf(one(run.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "pr-42-ingress"));
        expect(policy.metadata).to.deep.equal({ name: "from-gateway-only", namespace: "pr-42" });
        expect(policy.spec).to.deep.equal({
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [{
                from: [
                    { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } } },
                    { podSelector: {} },
                ],
            }],
        });
    });

    it("admits the configured Gateway namespace instead of the default", () => {
        const policy = inputsOf(one(other.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "pr-7-ingress"));
        expect(policy.metadata.namespace).to.equal("pr-7");
        expect(policy.spec.ingress[0].from[0]).to.deep.equal({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "edge" } } });
    });

    it("caps the PR's requests (4 CPU, 8Gi, 30 pods by default) and gives containers default requests and limits", () => {
        expect(inputsOf(one(run.resources, "kubernetes:core/v1:ResourceQuota", "pr-42-quota"))).to.deep.include({
            metadata: { name: "pr-quota", namespace: "pr-42" },
            spec: { hard: { "requests.cpu": "4", "requests.memory": "8Gi", pods: "30" } },
        });
        expect(inputsOf(one(other.resources, "kubernetes:core/v1:ResourceQuota", "pr-7-quota")).spec.hard).to.deep.equal({ "requests.cpu": "2", "requests.memory": "4Gi", pods: "10" });
        expect(inputsOf(one(run.resources, "kubernetes:core/v1:LimitRange", "pr-42-limits"))).to.deep.include({
            metadata: { name: "pr-defaults", namespace: "pr-42" },
            spec: { limits: [{ type: "Container", default: { cpu: "500m", memory: "512Mi" }, defaultRequest: { cpu: "100m", memory: "128Mi" } }] },
        });
    });

    it("creates the quota, limits and policy only after the namespace exists, all as its children", () => {
        const ns = one(run.resources, "kubernetes:core/v1:Namespace", "pr-42-ns");
        const component = one(run.resources, "paved:preview:PreviewNamespace", "pr-42");
        expect(ns.parent).to.equal(component.urn);
        for (const [type, name] of [["ResourceQuota", "pr-42-quota"], ["LimitRange", "pr-42-limits"]] as const) {
            const child = one(run.resources, `kubernetes:core/v1:${type}`, name);
            expect(child.parent, name).to.equal(component.urn);
            expect(child.dependencies, name).to.include(ns.urn);
        }
        const policy = one(run.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "pr-42-ingress");
        expect(policy.parent).to.equal(component.urn);
        expect(policy.dependencies).to.include(ns.urn);
    });

    describe("bad input", () => {
        const paths = (change: Partial<PreviewNamespaceArgs>) => previewNamespaceProblems({ pr: 42, tags, ...change }).list.map((p) => p.propertyPath);
        it("accepts PR 1 and PR 99999999 and a decimal CPU quota", () => {
            expect(paths({ pr: 1 })).to.deep.equal([]);
            expect(paths({ pr: 99_999_999, quota: { cpu: "1.5", memory: "1Gi", pods: 1 } })).to.deep.equal([]);
            expect(paths({ quota: { cpu: "500m", memory: "1Gi", pods: 1 } })).to.deep.equal([]);
        });
        it("rejects PR 0, a negative, a fraction and one past the range", () => {
            for (const pr of [0, -1, 1.5, 100_000_000]) expect(paths({ pr }), String(pr)).to.deep.equal(["pr"]);
        });
        it("rejects a CPU quota that is not a quantity", () => {
            expect(paths({ quota: { cpu: "four", memory: "8Gi", pods: 30 } })).to.deep.equal(["quota.cpu"]);
            expect(paths({ quota: { cpu: "4 cores", memory: "8Gi", pods: 30 } })).to.deep.equal(["quota.cpu"]);
        });
        it("refuses to build with a bad PR number, naming it, the value and an example, before creating anything", async () => {
            const failure = await runFailing(() => void new PreviewNamespace("pr-0", { pr: 0, tags }));
            expect(failure.message).to.include("pr: got 0: expected a whole number from 1 to 99999999, e.g. 123");
            expect(failure.resources.filter((r) => r.custom)).to.deep.equal([]);
        });
    });
});
