import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { EksCluster } from "../../../components/cluster";
import {
    ARGO_ROLLOUTS_CHART,
    CanarySpec,
    ENVOY_GATEWAY_CHART,
    ProgressiveDelivery,
    argoRolloutsValues,
    canaryProblems,
    progressiveDeliveryProblems,
} from "../../../components/delivery";
import { StackEvaluation, inputsOf, ofType, one, runFailing, runProgram } from "../../harness";
import { UPSTREAM_DIR, unknownValuePaths, upstreamChart } from "../../upstream";

const web: CanarySpec = { app: "web", namespace: "shop", image: "ghcr.io/acme/web:1.4.2", hostname: "shop.dev.example.com" };
const prometheus = "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090";

describe("ProgressiveDelivery (Argo Rollouts on Envoy Gateway)", () => {
    let run: StackEvaluation;
    const byKind = (kind: string) => inputsOf(one(run.resources, `kubernetes:${kind}`));
    before(async () => {
        run = await runProgram(() => {
            const cluster = new EksCluster("demo", { tags: { environment: "dev", owner: "o", costCenter: "c" }, kubernetesVersion: "1.33" });
            new ProgressiveDelivery("delivery", { cluster, domain: "dev.example.com", prometheusAddress: prometheus, canaries: [web] });
        });
    });

    it("installs pinned Argo Rollouts with the Gateway API plugin, and Envoy Gateway", () => {
        const releases = ofType(run.resources, "kubernetes:helm.sh/v3:Release").map(inputsOf);
        const rollouts = releases.find((r) => r.chart === "argo-rollouts")!;
        expect(rollouts.version).to.equal("2.41.0");
        expect(rollouts.values.controller.trafficRouterPlugins).to.deep.equal([{
            name: "argoproj-labs/gatewayAPI",
            location: "https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.15.0/gatewayapi-plugin-linux-amd64",
        }]);
        const envoy = releases.find((r) => r.chart === "oci://docker.io/envoyproxy/gateway-helm")!;
        expect(envoy.version).to.equal("v1.9.0");
        expect(envoy).to.not.have.property("repositoryOpts");
        expect(ARGO_ROLLOUTS_CHART.version).to.equal(upstreamChart("argo-rollouts").version);
        // gateway-helm's Chart.yaml says v0.0.0-latest; the published version is recorded in SOURCES.md.
        expect(fs.readFileSync(path.join(UPSTREAM_DIR, "SOURCES.md"), "utf8")).to.match(/\| gateway-helm \| .*published as `v1\.9\.0`/);
        expect(ENVOY_GATEWAY_CHART.version).to.equal("v1.9.0");
    });

    it("builds the exact default canary steps with traffic split by the HTTPRoute, valid per @kubernetes-models", async () => {
        const { Rollout } = await import("@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout");
        const rollout = byKind("argoproj.io/v1alpha1:Rollout");
        new Rollout(rollout as never).validate();
        const canary = rollout.spec.strategy.canary;
        const analysis = { analysis: { templates: [{ templateName: "error-rate" }], args: [{ name: "service", value: "web-canary" }] } };
        expect(canary.steps).to.deep.equal([{ setWeight: 5 }, analysis, { setWeight: 25 }, analysis, { setWeight: 50 }, { setWeight: 100 }]);
        expect(canary.trafficRouting).to.deep.equal({ plugins: { "argoproj-labs/gatewayAPI": { httpRoute: "web", namespace: "shop" } } });
        expect(canary).to.include({ stableService: "web-stable", canaryService: "web-canary", abortScaleDownDelaySeconds: 30 });
        expect(canary.analysis).to.deep.include({ startingStep: 1 });
    });

    it("measures the canary's 5xx share with an AnalysisTemplate on Prometheus, valid per @kubernetes-models", async () => {
        const { AnalysisTemplate } = await import("@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate");
        const template = byKind("argoproj.io/v1alpha1:AnalysisTemplate");
        new AnalysisTemplate(template as never).validate();
        expect(template.metadata).to.deep.equal({ name: "error-rate", namespace: "shop" });
        expect(template.spec.args).to.deep.equal([{ name: "service" }]);
        expect(template.spec.metrics).to.have.length(1);
        const [metric] = template.spec.metrics;
        expect(metric).to.deep.include({
            name: "error-ratio", interval: "1m", count: 5, failureLimit: 1, inconclusiveLimit: 1,
            successCondition: "len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.01",
            failureCondition: "len(result) > 0 && !isNaN(result[0]) && result[0] > 0.01",
        });
        expect(metric.provider.prometheus.address).to.equal(prometheus);
        expect(metric.provider.prometheus.query).to.equal(
            'sum(rate(http_requests_total{service="{{args.service}}",code=~"5.."}[2m])) / sum(rate(http_requests_total{service="{{args.service}}"}[2m]))',
        );
    });

    it("routes the app's host through the shared Gateway, all traffic on stable until the rollout moves it", async () => {
        const { HTTPRoute } = await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute");
        const route = byKind("gateway.networking.k8s.io/v1:HTTPRoute");
        new HTTPRoute(route as never).validate();
        expect(route.spec.parentRefs).to.deep.equal([{ name: "platform", namespace: "gateway" }]);
        expect(route.spec.hostnames).to.deep.equal(["shop.dev.example.com"]);
        expect(route.spec.rules[0].backendRefs.map((b: { name: string; weight: number }) => [b.name, b.weight])).to.deep.equal([["web-stable", 100], ["web-canary", 0]]);
        const gateway = byKind("gateway.networking.k8s.io/v1:Gateway");
        expect(gateway.spec.listeners.map((l: { name: string; port: number }) => [l.name, l.port])).to.deep.equal([["http", 80]]);
        expect(byKind("gateway.networking.k8s.io/v1:GatewayClass").spec.controllerName).to.equal("gateway.envoyproxy.io/gatewayclass-controller");
    });

    it("terminates TLS on 443 with the given certificate Secret, keeping HTTP on 80", async () => {
        const { Gateway } = await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway");
        const tls = await runProgram(() => {
            const cluster = new EksCluster("demo", { tags: { environment: "dev", owner: "o", costCenter: "c" }, kubernetesVersion: "1.33" });
            new ProgressiveDelivery("delivery", { cluster, domain: "dev.example.com", prometheusAddress: prometheus, tlsSecretName: "gateway-tls" });
        });
        const gateway = inputsOf(one(tls.resources, "kubernetes:gateway.networking.k8s.io/v1:Gateway"));
        new Gateway(gateway as never).validate();
        expect(gateway.spec.listeners[1]).to.deep.equal({
            name: "https", protocol: "HTTPS", port: 443, hostname: "*.dev.example.com",
            tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "gateway-tls" }] },
            allowedRoutes: { namespaces: { from: "All" } },
        });
        const failure = await runFailing(() => {
            const cluster = new EksCluster("demo", { tags: { environment: "dev", owner: "o", costCenter: "c" }, kubernetesVersion: "1.33" });
            new ProgressiveDelivery("delivery", { cluster, domain: "dev.example.com", prometheusAddress: prometheus, tlsSecretName: "Gateway TLS" });
        });
        expect(failure.message).to.include('tlsSecretName: got "Gateway TLS": a Secret name, e.g. "gateway-tls"');
    });

    it("sets only values the pinned charts have", () => {
        expect(unknownValuePaths(argoRolloutsValues(true), ARGO_ROLLOUTS_CHART)).to.deep.equal([]);
    });

    describe("bad input", () => {
        const paths = (change: Partial<CanarySpec>) => canaryProblems({ ...web, ...change }).list.map((p) => p.propertyPath);
        it("accepts the default", () => expect(paths({})).to.deep.equal([]));
        it("rejects weights that do not strictly increase", () =>
            expect(paths({ steps: [5, "analysis", 50, 25, 100] })).to.deep.equal(["canary.steps[3]"]));
        it("rejects a weight outside 1–100", () => expect(paths({ steps: [0, 50, 100] })).to.deep.equal(["canary.steps[0]"]));
        it("rejects a final weight that is not 100", () => expect(paths({ steps: [5, "analysis", 50] })).to.deep.equal(["canary.steps"]));
        it("rejects an analysis interval that is not a duration", () =>
            expect(paths({ analysis: { interval: "every minute" } })).to.deep.equal(["canary.analysis.interval"]));
        it("rejects a domain that is not a DNS name", () =>
            expect(progressiveDeliveryProblems({ domain: "Example_Domain", prometheusAddress: prometheus }).list.map((p) => p.propertyPath)).to.deep.equal(["domain"]));
        it("rejects an unpinned image", () => expect(paths({ image: "ghcr.io/acme/web:latest" })).to.deep.equal(["canary.image"]));
    });
});
