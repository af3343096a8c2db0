import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import Ajv2019 from "ajv/dist/2019";
import { expect } from "chai";
import { parse } from "yaml";
import { OTEL_OPERATOR_CHART } from "../../../components/observability/charts";
import { instrumentationManifest } from "../../../components/observability/instrumentation";
import { otelOperatorValues } from "../../../components/observability/otel-operator-values";
import { inputsOf, one, runStack } from "../../harness";
import { UPSTREAM_DIR, unknownValuePaths, upstreamChart } from "../../upstream";

/**
 * The vendored Instrumentation CRD, as the operator chart ships it: a Helm template (its first and
 * last lines are `{{- if .Values.crds.create }}` / `{{- end }}`, and an annotations block is
 * templated), so the template lines are dropped before the YAML is read. The schema is untouched.
 */
function instrumentationValidator(): (object: unknown) => string[] {
    const text = fs.readFileSync(path.join(UPSTREAM_DIR, "crds", "opentelemetry-operator", "crd-opentelemetryinstrumentation.yaml"), "utf8");
    const crd = parse(text.split("\n").filter((line) => !line.includes("{{")).join("\n")) as {
        spec: { names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: object } }[] };
    };
    expect(crd.spec.names.kind).to.equal("Instrumentation");
    const version = crd.spec.versions.find((v) => v.served)!;
    expect(version.name).to.equal("v1alpha1");
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(version.schema.openAPIV3Schema);
    return (object) => (validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`));
}

/**
 * The chart's values.schema.json is JSON Schema 2019-09 (test/upstream.ts's validator reads draft-07
 * only, and says so), so Ajv's 2019 dialect checks it here, over the chart's defaults merged with
 * ours as Helm merges them (maps key by key, lists replaced).
 */
function operatorValuesValidator(): (values: Record<string, unknown>) => string[] {
    const { $schema, ...schema } = JSON.parse(fs.readFileSync(path.join(UPSTREAM_DIR, "helm", OTEL_OPERATOR_CHART.chart, "values.schema.json"), "utf8")) as { $schema: string };
    expect($schema).to.equal("https://json-schema.org/draft/2019-09/schema");
    const validate = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
    const merge = (base: unknown, over: unknown): unknown =>
        isMap(base) && isMap(over) ? Object.fromEntries([...new Set([...Object.keys(base), ...Object.keys(over)])].map((k) => [k, merge(base[k], over[k])])) : over === undefined ? base : over;
    const defaults = upstreamChart(OTEL_OPERATOR_CHART.chart).values;
    return (values) => (validate(merge(defaults, values)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`));
}

/** Each regional stack's paved:environment, from its file. */
const ENVIRONMENT: Record<string, string> = { dev: "dev", "dev-gcp": "dev", staging: "staging", "prod-us-east-1": "prod", "prod-us-west-2": "prod" };

/** The regional stacks of this repository (each has an observability stack) and the ratio each must sample at. */
const REGIONAL_SAMPLING = { dev: "1", "dev-gcp": "1", staging: "1", "prod-us-east-1": "0.1", "prod-us-west-2": "0.1" } as const;

