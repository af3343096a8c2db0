import { Problems, isPrometheusDuration, show } from "../validation";
import { AppTracing, tracingProblems } from "../observability/instrumentation";

/** A canary step: shift this percentage of traffic, or run the analysis. */
export type CanaryStep = number | "analysis";

/** setWeight 5 → analysis → 25 → analysis → 50 → 100. */
export const DEFAULT_STEPS: readonly CanaryStep[] = [5, "analysis", 25, "analysis", 50, 100];

/** How a canary's error rate is measured and judged at each analysis step. */
export interface CanaryAnalysis {
    /**
     * How often to measure, a duration.
     * @default "1m"
     */
    readonly interval?: string;
    /**
     * Measurements per analysis step.
     * @default 5
     */
    readonly count?: number;
    /**
     * Failed measurements tolerated before the rollout aborts.
     * @default 1
     */
    readonly failureLimit?: number;
    /**
     * Highest acceptable 5xx share of the canary's requests.
     * @default 0.01
     */
    readonly maxErrorRatio?: number;
}

/** A canary app; `tracing: <language>` (see AppTracing) gets its pods auto-instrumented. */
export interface CanarySpec extends AppTracing {
    /** The app (and its Rollout) name. */
    readonly app: string;
    readonly namespace: string;
    /** Container image with an explicit tag or digest. */
    readonly image: string;
    /** Host it serves, e.g. "shop.example.com". */
    readonly hostname: string;
    /**
     * Container port.
     * @default 8080
     */
    readonly port?: number;
    /**
     * Replicas of the stable version.
     * @default 3
     */
    readonly replicas?: number;
    /**
     * Steps; weights strictly increasing from 1 to 100, ending at 100.
     * @default `DEFAULT_STEPS`
     */
    readonly steps?: readonly CanaryStep[];
    readonly analysis?: CanaryAnalysis;
    /**
     * Seconds an aborted canary's pods stay up for debugging before they scale down.
     * @default 30
     */
    readonly abortScaleDownDelaySeconds?: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function canaryProblems(spec: CanarySpec, path = "canary"): Problems {
    const problems = new Problems();
    const at = (f: string) => `${path}.${f}`;
    problems.check(DNS_LABEL.test(spec.app ?? ""), at("app"), `got ${show(spec.app)}: a Kubernetes name, e.g. "web"`);
    problems.check(DNS_LABEL.test(spec.namespace ?? ""), at("namespace"), `got ${show(spec.namespace)}: a Kubernetes namespace, e.g. "shop"`);
    problems.check(/^[^\s:@]+(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/.test(spec.image ?? "") && !/:latest$/.test(spec.image ?? ""), at("image"), `got ${show(spec.image)}: pin a tag or digest (not latest), e.g. "ghcr.io/acme/web:1.4.2"`);
    problems.check(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(spec.hostname ?? ""), at("hostname"), `got ${show(spec.hostname)}: a DNS name, e.g. "shop.example.com"`);
    const steps = spec.steps ?? DEFAULT_STEPS;
    const weights = steps.filter((s): s is number => typeof s === "number");
    weights.forEach((w, i) => {
        problems.check(Number.isInteger(w) && w >= 1 && w <= 100, at(`steps[${steps.indexOf(w)}]`), `got ${show(w)}: a traffic weight is a whole percentage from 1 to 100, e.g. 25`);
        if (i > 0) {
            problems.check(w > weights[i - 1], at(`steps[${steps.indexOf(w)}]`), `got ${show(w)} after ${weights[i - 1]}: weights must strictly increase, e.g. 5, 25, 50, 100`);
        }
    });
    problems.check(weights[weights.length - 1] === 100, at("steps"), `got ${show(steps)}: the last weight must be 100 so the canary is fully promoted, e.g. [5, "analysis", 25, "analysis", 50, 100]`);
    steps.forEach((s, i) => problems.check(typeof s === "number" || s === "analysis", at(`steps[${i}]`), `got ${show(s)}: a step is a weight or "analysis"`));
    const analysis = spec.analysis ?? {};
    problems.check(analysis.interval === undefined || isPrometheusDuration(analysis.interval), at("analysis.interval"), `got ${show(analysis.interval)}: a duration, e.g. "1m" or "30s"`);
    problems.addAll("", tracingProblems(spec, path).list);
    problems.check(analysis.maxErrorRatio === undefined || (analysis.maxErrorRatio > 0 && analysis.maxErrorRatio < 1), at("analysis.maxErrorRatio"), `got ${show(analysis.maxErrorRatio)}: a share between 0 and 1, e.g. 0.01`);
    return problems;
}
