import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { expect } from "chai";
import { EksCluster, GkeCluster } from "../../../components/cluster";
import {
    ALLOY_CHART,
    KUBE_PROMETHEUS_STACK_CHART,
    LOKI_CHART,
    OTEL_COLLECTOR_CHART,
    ObservabilityStack,
    ObservabilityStackArgs,
    TEMPO_CHART,
    TelemetryStorage,
    alloyValues,
    defaultSizing,
    kubePrometheusStackValues,
    lokiValues,
    observabilityProblems,
    otelCollectorValues,
    telemetryEndpoints,
    tempoValues,
} from "../../../components/observability";
import { HelmChartPin } from "../../../components/helm";
import { TelemetryBuckets } from "../../../components/observability/telemetry-buckets";
import * as pulumi from "@pulumi/pulumi";
import { StackEvaluation, inputsOf, ofType, one, runFailing, runProgram } from "../../harness";
import { unknownValuePaths, upstreamChart, valuesSchemaValidator } from "../../upstream";
// A module of its own: importing a test file would register its tests again in this file's worker.
import { apiSlo } from "./api-slo";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };
const grafanaAdmin = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" };
type Args = Omit<ObservabilityStackArgs, "cluster" | "tags">;

function onEks(args: Args): Promise<StackEvaluation> {
    return runProgram(() => {
        const provider = new AwsProvider("aws", { region: "eu-central-1" });
        const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33" }, { providers: [provider] });
        new ObservabilityStack("obs", { ...args, cluster, tags }, { providers: [provider] });
    });
}

function onGke(args: Args): Promise<StackEvaluation> {
    return runProgram(() => {
        const cluster = new GkeCluster("demo", { tags, project: "acme-platform-dev", region: "europe-west1", kubernetesVersion: "1.33" });
        new ObservabilityStack("obs", { ...args, cluster, tags });
    });
}

const release = (run: StackEvaluation, chart: string) =>
    inputsOf(ofType(run.resources, "kubernetes:helm.sh/v3:Release").find((r) => inputsOf(r).chart === chart)!);