describe("OpenTelemetry Operator and the cluster's Instrumentation", function () {
    this.timeout(120_000);
    const validate = instrumentationValidator();
    const validateValues = operatorValuesValidator();

    it("pins the vendored chart version", () => {
        expect(upstreamChart(OTEL_OPERATOR_CHART.chart)).to.include({ version: "0.122.0", appVersion: "0.158.0" });
        expect(OTEL_OPERATOR_CHART.version).to.equal("0.122.0");
    });

    for (const production of [false, true]) {
        it(`sets only values the chart has, valid per its values.schema.json (production: ${production})`, () => {
            const values = otelOperatorValues({ production });
            expect(unknownValuePaths(values, OTEL_OPERATOR_CHART)).to.deep.equal([]);
            expect(validateValues(values)).to.deep.equal([]);
        });
    }

    it("gets webhook certificates from the chart itself, not from cert-manager (which the platform does not run)", () => {
        const webhooks = otelOperatorValues({ production: true }).admissionWebhooks as Record<string, Record<string, unknown>>;
        expect(webhooks.certManager).to.deep.equal({ enabled: false });
        expect(webhooks.autoGenerateCert).to.include({ enabled: true, recreate: true });
        // The chart's own default is cert-manager: leaving it on would block the install on a missing Issuer CRD.
        expect((upstreamChart(OTEL_OPERATOR_CHART.chart).values as { admissionWebhooks: { certManager: { enabled: boolean } } }).admissionWebhooks.certManager.enabled).to.equal(true);
    });

    it("catches a misspelt value and a bad type (the checks can fail)", () => {
        expect(unknownValuePaths({ admissionWebhooks: { autoGenerateCerts: { enabled: true } } }, OTEL_OPERATOR_CHART)).to.deep.equal(["admissionWebhooks.autoGenerateCerts"]);
        expect(validateValues({ replicaCount: "two" })).to.not.deep.equal([]);
    });

    it("is an Instrumentation the CRD accepts, which rejects an unknown sampler and propagator", () => {
        const manifest = instrumentationManifest({ namespace: "monitoring", collectorOtlpHttp: "http://collector:4318", sampling: 0.25, environment: "dev" });
        expect(validate(manifest)).to.deep.equal([]);
        const spec = manifest.spec as Record<string, unknown>;
        expect(validate({ ...manifest, spec: { ...spec, sampler: { type: "parentbased_ratio", argument: "0.25" } } })).to.have.length(1);
        expect(validate({ ...manifest, spec: { ...spec, propagators: ["w3c"] } })).to.have.length(1);
    });

    it("refuses a sampling ratio outside 0..1", () => {
        expect(() => instrumentationManifest({ namespace: "monitoring", collectorOtlpHttp: "http://collector:4318", sampling: 10, environment: "dev" })).to.throw(/sampling: got 10: the share of traces to keep, from 0 to 1/);
    });

    describe("in every regional stack", () => {
        for (const [stack, ratio] of Object.entries(REGIONAL_SAMPLING)) {
            it(`${stack}: installs the operator with valid values and one valid Instrumentation sampling ${ratio}`, async () => {
                const run = await runStack(stack);
                const instrumentation = inputsOf(one(run.resources, "kubernetes:opentelemetry.io/v1alpha1:Instrumentation"));
                const manifest = { apiVersion: instrumentation.apiVersion, kind: instrumentation.kind, metadata: instrumentation.metadata, spec: instrumentation.spec };
                expect(validate(manifest)).to.deep.equal([]);
                expect(manifest.spec).to.deep.include({
                    exporter: { endpoint: "http://opentelemetry-collector.monitoring.svc.cluster.local:4318" },
                    propagators: ["tracecontext", "baggage"],
                    sampler: { type: "parentbased_traceidratio", argument: ratio },
                });
                expect(manifest.metadata).to.deep.include({ name: "paved", namespace: "monitoring" });
                // One cluster, one environment: every span it exports says which.
                expect(manifest.spec.resource).to.deep.equal({ resourceAttributes: { "deployment.environment.name": ENVIRONMENT[stack] } });
                // Where `paved trace` asks, exported for the driver to read.
                expect(run.outputs).to.deep.include({
                    prometheusUrl: "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090",
                    tempoUrl: "http://tempo.monitoring.svc.cluster.local:3200",
                    grafanaUrl: "http://kube-prometheus-stack-grafana.monitoring.svc.cluster.local",
                });
                const releases = run.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && inputsOf(r).chart === "opentelemetry-operator");
                expect(releases).to.have.length(1);
                const release = inputsOf(releases[0]);
                expect(release).to.include({ version: "0.122.0", namespace: "monitoring" });
                expect(unknownValuePaths(release.values, OTEL_OPERATOR_CHART)).to.deep.equal([]);
                expect(validateValues(release.values)).to.deep.equal([]);
            });
        }
    });
});
