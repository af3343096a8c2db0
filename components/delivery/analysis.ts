import { CanaryAnalysis } from "./canary-spec";
import { validatedManifest } from "../custom-resource";

export const ERROR_RATE_TEMPLATE = "error-rate";

/** The canary's 5xx share over two minutes; `{{args.service}}` is filled in by Argo Rollouts. */
export function errorRatioQuery(service = "{{args.service}}"): string {
    return (
        `sum(rate(http_requests_total{service="${service}",code=~"5.."}[2m]))` +
        ` / sum(rate(http_requests_total{service="${service}"}[2m]))`
    );
}

/**
 * The success and failure conditions. With no traffic yet the query has no result (or NaN):
 * neither condition holds, the measurement is Inconclusive, and the rollout pauses for a human —
 * a quiet canary is neither promoted nor failed blindly.
 */
export function analysisConditions(maxErrorRatio: number): { successCondition: string; failureCondition: string } {
    const measured = "len(result) > 0 && !isNaN(result[0])";
    return {
        successCondition: `${measured} && result[0] <= ${maxErrorRatio}`,
        failureCondition: `${measured} && result[0] > ${maxErrorRatio}`,
    };
}

/** The AnalysisTemplate on the Prometheus provider, built with @kubernetes-models/argo-rollouts and validated. */
export async function errorRateTemplate(namespace: string, prometheusAddress: string, analysis: CanaryAnalysis = {}): Promise<Record<string, unknown>> {
    const { AnalysisTemplate } = await import("@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate");
    const template = new AnalysisTemplate({
        metadata: { name: ERROR_RATE_TEMPLATE, namespace },
        spec: {
            args: [{ name: "service" }],
            metrics: [{
                name: "error-ratio",
                interval: analysis.interval ?? "1m",
                count: analysis.count ?? 5,
                failureLimit: analysis.failureLimit ?? 1,
                inconclusiveLimit: 1,
                ...analysisConditions(analysis.maxErrorRatio ?? 0.01),
                provider: { prometheus: { address: prometheusAddress, query: errorRatioQuery() } },
            }],
        },
    });
    return validatedManifest(template);
}
