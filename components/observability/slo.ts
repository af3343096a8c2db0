import { Problems, show } from "../validation";
import { validatedManifest } from "../custom-resource";
import { SloLinks, failedSpansTraceQl, slowSpansTraceQl, traceSearchLink } from "./trace-links";

/** A service's objectives, from which recording rules and burn-rate alerts are generated. */
export interface SloSpec {
    /** Service name, a label value, e.g. "api". */
    readonly service: string;
    /** Availability objective in percent, e.g. 99.9. */
    readonly objective: number;
    /** Counter of all requests, with its selector, e.g. `http_requests_total{service="api"}`. */
    readonly totalSelector: string;
    /** Counter of failed requests, e.g. `http_requests_total{service="api",code=~"5.."}`. */
    readonly errorSelector: string;
    /**
     * A latency objective on a histogram.
     * @default none
     */
    readonly latency?: {
        /** Histogram base name, e.g. "http_request_duration_seconds". */
        readonly metric: string;
        /** Label matchers inside the braces, e.g. `service="api"`. */
        readonly matchers: string;
        /** Requests at or below this many seconds are fast; must be a bucket boundary, e.g. 0.3. */
        readonly thresholdSeconds: number;
        /** Percent of requests that must be fast, e.g. 99. */
        readonly objective: number;
    };
}

export interface PrometheusRuleSpec {
    readonly record?: string;
    readonly alert?: string;
    readonly expr: string;
    readonly for?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
}
export interface RuleGroup {
    readonly name: string;
    readonly interval?: string;
    readonly rules: PrometheusRuleSpec[];
}

/** Error-ratio windows the alerts read. */
export const WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;

/**
 * Multiwindow, multi-burn-rate alerts (Google SRE Workbook, "Alerting on SLOs", table 5-8): a long
 * window proves the burn is real, a short one that it is still going on.
 */
export const BURN_RATE_ALERTS = [
    { long: "1h", short: "5m", factor: 14.4, severity: "page", speed: "Fast" },
    { long: "6h", short: "30m", factor: 6, severity: "page", speed: "Fast" },
    { long: "1d", short: "2h", factor: 3, severity: "ticket", speed: "Slow" },
    { long: "3d", short: "6h", factor: 1, severity: "ticket", speed: "Slow" },
] as const;

const LABEL_VALUE = /^[a-z][a-z0-9_-]{0,62}$/;
const SELECTOR = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/s;

export function sloProblems(slo: SloSpec, path = "slo"): Problems {
    const problems = new Problems();
    problems.check(LABEL_VALUE.test(slo.service ?? ""), `${path}.service`, `got ${show(slo.service)}: a lowercase service name, e.g. "api"`);
    const objective = (value: unknown, at: string) =>
        problems.check(
            typeof value === "number" && value > 0 && value < 100,
            at,
            `got ${show(value)}: an objective is a percentage strictly between 0 and 100, e.g. 99.9`,
        );
    objective(slo.objective, `${path}.objective`);
    for (const field of ["totalSelector", "errorSelector"] as const) {
        const v = slo[field];
        problems.check(
            typeof v === "string" && v.trim() !== "" && SELECTOR.test(v.trim()),
            `${path}.${field}`,
            `got ${show(v)}: a counter with its label selector, e.g. 'http_requests_total{service="api"${field === "errorSelector" ? ',code=~"5.."' : ""}}'`,
        );
    }
    if (slo.latency) {
        const l = slo.latency;
        problems.check(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(l.metric ?? ""), `${path}.latency.metric`, `got ${show(l.metric)}: a histogram base name, e.g. "http_request_duration_seconds"`);
        problems.check(typeof l.matchers === "string" && l.matchers.trim() !== "", `${path}.latency.matchers`, `got ${show(l.matchers)}: label matchers, e.g. 'service="api"'`);
        problems.check(typeof l.thresholdSeconds === "number" && l.thresholdSeconds > 0, `${path}.latency.thresholdSeconds`, `got ${show(l.thresholdSeconds)}: a bucket boundary in seconds, e.g. 0.3`);
        objective(l.objective, `${path}.latency.objective`);
    }
    return problems;
}

