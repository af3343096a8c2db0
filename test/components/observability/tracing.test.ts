import { expect } from "chai";
import { canaryProblems } from "../../../components/delivery/canary-spec";
import { rollout } from "../../../components/delivery/rollout-manifests";
import { tracingAnnotations } from "../../../components/observability/instrumentation";
import { withPodAnnotations } from "../../../components/vault/annotations";
import { vaultAppProblems } from "../../../components/vault/app-spec";
import { inputsOf, one, runStack } from "../../harness";
import { projectWithCanary, web } from "./stack-project";

describe("apps opt in to tracing by language", function () {
    this.timeout(120_000);

    it("annotates a pod for the operator: inject-<language> naming the cluster's Instrumentation, and the service name", () => {
        expect(tracingAnnotations("web", { tracing: "nodejs" })).to.deep.equal({
            "instrumentation.opentelemetry.io/inject-nodejs": "monitoring/paved",
            "resource.opentelemetry.io/service.name": "web",
        });
        expect(tracingAnnotations("api", { tracing: "go", tracingExecutable: "/app/server" })).to.deep.equal({
            "instrumentation.opentelemetry.io/inject-go": "monitoring/paved",
            "instrumentation.opentelemetry.io/otel-go-auto-target-exe": "/app/server",
            "resource.opentelemetry.io/service.name": "api",
        });
        expect(tracingAnnotations("web", {})).to.deep.equal({});
    });

    it("puts them on the canary Rollout's pod template, a Rollout valid per @kubernetes-models/argo-rollouts", async () => {
        const traced = (await rollout({ ...web, tracing: "java" })) as { spec: { template: { metadata: Record<string, unknown> } } };
        expect(traced.spec.template.metadata).to.deep.equal({
            labels: { "app.kubernetes.io/name": "web" },
            annotations: { "instrumentation.opentelemetry.io/inject-java": "monitoring/paved", "resource.opentelemetry.io/service.name": "web" },
        });
        const plain = (await rollout(web)) as { spec: { template: { metadata: Record<string, unknown> } } };
        expect(plain.spec.template.metadata).to.deep.equal({ labels: { "app.kubernetes.io/name": "web" } });
    });

    it("puts them on a Vault app's Deployment pod template, beside the injector's", () => {
        const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "payments" }, spec: { template: { metadata: { annotations: { "vault.hashicorp.com/agent-inject": "true" } }, spec: {} } } };
        const traced = withPodAnnotations(deployment, tracingAnnotations("payments", { tracing: "python" }));
        expect(traced.spec.template.metadata.annotations).to.deep.equal({
            "vault.hashicorp.com/agent-inject": "true",
            "instrumentation.opentelemetry.io/inject-python": "monitoring/paved",
            "resource.opentelemetry.io/service.name": "payments",
        });
    });

    describe("bad input", () => {
        const canaryPaths = (change: Record<string, unknown>) => canaryProblems({ ...web, ...change }, "delivery.canaries[0]").list.map((p) => p.propertyPath);
        it("accepts every language the operator instruments", () => {
            for (const tracing of ["nodejs", "java", "python", "dotnet"]) expect(canaryPaths({ tracing }), tracing).to.deep.equal([]);
            expect(canaryPaths({ tracing: "go", tracingExecutable: "/app/server" })).to.deep.equal([]);
        });
        it("rejects a language the operator does not instrument, naming the key, the value and the choices", () => {
            const found = canaryProblems({ ...web, tracing: "ruby" } as never, "delivery.canaries[0]").list;
            expect(found).to.deep.equal([{ propertyPath: "delivery.canaries[0].tracing", reason: 'got "ruby": the OpenTelemetry Operator instruments nodejs, java, python, dotnet, go; e.g. tracing: nodejs' }]);
        });
        it("needs the Go binary's path for Go, and refuses it for other languages", () => {
            expect(canaryPaths({ tracing: "go" })).to.deep.equal(["delivery.canaries[0].tracingExecutable"]);
            expect(canaryPaths({ tracing: "java", tracingExecutable: "/app/server" })).to.deep.equal(["delivery.canaries[0].tracingExecutable"]);
        });
        it("checks a Vault app's tracing key the same way", () => {
            const app = { name: "payments", namespace: "payments", secrets: [{ name: "db", path: "dev/payments/db" }] };
            expect(vaultAppProblems({ ...app, tracing: "java" }, "dev", "apps[0]").list).to.deep.equal([]);
            expect(vaultAppProblems({ ...app, tracing: "cobol" } as never, "dev", "apps[0]").list.map((p) => p.propertyPath)).to.deep.equal(["apps[0].tracing"]);
        });
    });

    describe("through a stack", () => {
        it("an opted-in canary's Rollout in the dev stack carries the injection annotation and its service name", async () => {
            const run = await runStack("traced", projectWithCanary("traced", { tracing: "nodejs" }));
            const rolloutResource = inputsOf(one(run.resources, "kubernetes:argoproj.io/v1alpha1:Rollout"));
            expect(rolloutResource.spec.template.metadata.annotations).to.deep.equal({
                "instrumentation.opentelemetry.io/inject-nodejs": "monitoring/paved",
                "resource.opentelemetry.io/service.name": "web",
            });
        });
    });
});