describe("ObservabilityStack", () => {
    let dev: StackEvaluation;
    let prod: StackEvaluation;
    let gke: StackEvaluation;
    let gkeProd: StackEvaluation;
    before(async () => {
        dev = await onEks({ grafanaAdmin, slos: [apiSlo] });
        prod = await onEks({ grafanaAdmin, production: true });
        gke = await onGke({ grafanaAdmin });
        gkeProd = await onGke({ grafanaAdmin, production: true });
    });

    it("installs the six pinned charts into one namespace", () => {
        const releases = ofType(dev.resources, "kubernetes:helm.sh/v3:Release").map(inputsOf);
        expect(releases.map((r) => [r.chart, r.version, r.namespace])).to.have.deep.members([
            ["kube-prometheus-stack", "88.5.3", "monitoring"],
            ["loki", "18.11.0", "monitoring"],
            ["tempo", "2.2.4", "monitoring"],
            ["alloy", "1.11.1", "monitoring"],
            ["opentelemetry-collector", "0.170.0", "monitoring"],
            ["opentelemetry-operator", "0.122.0", "monitoring"],
        ]);
        for (const pin of [KUBE_PROMETHEUS_STACK_CHART, LOKI_CHART, TEMPO_CHART, ALLOY_CHART, OTEL_COLLECTOR_CHART]) {
            expect(pin.version, pin.chart).to.equal(upstreamChart(pin.chart).version);
        }
    });

    it("keeps logs and traces in encrypted, private S3 buckets that expire with the retention, each reachable by its own IRSA role", () => {
        const encryption = ofType(dev.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").map(inputsOf);
        // The access-log bucket first (SSE-S3, as log delivery requires), then loki and tempo.
        expect(encryption.map((e) => e.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm)).to.deep.equal(["AES256", "aws:kms", "aws:kms"]);
        const days = (run: StackEvaluation) =>
            ofType(run.resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").map((r) => inputsOf(r).rules[0].expiration.days);
        expect(days(dev)).to.deep.equal([30, 8, 4]); // access logs 30d; loki 7d, tempo 3d, plus a day
        expect(days(prod)).to.deep.equal([365, 31, 15]);
        const trust = JSON.parse(inputsOf(one(dev.resources, "aws:iam/role:Role", "obs-storage-loki")).assumeRolePolicy);
        expect(trust.Statement[0].Action).to.equal("sts:AssumeRoleWithWebIdentity");
        expect(Object.values(trust.Statement[0].Condition.StringEquals)).to.include("system:serviceaccount:monitoring:loki");
        const loki = release(dev, "loki").values;
        expect(loki.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).to.match(/^arn:aws:iam::\d+:role\/obs-storage-loki/);
        expect(loki.loki.storage).to.deep.include({ type: "s3", s3: { region: "eu-central-1" } });
    });

    it("blocks every kind of public access on each bucket, production and not", () => {
        const blocked = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
        const blocks = (run: StackEvaluation) => Object.fromEntries(ofType(run.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").map((r) => {
            const { blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets } = inputsOf(r);
            expect(r.dependencies, r.name).to.include(one(run.resources, "aws:s3/bucket:Bucket", r.name).urn);
            return [r.name, { blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets }];
        }));
        const everyBucket = { "obs-storage-access-logs": blocked, "obs-storage-loki": blocked, "obs-storage-tempo": blocked };
        expect(blocks(prod)).to.deep.equal(everyBucket);
        expect(blocks(dev)).to.deep.equal(everyBucket);
    });

    it("never empties a production bucket on destroy; other environments' buckets are emptied so the stack can go", () => {
        const forceDestroy = (run: StackEvaluation, type: string) => Object.fromEntries(ofType(run.resources, type).map((r) => [r.name, inputsOf(r).forceDestroy]));
        const s3 = "aws:s3/bucket:Bucket";
        expect(forceDestroy(prod, s3)).to.deep.equal({ "obs-storage-access-logs": false, "obs-storage-loki": false, "obs-storage-tempo": false });
        expect(forceDestroy(dev, s3)).to.deep.equal({ "obs-storage-access-logs": true, "obs-storage-loki": true, "obs-storage-tempo": true });
        const gcs = "gcp:storage/bucket:Bucket";
        expect(forceDestroy(gkeProd, gcs)).to.deep.equal({ "obs-storage-access-logs": false, "obs-storage-loki": false, "obs-storage-tempo": false });
        expect(forceDestroy(gke, gcs)).to.deep.equal({ "obs-storage-access-logs": true, "obs-storage-loki": true, "obs-storage-tempo": true });
    });

    it("encrypts, owner-enforces and expires each S3 bucket exactly so, and lets each store's role reach only its bucket", () => {
        const byName = (type: string) => Object.fromEntries(ofType(dev.resources, type).map((r) => [r.name, inputsOf(r)]));
        const encryption = byName("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        expect(Object.fromEntries(Object.entries(encryption).map(([n, e]) => [n, e.rules]))).to.deep.equal({
            "obs-storage-access-logs": [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }],
            "obs-storage-loki": [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
            "obs-storage-tempo": [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
        });
        const ownership = byName("aws:s3/bucketOwnershipControls:BucketOwnershipControls");
        expect(Object.values(ownership).map((o) => o.rule)).to.deep.equal([{ objectOwnership: "BucketOwnerEnforced" }, { objectOwnership: "BucketOwnerEnforced" }, { objectOwnership: "BucketOwnerEnforced" }]);
        expect(byName("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["obs-storage-loki"].rules).to.deep.equal([{
            id: "expire-after-retention", status: "Enabled", filter: {}, expiration: { days: 8 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        }]);
        const policy = JSON.parse(byName("aws:iam/rolePolicy:RolePolicy")["obs-storage-loki"].policy);
        expect(inputsOf(one(dev.resources, "aws:s3/bucket:Bucket", "obs-storage-loki")).tags).to.include({ environment: "dev", "managed-by": "paved-road" });
        expect(policy.Version).to.equal("2012-10-17");
        expect(policy.Statement.map((st: { Effect: string; Action: string[]; Resource: string }) => [st.Effect, st.Action, st.Resource.replace(/^arn:aws:s3:[^/]*\/obs-storage-loki-[0-9a-f]+/, "<loki>")])).to.deep.equal([
            ["Allow", ["s3:ListBucket"], "<loki>"],
            ["Allow", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "<loki>/*"],
        ]);
        const storage = release(dev, "tempo").values.tempo.storage.trace;
        expect(storage.backend).to.equal("s3");
        expect(storage.s3.region).to.equal("eu-central-1");
        expect(release(dev, "tempo").values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).to.match(/^arn:aws:iam::\d+:role\/obs-storage-tempo/);
    });

    it("gives each GCS store its own service account, object admin on its bucket only, and deletes objects after the retention", () => {
        const buckets = Object.fromEntries(ofType(gke.resources, "gcp:storage/bucket:Bucket").map((r) => [r.name, inputsOf(r)]));
        expect(buckets["obs-storage-loki"].lifecycleRules).to.deep.equal([{ action: { type: "Delete" }, condition: { age: 8 } }]);
        expect(buckets["obs-storage-tempo"].lifecycleRules).to.deep.equal([{ action: { type: "Delete" }, condition: { age: 4 } }]);
        expect(buckets["obs-storage-loki"].labels).to.include({ environment: "dev", "managed-by": "paved-road" });
        expect(buckets["obs-storage-loki"].project).to.equal("acme-platform-dev");
        const admins = ofType(gke.resources, "gcp:storage/bucketIAMMember:BucketIAMMember").map(inputsOf).filter((m) => m.role === "roles/storage.objectAdmin");
        expect(admins.map((m) => m.member)).to.have.length(2);
        expect(admins.map((m) => String(m.member).replace(/@.*/, ""))).to.deep.equal(["serviceAccount:obs-storage-loki", "serviceAccount:obs-storage-tempo"]);
        const accounts = ofType(gke.resources, "gcp:serviceaccount/account:Account").map(inputsOf).filter((a) => String(a.displayName).includes("object storage"));
        expect(accounts.map((a) => [a.displayName, a.project])).to.deep.equal([["loki object storage (obs-storage)", "acme-platform-dev"], ["tempo object storage (obs-storage)", "acme-platform-dev"]]);
        const identity = ofType(gke.resources, "gcp:serviceaccount/iAMMember:IAMMember").map(inputsOf);
        expect(identity.map((m) => m.role)).to.deep.equal(["roles/iam.workloadIdentityUser", "roles/iam.workloadIdentityUser"]);
        expect(release(gke, "loki").values.serviceAccount.annotations["iam.gke.io/gcp-service-account"]).to.match(/^obs-storage-loki@/);
    });

    it("parents every storage resource under its TelemetryBuckets, keeps a production access-log bucket a year, and annotates both stores' accounts on GKE", () => {
        for (const run of [dev, gke]) {
            const component = one(run.resources, "paved:observability:TelemetryBuckets");
            const storage = run.resources.filter((r) => r.custom && r.name.startsWith("obs-storage"));
            expect(storage, run.stack).to.not.be.empty;
            expect(storage.filter((r) => r.parent !== component.urn).map((r) => r.name)).to.deep.equal([]);
        }
        const lifecycle = (run: StackEvaluation) => inputsOf(one(run.resources, "gcp:storage/bucket:Bucket", "obs-storage-access-logs")).lifecycleRules[0].condition.age;
        expect([lifecycle(gke), lifecycle(gkeProd)]).to.deep.equal([30, 365]);
        expect(release(gke, "tempo").values.serviceAccount.annotations["iam.gke.io/gcp-service-account"]).to.match(/^obs-storage-tempo@/);
    });

    it("empties a TelemetryBuckets' buckets on destroy when production is not said", async () => {
        const run = await runProgram(() => {
            const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33" });
            new TelemetryBuckets("t", { cluster, tags, namespace: "monitoring", retention: { loki: "7d", tempo: "3d" } });
        });
        expect(Object.fromEntries(ofType(run.resources, "aws:s3/bucket:Bucket").map((r) => [r.name, inputsOf(r).forceDestroy]))).to.deep.equal({ "t-access-logs": true, "t-loki": true, "t-tempo": true });
    });

    it("keeps them in GCS on GKE, with public access prevented and a Workload Identity binding", () => {
        const buckets = ofType(gke.resources, "gcp:storage/bucket:Bucket").map(inputsOf);
        expect(buckets).to.have.length(3); // loki, tempo and their usage-log bucket
        for (const b of buckets) expect(b).to.include({ uniformBucketLevelAccess: true, publicAccessPrevention: "enforced", location: "europe-west1" });
        const members = ofType(gke.resources, "gcp:serviceaccount/iAMMember:IAMMember").map((r) => inputsOf(r).member);
        expect(members).to.deep.equal([
            "serviceAccount:acme-platform-dev.svc.id.goog[monitoring/loki]",
            "serviceAccount:acme-platform-dev.svc.id.goog[monitoring/tempo]",
        ]);
        expect(release(gke, "tempo").values.tempo.storage.trace.backend).to.equal("gcs");
    });

    it("takes Grafana's admin login from the Vault-synced Secret, never from values", () => {
        const grafana = release(dev, "kube-prometheus-stack").values.grafana;
        expect(grafana.admin).to.deep.equal({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
        expect(JSON.stringify(release(dev, "kube-prometheus-stack").values)).to.not.match(/adminPassword/);
    });

    it("correlates traces, logs and metrics in Grafana both ways", () => {
        const values = release(dev, "kube-prometheus-stack").values;
        const [loki, tempo] = values.grafana.additionalDataSources;
        expect(loki.jsonData.derivedFields[0]).to.include({ datasourceUid: "tempo", url: "$${__value.raw}" });
        expect(new RegExp(loki.jsonData.derivedFields[0].matcherRegex).exec('level=error trace_id=4bf92f3577b34da6 msg="boom"')?.[1]).to.equal("4bf92f3577b34da6");
        expect(tempo.jsonData.tracesToLogsV2).to.include({ datasourceUid: "loki", filterByTraceID: true });
        expect(tempo.jsonData.tracesToMetrics.datasourceUid).to.equal("prometheus");
        expect(tempo.jsonData.serviceMap.datasourceUid).to.equal("prometheus");
        expect(values.grafana.sidecar.datasources.exemplarTraceIdDestinations).to.deep.equal({ datasourceUid: "tempo", traceIdLabelName: "trace_id" });
        expect(values.prometheus.prometheusSpec.enableFeatures).to.include("exemplar-storage");
    });

    it("generates span metrics (RED per service) in Tempo and remote-writes them with their exemplars, so a latency bucket opens its traces", () => {
        const tempo = release(dev, "tempo").values.tempo;
        expect(tempo.overrides.defaults.metrics_generator.processors).to.deep.equal(["service-graphs", "span-metrics"]);
        expect(tempo.metricsGenerator.storage.remote_write).to.deep.equal([
            { url: "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090/api/v1/write", send_exemplars: true },
        ]);
        // Prometheus accepts the remote write and keeps the exemplars it carries.
        const prometheus = release(dev, "kube-prometheus-stack").values.prometheus.prometheusSpec;
        expect(prometheus).to.include({ enableRemoteWriteReceiver: true });
        expect(prometheus.enableFeatures).to.deep.equal(["exemplar-storage"]);
    });

    it("sizes each environment: small and single-binary in dev, HA and scalable in production", () => {
        const kps = (run: StackEvaluation) => release(run, "kube-prometheus-stack").values;
        expect(kps(dev).prometheus.prometheusSpec).to.include({ retention: "3d", replicas: 1 });
        expect(kps(prod).prometheus.prometheusSpec).to.include({ retention: "15d", replicas: 2 });
        expect(kps(prod).prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).to.equal("100Gi");
        expect(kps(prod).alertmanager.alertmanagerSpec.replicas).to.equal(3);
        expect(release(dev, "loki").values).to.deep.include({ deploymentMode: "SingleBinary", singleBinary: { replicas: 1 }, read: { replicas: 0 } });
        expect(release(prod, "loki").values).to.deep.include({ deploymentMode: "SimpleScalable", singleBinary: { replicas: 0 }, read: { replicas: 3 } });
        expect(release(prod, "opentelemetry-collector").values.replicaCount).to.equal(2);
    });

    it("routes OTLP traces to Tempo, metrics to Prometheus and logs to Loki", () => {
        const pipelines = release(dev, "opentelemetry-collector").values.config.service.pipelines;
        expect(pipelines.traces.exporters).to.deep.equal(["otlp/tempo"]);
        expect(pipelines.metrics.exporters).to.deep.equal(["prometheusremotewrite"]);
        expect(pipelines.logs.exporters).to.deep.equal(["otlphttp/loki"]);
        expect(release(dev, "alloy").values.alloy.configMap.content).to.include('url = "http://loki-gateway.monitoring.svc.cluster.local/loki/api/v1/push"');
    });

    it("records and alerts on SLOs with a PrometheusRule, and scrapes the collector with a ServiceMonitor", () => {
        const rule = inputsOf(one(dev.resources, "kubernetes:monitoring.coreos.com/v1:PrometheusRule"));
        expect(rule.metadata).to.deep.include({ name: "slo-api", namespace: "monitoring" });
        expect(rule.spec.groups.map((g: { name: string }) => g.name)).to.deep.equal(["slo-api-recording", "slo-api-alerts", "slo-api-latency"]);
        const monitor = inputsOf(one(dev.resources, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"));
        expect(monitor.spec.endpoints).to.deep.equal([{ port: "metrics", path: "/metrics", interval: "30s" }]);
    });

    describe("Helm values against the pinned upstream charts", () => {
        const sizing = defaultSizing(true);
        const endpoints = telemetryEndpoints("monitoring");
        const storage: TelemetryStorage = {
            cloud: "aws",
            region: "eu-central-1",
            lokiBucket: "logs",
            tempoBucket: "traces",
            lokiServiceAccountAnnotations: {},
            tempoServiceAccountAnnotations: {},
        };
        const cases: [HelmChartPin, Record<string, unknown>][] = [
            [KUBE_PROMETHEUS_STACK_CHART, kubePrometheusStackValues({ sizing, endpoints, grafanaAdmin })],
            [LOKI_CHART, lokiValues({ sizing, storage })],
            [TEMPO_CHART, tempoValues({ sizing, storage, endpoints })],
            [ALLOY_CHART, alloyValues(endpoints)],
            [OTEL_COLLECTOR_CHART, otelCollectorValues({ sizing, endpoints })],
        ];
        for (const [pin, values] of cases) {
            it(`sets only ${pin.chart} values the chart has`, () => expect(unknownValuePaths(values, pin)).to.deep.equal([]));
        }
        it("validates against the charts' values.schema.json where they ship one (loki, opentelemetry-collector)", () => {
            expect(valuesSchemaValidator("loki")(lokiValues({ sizing, storage }))).to.deep.equal([]);
            expect(valuesSchemaValidator("loki")(lokiValues({ sizing: defaultSizing(false), storage: { ...storage, cloud: "gcp" } }))).to.deep.equal([]);
            expect(valuesSchemaValidator("opentelemetry-collector")(otelCollectorValues({ sizing, endpoints }))).to.deep.equal([]);
            expect(valuesSchemaValidator("opentelemetry-collector")({ mode: "sidecar-ish" })).to.not.deep.equal([]);
        });
    });

    describe("bad input", () => {
        const paths = (args: Partial<Args>) => observabilityProblems({ grafanaAdmin, tags, ...args }).list.map((p) => p.propertyPath);
        it("rejects a retention that is not a Prometheus duration", () =>
            expect(paths({ sizing: { prometheusRetention: "2 weeks" } })).to.deep.equal(["sizing.prometheusRetention"]));
        it("rejects a storage size that is not a Kubernetes quantity", () =>
            expect(paths({ sizing: { prometheusStorage: "100GB" } })).to.deep.equal(["sizing.prometheusStorage"]));
        it("rejects fewer than one replica in production", () => {
            expect(paths({ production: true, sizing: { prometheusReplicas: 0 } })).to.deep.equal(["sizing.prometheusReplicas"]);
            expect(paths({ sizing: { prometheusReplicas: 0 } })).to.deep.equal([]);
        });
        it("rejects a bad SLO inside the stack", () =>
            expect(paths({ slos: [{ ...apiSlo, objective: 100 }] })).to.deep.equal(["slos[0].objective"]));
        it("throws one InputPropertiesError from the component, creating nothing of its own", async () => {
            const failure = await runFailing(() => {
                const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33" });
                new ObservabilityStack("obs", { cluster, tags, grafanaAdmin, production: true, sizing: { lokiReplicas: 0, prometheusStorage: "lots" } });
            });
            expect(pulumi.InputPropertiesError.isInstance(failure.cause)).to.be.true;
            expect((failure.cause as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath)).to.deep.equal(["sizing.prometheusStorage", "sizing.lokiReplicas"]);
            expect(failure.resources.filter((r) => r.urn.includes("ObservabilityStack$"))).to.be.empty;
        });
    });
});
