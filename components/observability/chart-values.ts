import { TelemetryEndpoints } from "./endpoints";
import { EXEMPLAR_TRACE_DESTINATION, correlatedDataSources } from "./grafana-datasources";
import { ObservabilitySizing } from "./sizing";

/** Where Loki and Tempo keep their data, per cloud. */
export interface TelemetryStorage {
    readonly cloud: "aws" | "gcp";
    /** AWS region of the buckets (S3 only). */
    readonly region?: string;
    readonly lokiBucket: string;
    readonly tempoBucket: string;
    /** ServiceAccount annotations that give Loki and Tempo their cloud identity (IRSA or Workload Identity). */
    readonly lokiServiceAccountAnnotations: Record<string, string>;
    readonly tempoServiceAccountAnnotations: Record<string, string>;
}

/** The Kubernetes Secret (synced from Vault) that holds Grafana's admin login. */
export interface GrafanaAdminSecret {
    readonly name: string;
    readonly userKey: string;
    readonly passwordKey: string;
}

const onSystemPool = {
    nodeSelector: { "paved.io/pool": "system" },
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
};

export function kubePrometheusStackValues(args: {
    readonly sizing: ObservabilitySizing;
    readonly endpoints: TelemetryEndpoints;
    readonly grafanaAdmin: GrafanaAdminSecret;
}): Record<string, unknown> {
    const { sizing } = args;
    return {
        prometheus: {
            prometheusSpec: {
                retention: sizing.prometheusRetention,
                replicas: sizing.prometheusReplicas,
                // The collector writes OTLP metrics here; exemplars carry trace ids to Tempo.
                enableRemoteWriteReceiver: true,
                enableFeatures: ["exemplar-storage"],
                resources: { requests: { cpu: "500m", memory: sizing.prometheusMemory }, limits: { memory: sizing.prometheusMemory } },
                storageSpec: {
                    volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: sizing.prometheusStorage } } } },
                },
                // Pick up every ServiceMonitor and PrometheusRule, not only the chart's own.
                ruleSelectorNilUsesHelmValues: false,
                serviceMonitorSelectorNilUsesHelmValues: false,
            },
        },
        alertmanager: { alertmanagerSpec: { replicas: sizing.alertmanagerReplicas } },
        grafana: {
            // The admin login comes from a Secret that Vault keeps in sync, never from these values.
            admin: { existingSecret: args.grafanaAdmin.name, userKey: args.grafanaAdmin.userKey, passwordKey: args.grafanaAdmin.passwordKey },
            additionalDataSources: correlatedDataSources(args.endpoints),
            sidecar: { datasources: { exemplarTraceIdDestinations: EXEMPLAR_TRACE_DESTINATION } },
        },
        nodeExporter: { enabled: true },
        kubeStateMetrics: { enabled: true },
    };
}

/** Loki on object storage: single binary for small environments, simple scalable for production. */
export function lokiValues(args: { readonly sizing: ObservabilitySizing; readonly storage: TelemetryStorage }): Record<string, unknown> {
    const { sizing, storage } = args;
    const single = sizing.lokiMode === "single";
    const store = storage.cloud === "aws" ? "s3" : "gcs";
    const replicas = (on: boolean) => ({ replicas: on ? sizing.lokiReplicas : 0 });
    return {
        deploymentMode: single ? "SingleBinary" : "SimpleScalable",
        loki: {
            auth_enabled: false,
            commonConfig: { replication_factor: single ? 1 : 3 },
            schemaConfig: {
                configs: [{ from: "2024-04-01", store: "tsdb", object_store: store, schema: "v13", index: { prefix: "index_", period: "24h" } }],
            },
            storage: {
                type: store,
                bucketNames: { chunks: storage.lokiBucket, ruler: storage.lokiBucket, admin: storage.lokiBucket },
                ...(store === "s3" ? { s3: { region: storage.region } } : {}),
            },
            limits_config: { retention_period: sizing.lokiRetention },
            compactor: { retention_enabled: true, delete_request_store: store },
        },
        serviceAccount: { name: "loki", annotations: storage.lokiServiceAccountAnnotations },
        singleBinary: replicas(single),
        read: replicas(!single),
        write: replicas(!single),
        backend: replicas(!single),
        // Caches and the canary pay off at production volume only.
        chunksCache: { enabled: !single },
        resultsCache: { enabled: !single },
        lokiCanary: { enabled: !single },
        test: { enabled: false },
    };
}

