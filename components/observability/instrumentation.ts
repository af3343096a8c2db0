import { Problems, show } from "../validation";

/**
 * Auto-instrumentation through the OpenTelemetry Operator: one `Instrumentation` per cluster, and
 * the pod-template annotations an app gets when its spec says `tracing: <language>`.
 * Annotation names and values are the operator's (internal/instrumentation/annotation.go and
 * docs/auto-instrumentation/*.md at v0.158.0, the chart's appVersion).
 */

/** The languages the operator injects an SDK for (Apache HTTPD and nginx are web servers, not apps). */
export const TRACING_LANGUAGES = ["nodejs", "java", "python", "dotnet", "go"] as const;
/** A language the OpenTelemetry operator injects an SDK for. */
export type TracingLanguage = (typeof TRACING_LANGUAGES)[number];

/** The cluster's one Instrumentation, referred to by pods in any namespace as `<namespace>/<name>`. */
export const INSTRUMENTATION_NAME = "paved";
export const INSTRUMENTATION_API = { apiVersion: "opentelemetry.io/v1alpha1", kind: "Instrumentation" } as const;

/** Sampling when the stack does not say: every trace outside production, one in ten in production. */
export function defaultTraceSampling(production: boolean): number {
    return production ? 0.1 : 1;
}

/** What an app's spec says about tracing (canary apps and Vault apps share these two keys). */
export interface AppTracing {
    /**
     * Inject the operator's auto-instrumentation for this language.
     * @default none: the app is not instrumented
     */
    readonly tracing?: TracingLanguage;
    /**
     * Path of the Go binary inside the container, which Go's eBPF instrumentation attaches to; Go only, and required there.
     * @default none
     */
    readonly tracingExecutable?: string;
}

/** Problems with an app's tracing keys, reported at `<path>.tracing` / `<path>.tracingExecutable`. */
export function tracingProblems(app: AppTracing, path: string): Problems {
    const problems = new Problems();
    const at = (key: string) => (path ? `${path}.${key}` : key);
    if (app.tracing !== undefined) {
        problems.check(
            (TRACING_LANGUAGES as readonly unknown[]).includes(app.tracing),
            at("tracing"),
            `got ${show(app.tracing)}: the OpenTelemetry Operator instruments ${TRACING_LANGUAGES.join(", ")}; e.g. tracing: nodejs`,
        );
    }
    if (app.tracing === "go") {
        problems.check(
            typeof app.tracingExecutable === "string" && app.tracingExecutable.startsWith("/"),
            at("tracingExecutable"),
            `got ${show(app.tracingExecutable)}: Go instrumentation attaches to the app's binary, so name its absolute path in the container; e.g. tracingExecutable: /app/server`,
        );
    } else if (app.tracingExecutable !== undefined) {
        problems.add(at("tracingExecutable"), `got ${show(app.tracingExecutable)} without tracing: go: only Go instrumentation needs the binary's path; remove it, or set tracing: go`);
    }
    return problems;
}

/**
 * Pod-template annotations that make the operator inject the app's language SDK, configured by the
 * cluster's Instrumentation, with the service name as a resource attribute (the operator's
 * `resource.opentelemetry.io/` annotations win over names it derives from the workload). The
 * environment is the Instrumentation's own resource attribute: one cluster, one environment.
 */
export function tracingAnnotations(service: string, app: AppTracing, observabilityNamespace = "monitoring"): Record<string, string> {
    if (app.tracing === undefined) return {};
    const annotations: Record<string, string> = {
        [`instrumentation.opentelemetry.io/inject-${app.tracing}`]: `${observabilityNamespace}/${INSTRUMENTATION_NAME}`,
        "resource.opentelemetry.io/service.name": service,
    };
    if (app.tracing === "go" && app.tracingExecutable) annotations["instrumentation.opentelemetry.io/otel-go-auto-target-exe"] = app.tracingExecutable;
    return annotations;
}

export interface InstrumentationArgs {
    readonly namespace: string;
    /** The collector gateway's OTLP/HTTP address, e.g. http://opentelemetry-collector.monitoring.svc.cluster.local:4318. */
    readonly collectorOtlpHttp: string;
    /** Share of new traces kept, from 0 (none) to 1 (all); a child follows its parent's decision. */
    readonly sampling: number;
    /** The environment, as every span's `deployment.environment.name`. */
    readonly environment: string;
}

export function traceSamplingProblems(sampling: unknown, path: string): Problems {
    const problems = new Problems();
    problems.check(
        typeof sampling === "number" && sampling >= 0 && sampling <= 1,
        path,
        `got ${show(sampling)}: the share of traces to keep, from 0 to 1; e.g. 1 in dev (every trace), 0.1 in production`,
    );
    return problems;
}

/**
 * The cluster's Instrumentation: OTLP over HTTP to the collector gateway (the protocol pinned, since
 * the language SDKs default differently and the gateway listens on 4318 for it), W3C tracecontext
 * and baggage, and a parent-based ratio sampler, so a trace is kept or dropped as a whole.
 */
export function instrumentationManifest(args: InstrumentationArgs): Record<string, unknown> {
    traceSamplingProblems(args.sampling, "sampling").throwIfAny("Instrumentation");
    return {
        ...INSTRUMENTATION_API,
        metadata: { name: INSTRUMENTATION_NAME, namespace: args.namespace, labels: { "app.kubernetes.io/managed-by": "paved-road" } },
        spec: {
            exporter: { endpoint: args.collectorOtlpHttp },
            env: [{ name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "http/protobuf" }],
            propagators: ["tracecontext", "baggage"],
            sampler: { type: "parentbased_traceidratio", argument: String(args.sampling) },
            resource: { resourceAttributes: { "deployment.environment.name": args.environment } },
        },
    };
}
