import { expect } from "chai";
import { listStacks } from "../../automation/offline/stack-file";
import { appNamespaces, scheduledWorkloads } from "../../stacks/platform-apps";
import { REPO_ROOT, RecordedResource, StackEvaluation, inputsOf, ofType, runStack } from "../harness";

/** Namespaces every cluster has from the start; nothing needs to create them. */
const BUILT_IN_NAMESPACES = new Set(["kube-system", "default"]);

/** Every URN a resource waits for, directly or through what it waits for. */
function waitsFor(run: StackEvaluation, resource: RecordedResource): Set<string> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const todo = [...resource.dependencies];
    while (todo.length > 0) {
        const urn = todo.pop()!;
        if (seen.has(urn)) continue;
        seen.add(urn);
        todo.push(...(byUrn.get(urn)?.dependencies ?? []));
    }
    return seen;
}

/** The resources in a stack that declare the Kubernetes object `apiVersion/kind namespace/name`. */
function declared(run: StackEvaluation, ref: { apiVersion: string; kind: string; name: string }, namespace: string): RecordedResource[] {
    return ofType(run.resources, `kubernetes:${ref.apiVersion.includes("/") ? ref.apiVersion : `core/${ref.apiVersion}`}:${ref.kind}`)
        .filter((r) => inputsOf(r).metadata?.name === ref.name && inputsOf(r).metadata?.namespace === namespace);
}

/** The namespaces a stack creates: Namespace objects and Helm releases with createNamespace. */
function createdNamespaces(run: StackEvaluation): Set<string> {
    return new Set(run.resources.flatMap((r) => {
        const i = inputsOf(r);
        if (r.type === "kubernetes:core/v1:Namespace") return [i.metadata.name as string];
        if (r.type === "kubernetes:helm.sh/v3:Release" && i.createNamespace === true) return [i.namespace as string];
        return [];
    }));
}

describe("shipped stacks conform to what they deploy", function () {
    // Evaluates every shipped stack once (cached for the other files of the run).
    this.timeout(60_000);
    const runs = new Map<string, StackEvaluation>();
    before(async () => {
        for (const stack of listStacks(REPO_ROOT)) runs.set(stack, await runStack(stack));
    });

    it("dev: the night schedule scales the Argo Rollout `web` in `shop` that the same stack declares, after it exists", () => {
        const dev = runs.get("dev")!;
        const [scaled] = ofType(dev.resources, "kubernetes:keda.sh/v1alpha1:ScaledObject");
        expect(inputsOf(scaled).spec.scaleTargetRef).to.deep.equal({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "web" });
        const [rollout] = ofType(dev.resources, "kubernetes:argoproj.io/v1alpha1:Rollout");
        expect(inputsOf(rollout).metadata).to.deep.include({ name: "web", namespace: "shop" });
        expect(scaled.dependencies).to.include(rollout.urn);
    });

    it("every ScaledObject in every shipped stack targets an object that stack declares, in its namespace", () => {
        const checked: string[] = [];
        for (const [stack, run] of runs) {
            for (const scaled of ofType(run.resources, "kubernetes:keda.sh/v1alpha1:ScaledObject")) {
                const { metadata, spec } = inputsOf(scaled);
                const targets = declared(run, spec.scaleTargetRef, metadata.namespace);
                expect(targets, `${stack}: ${metadata.namespace}/${metadata.name} targets ${JSON.stringify(spec.scaleTargetRef)}`).to.have.length(1);
                expect(waitsFor(run, scaled), `${stack}: ${metadata.name} waits for its target`).to.include(targets[0].urn);
                checked.push(`${stack} ${metadata.namespace}/${metadata.name}`);
            }
        }
        // dev and staging opt `web` in to the night schedule; the check must have seen both.
        expect(checked).to.have.members(["dev shop/web-on-hours", "staging shop/web-on-hours"]);
    });

    it("the target check fails for a ScaledObject aimed at a Deployment the stack does not declare", () => {
        const dev = runs.get("dev")!;
        expect(declared(dev, { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, "shop")).to.deep.equal([]);
    });

    it("every namespace a shipped stack puts objects into is created by that stack (or built into every cluster)", () => {
        let objects = 0;
        for (const [stack, run] of runs) {
            const created = createdNamespaces(run);
            for (const r of run.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:") && !x.type.startsWith("kubernetes:helm.sh"))) {
                const namespace = inputsOf(r).metadata?.namespace as string | undefined;
                if (namespace === undefined || BUILT_IN_NAMESPACES.has(namespace)) continue;
                objects++;
                expect(created.has(namespace), `${stack}: ${r.type} ${r.name} goes into namespace ${namespace}, which nothing creates`).to.be.true;
            }
        }
        expect(objects).to.be.greaterThan(50);
    });

    it("dev creates the Vault apps' namespaces payments and analytics itself, and the Vault component waits for them", () => {
        const dev = runs.get("dev")!;
        const namespaces = ofType(dev.resources, "kubernetes:core/v1:Namespace").filter((r) => r.name.startsWith("namespace-"));
        expect(namespaces.map((r) => inputsOf(r).metadata.name).sort()).to.deep.equal(["analytics", "payments"]);
        const [vault] = dev.resources.filter((r) => r.type === "paved:vault:VaultSecrets");
        expect(vault.dependencies).to.include.members(namespaces.map((r) => r.urn));
    });

    it("every EKS node group (system, spot, on-demand) waits for the node role's policy attachments", () => {
        const checked: string[] = [];
        for (const [stack, run] of runs) {
            // The node role's managed policies, per EKS's node IAM role documentation.
            const attachments = ofType(run.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((r) => /-node-(AmazonEKSWorkerNodePolicy|AmazonEC2ContainerRegistryPullOnly)$/.test(r.name));
            for (const group of ofType(run.resources, "aws:eks/nodeGroup:NodeGroup")) {
                expect(attachments, `${stack}: node role attachments`).to.have.length(2);
                expect(group.dependencies, `${stack}: ${group.name}`).to.include.members(attachments.map((a) => a.urn));
                checked.push(`${stack} ${group.name}`);
            }
        }
        expect(checked).to.include.members(["dev apps-spot", "prod-us-east-1 apps-spot", "prod-us-east-1 apps-ondemand"]);
    });
});

describe("what the stack derives for namespaces and schedules", () => {
    it("scales a canary app through its Rollout and leaves other workloads' kinds alone", () => {
        const canaries = [{ app: "web", namespace: "shop" }];
        expect(scheduledWorkloads([
            { namespace: "shop", name: "web", replicas: 2 },
            { namespace: "shop", name: "queue", kind: "StatefulSet", replicas: 1 },
            { namespace: "other", name: "web", replicas: 1 },
        ], canaries)).to.deep.equal([
            { namespace: "shop", name: "web", kind: "Rollout", replicas: 2 },
            { namespace: "shop", name: "queue", kind: "StatefulSet", replicas: 1 },
            { namespace: "other", name: "web", replicas: 1 },
        ]);
    });

    it("creates only the namespaces no platform component creates", () => {
        const c = {
            observability: {},
            gitops: {},
            canaries: [{ namespace: "shop" }],
            vault: { apps: [{ namespace: "payments" }, { namespace: "monitoring" }, { namespace: "shop" }, { namespace: "payments" }] },
            scaleToZero: [{ namespace: "batch" }],
        };
        expect(appNamespaces(c)).to.deep.equal(["batch", "payments"]);
        expect(appNamespaces({ ...c, observability: undefined, gitops: undefined })).to.deep.equal(["batch", "monitoring", "payments", "shop"]);
    });
});