export function tempoValues(args: { readonly sizing: ObservabilitySizing; readonly storage: TelemetryStorage; readonly endpoints: TelemetryEndpoints }): Record<string, unknown> {
    const { sizing, storage } = args;
    const trace =
        storage.cloud === "aws"
            ? { backend: "s3", s3: { bucket: storage.tempoBucket, endpoint: `s3.${storage.region}.amazonaws.com`, region: storage.region } }
            : { backend: "gcs", gcs: { bucket_name: storage.tempoBucket } };
    return {
        tempo: {
            retention: sizing.tempoRetention,
            storage: { trace },
            // Span metrics (RED per service and span) feed Grafana's trace-to-metrics links and service map;
            // their exemplars carry trace ids, so a latency panel opens the very traces behind a bucket.
            metricsGenerator: {
                enabled: true,
                storage: { path: "/var/tempo/metrics", remote_write: [{ url: args.endpoints.prometheusRemoteWrite, send_exemplars: true }] },
            },
            overrides: { defaults: { metrics_generator: { processors: ["service-graphs", "span-metrics"] } } },
        },
        serviceAccount: { name: "tempo", annotations: storage.tempoServiceAccountAnnotations },
        persistence: { enabled: true, size: "10Gi" },
        ...onSystemPool,
    };
}

/** Alloy as the log agent: tails every pod through the API server and pushes to Loki. */
export function alloyConfig(endpoints: TelemetryEndpoints): string {
    return `discovery.kubernetes "pods" {
  role = "pod"
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    target_label  = "app"
  }
}

loki.source.kubernetes "pods" {
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
}

loki.write "default" {
  endpoint {
    url = "${endpoints.lokiPush}"
  }
}
`;
}

export function alloyValues(endpoints: TelemetryEndpoints): Record<string, unknown> {
    return {
        alloy: {
            configMap: { create: true, content: alloyConfig(endpoints) },
            resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
        },
        controller: { type: "daemonset" },
    };
}

/** The OpenTelemetry gateway: OTLP in over gRPC and HTTP; traces to Tempo, metrics to Prometheus, logs to Loki. */
export function otelCollectorValues(args: { readonly sizing: ObservabilitySizing; readonly endpoints: TelemetryEndpoints }): Record<string, unknown> {
    const processors = ["memory_limiter", "batch"];
    return {
        mode: "deployment",
        replicaCount: args.sizing.collectorReplicas,
        image: { repository: "otel/opentelemetry-collector-contrib" },
        ports: { metrics: { enabled: true } },
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
        config: {
            receivers: {
                otlp: { protocols: { grpc: { endpoint: "${env:MY_POD_IP}:4317" }, http: { endpoint: "${env:MY_POD_IP}:4318" } } },
            },
            processors: {
                memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 },
                batch: {},
            },
            exporters: {
                "otlp/tempo": { endpoint: args.endpoints.tempoOtlpGrpc, tls: { insecure: true } },
                prometheusremotewrite: { endpoint: args.endpoints.prometheusRemoteWrite, resource_to_telemetry_conversion: { enabled: true } },
                "otlphttp/loki": { endpoint: args.endpoints.lokiOtlp },
            },
            service: {
                pipelines: {
                    traces: { receivers: ["otlp"], processors, exporters: ["otlp/tempo"] },
                    metrics: { receivers: ["otlp"], processors, exporters: ["prometheusremotewrite"] },
                    logs: { receivers: ["otlp"], processors, exporters: ["otlphttp/loki"] },
                },
            },
        },
    };
}
