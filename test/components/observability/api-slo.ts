import { SloSpec } from "../../../components/observability/slo";

/** The documented example SLO: 99.9 % of API requests succeed, 99 % finish within 300 ms. */
export const apiSlo: SloSpec = {
    service: "api",
    objective: 99.9,
    totalSelector: 'http_requests_total{service="api"}',
    errorSelector: 'http_requests_total{service="api",code=~"5.."}',
    latency: { metric: "http_request_duration_seconds", matchers: 'service="api"', thresholdSeconds: 0.3, objective: 99 },
};