const pascal = (s: string) => s.replace(/(^|[-_])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const errorBudget = (objectivePercent: number) => Number((1 - objectivePercent / 100).toPrecision(6));

/** How far back an alert's trace link searches: the long window of its fastest burn rate. */
const LINK_WINDOW_SECONDS = { Fast: 3600, Slow: 6 * 3600, latency: 3600 } as const;

/** Recording rules per window, then the burn-rate alerts and the latency alert, as Prometheus rule groups. */
export function sloRuleGroups(slo: SloSpec, links: SloLinks = {}): RuleGroup[] {
    sloProblems(slo).throwIfAny("SLO");
    const labels = { service: slo.service, slo: "availability" };
    const sel = `{service="${slo.service}",slo="availability"}`;
    const recording: PrometheusRuleSpec[] = WINDOWS.map((w) => ({
        record: `slo:sli_error:ratio_rate${w}`,
        expr: `sum(rate(${slo.errorSelector}[${w}])) / sum(rate(${slo.totalSelector}[${w}]))`,
        labels,
    }));
    const budget = errorBudget(slo.objective);
    const alerts: PrometheusRuleSpec[] = (["Fast", "Slow"] as const).map((speed) => {
        const pairs = BURN_RATE_ALERTS.filter((a) => a.speed === speed);
        return {
            alert: `${pascal(slo.service)}ErrorBudgetBurn${speed}`,
            expr: pairs
                .map((a) => `(slo:sli_error:ratio_rate${a.long}${sel} > (${a.factor} * ${budget}) and slo:sli_error:ratio_rate${a.short}${sel} > (${a.factor} * ${budget}))`)
                .join(" or "),
            for: speed === "Fast" ? "2m" : "15m",
            labels: { severity: pairs[0].severity },
            annotations: {
                summary: `${slo.service} is burning its ${slo.objective}% availability error budget ${speed === "Fast" ? "fast" : "steadily"}`,
                runbook: "Check the service's error rate in Grafana, then its traces: exemplars link each slow or failed request to its trace.",
                traces: traceSearchLink(failedSpansTraceQl(slo.service), LINK_WINDOW_SECONDS[speed], links),
            },
        };
    });
    const groups: RuleGroup[] = [
        { name: `slo-${slo.service}-recording`, interval: "30s", rules: recording },
        { name: `slo-${slo.service}-alerts`, rules: alerts },
    ];
    if (slo.latency) groups.push(latencyGroup(slo.service, slo.latency, links));
    return groups;
}

function latencyGroup(service: string, l: NonNullable<SloSpec["latency"]>, links: SloLinks): RuleGroup {
    const labels = { service, slo: "latency" };
    const sel = `{service="${service}",slo="latency"}`;
    const ratio = (w: string) =>
        `1 - (sum(rate(${l.metric}_bucket{${l.matchers},le="${l.thresholdSeconds}"}[${w}])) / sum(rate(${l.metric}_count{${l.matchers}}[${w}])))`;
    const budget = errorBudget(l.objective);
    return {
        name: `slo-${service}-latency`,
        rules: [
            { record: "slo:sli_latency:ratio_rate5m", expr: ratio("5m"), labels },
            { record: "slo:sli_latency:ratio_rate1h", expr: ratio("1h"), labels },
            {
                alert: `${pascal(service)}LatencyBudgetBurn`,
                expr: `slo:sli_latency:ratio_rate1h${sel} > (14.4 * ${budget}) and slo:sli_latency:ratio_rate5m${sel} > (14.4 * ${budget})`,
                for: "2m",
                labels: { severity: "page" },
                annotations: {
                    summary: `${service}: more than ${(100 - l.objective).toPrecision(3)}% of requests are slower than ${l.thresholdSeconds}s`,
                    traces: traceSearchLink(slowSpansTraceQl(service, l.thresholdSeconds), LINK_WINDOW_SECONDS.latency, links),
                },
            },
        ],
    };
}

/**
 * The SLO as a PrometheusRule custom resource, built with @kubernetes-models/prometheus-operator and
 * validated before Pulumi sees it (the package is ESM-only, hence the dynamic import).
 */
export async function sloPrometheusRule(slo: SloSpec, namespace: string, links: SloLinks = {}): Promise<Record<string, unknown>> {
    const { PrometheusRule } = await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule");
    const rule = new PrometheusRule({
        metadata: { name: `slo-${slo.service}`, namespace, labels: { "app.kubernetes.io/managed-by": "paved-road" } },
        spec: { groups: sloRuleGroups(slo, links).map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r })) })) },
    });
    return validatedManifest(rule);
}
