import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { onCluster } from "../cluster/kubernetes-cluster";
import { modelledCustomResource } from "../custom-resource";
import { pinnedRelease } from "../helm";
import { CostTags } from "../tags";
import { Problems } from "../validation";
import { GrafanaAdminSecret, alloyValues, kubePrometheusStackValues, lokiValues, otelCollectorValues, tempoValues } from "./chart-values";
import { ALLOY_CHART, KUBE_PROMETHEUS_STACK_CHART, LOKI_CHART, OTEL_COLLECTOR_CHART, OTEL_OPERATOR_CHART, TEMPO_CHART } from "./charts";
import { telemetryEndpoints } from "./endpoints";
import { INSTRUMENTATION_API, defaultTraceSampling, instrumentationManifest, traceSamplingProblems } from "./instrumentation";
import { otelOperatorValues } from "./otel-operator-values";
import { ScrapeTarget, serviceMonitor } from "./service-monitor";
import { ObservabilitySizing, defaultSizing, sizingProblems } from "./sizing";
import { SloSpec, sloProblems, sloPrometheusRule } from "./slo";
import { StorageCluster, TelemetryBuckets } from "./telemetry-buckets";

const PROMETHEUS_RULE = { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" };
const SERVICE_MONITOR = { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor" };

/** Arguments of ObservabilityStack: the cluster, cost tags, Grafana's admin Secret, sizing, SLOs and scrape targets. */
export interface ObservabilityStackArgs {
    /** The cluster to observe, an `EksCluster` or a `GkeCluster`; its cloud's object storage keeps logs and traces. */
    readonly cluster: StorageCluster;
    readonly tags: CostTags;
    /**
     * Production sizing (HA replicas, longer retention) and buckets kept on destroy.
     * @default false
     */
    readonly production?: boolean;
    /**
     * Overrides of the environment's sizing.
     * @default `defaultSizing(production)`
     */
    readonly sizing?: Partial<ObservabilitySizing>;
    /** The Kubernetes Secret, synced from Vault, holding Grafana's admin login. */
    readonly grafanaAdmin: GrafanaAdminSecret;
    /**
     * Service level objectives to record and alert on.
     * @default none
     */
    readonly slos?: readonly SloSpec[];
    /**
     * Platform components to scrape besides the stack's own collector.
     * @default none
     */
    readonly scrapeTargets?: readonly ScrapeTarget[];
    /**
     * Namespace of the whole stack.
     * @default "monitoring"
     */
    readonly namespace?: string;
    /**
     * Share of new traces the auto-instrumented apps keep, from 0 to 1 (parent-based: a trace is kept or dropped whole).
     * @default every trace outside production, one in ten in production (`defaultTraceSampling`)
     */
    readonly traceSampling?: number;
    /**
     * Grafana's address as people open it, for the links in alerts.
     * @default relative links (`/explore?...`), which Grafana's own alert views resolve
     */
    readonly grafanaUrl?: string;
}

export function observabilityProblems(args: Omit<ObservabilityStackArgs, "cluster">): Problems {
    const production = args.production ?? false;
    const problems = new Problems();
    problems.addAll("", sizingProblems({ ...defaultSizing(production), ...args.sizing }, production).list);
    (args.slos ?? []).forEach((slo, i) => problems.addAll("", sloProblems(slo, `slos[${i}]`).list));
    if (args.traceSampling !== undefined) problems.addAll("", traceSamplingProblems(args.traceSampling, "traceSampling").list);
    return problems;
}

/**
 * Metrics, logs and traces that link to each other, on either cloud: kube-prometheus-stack
 * (Prometheus, Alertmanager, Grafana, node-exporter, kube-state-metrics), Loki with Alloy shipping
 * pod logs, Tempo, and an OpenTelemetry gateway; object storage per cloud; Grafana data sources
 * correlated both ways; SLO recording rules and burn-rate alerts; sized per environment.
 */
export class ObservabilityStack extends pulumi.ComponentResource {
    public readonly namespace: string;
    /** The namespace resource: things other components put into it (such as Grafana's Secret) wait for it. */
    public readonly namespaceResource: k8s.core.v1.Namespace;
    public readonly sizing: ObservabilitySizing;

    constructor(name: string, args: ObservabilityStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:observability:ObservabilityStack", name, {}, opts);
        observabilityProblems(args).throwIfAny("ObservabilityStack");
        const production = args.production ?? false;
        const sizing = { ...defaultSizing(production), ...args.sizing };
        const namespaceName = args.namespace ?? "monitoring";
        const endpoints = telemetryEndpoints(namespaceName);
        const on = onCluster(args.cluster, this);

        const namespace = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: namespaceName } }, on);
        const inNamespace = { ...on, dependsOn: [namespace] };
        const buckets = new TelemetryBuckets(`${name}-storage`, {
            cluster: args.cluster,
            tags: args.tags,
            namespace: namespaceName,
            retention: { loki: sizing.lokiRetention, tempo: sizing.tempoRetention },
            production,
        }, { parent: this });

        const prometheus = pinnedRelease(`${name}-prometheus`, KUBE_PROMETHEUS_STACK_CHART, {
            namespace: namespaceName,
            values: kubePrometheusStackValues({ sizing, endpoints, grafanaAdmin: args.grafanaAdmin }),
        }, inNamespace);
        pinnedRelease(`${name}-loki`, LOKI_CHART, { namespace: namespaceName, values: buckets.storage.apply((storage) => lokiValues({ sizing, storage })) }, inNamespace);
        pinnedRelease(`${name}-tempo`, TEMPO_CHART, {
            namespace: namespaceName,
            values: buckets.storage.apply((storage) => tempoValues({ sizing, storage, endpoints })),
        }, inNamespace);
        pinnedRelease(`${name}-alloy`, ALLOY_CHART, { namespace: namespaceName, values: alloyValues(endpoints) }, inNamespace);
        pinnedRelease(`${name}-otel`, OTEL_COLLECTOR_CHART, { namespace: namespaceName, values: otelCollectorValues({ sizing, endpoints }) }, inNamespace);
        const otelOperator = pinnedRelease(`${name}-otel-operator`, OTEL_OPERATOR_CHART, { namespace: namespaceName, values: otelOperatorValues({ production }) }, inNamespace);
        // The Instrumentation exists once the operator's chart has installed its CRD and webhook.
        const instrumentation = instrumentationManifest({
            namespace: namespaceName,
            // The gateway's Service is its release name, the chart's name (as in endpoints.ts); OTLP/HTTP on 4318.
            collectorOtlpHttp: `http://opentelemetry-collector.${namespaceName}.svc.cluster.local:4318`,
            sampling: args.traceSampling ?? defaultTraceSampling(production),
            environment: args.tags.environment,
        });
        new k8s.apiextensions.CustomResource(`${name}-instrumentation`, {
            ...INSTRUMENTATION_API,
            metadata: instrumentation.metadata as k8s.types.input.meta.v1.ObjectMeta,
            spec: instrumentation.spec,
        }, { ...on, dependsOn: [otelOperator] });

        // Custom resources of the Prometheus operator exist once its chart has installed their CRDs.
        const afterOperator = { ...on, dependsOn: [prometheus] };
        for (const slo of args.slos ?? []) {
            modelledCustomResource(`${name}-slo-${slo.service}`, PROMETHEUS_RULE, sloPrometheusRule(slo, namespaceName, { grafanaUrl: args.grafanaUrl }), afterOperator);
        }
        const collector: ScrapeTarget = {
            name: "otel-collector",
            namespace: namespaceName,
            selector: { "app.kubernetes.io/name": "opentelemetry-collector" },
            port: "metrics",
        };
        for (const target of [collector, ...(args.scrapeTargets ?? [])]) {
            modelledCustomResource(`${name}-monitor-${target.name}`, SERVICE_MONITOR, serviceMonitor(target, namespaceName), afterOperator);
        }

        this.namespace = namespaceName;
        this.namespaceResource = namespace;
        this.sizing = sizing;
        this.registerOutputs({ namespace: this.namespace });
    }
}
