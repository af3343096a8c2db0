import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { stringify } from "yaml";
import { RuleGroup, SloSpec, sloProblems, sloPrometheusRule, sloRuleGroups } from "../../../components/observability/slo";
import { apiSlo } from "./api-slo";
import { parseTraceQl } from "./traceql";
import { runTool } from "../../tools";

/**
 * The alerts' trace links as Prometheus renders them at eval_time 75m (written out by hand from
 * Grafana's Explore URL format: `panes` is URL-encoded JSON; the window is the hour before
 * evaluation, 900000 to 4500000 ms). `promtool test rules` compares the rendered annotation with
 * these literals, so the template and the literal must agree.
 */
const GRAFANA = "https://grafana.dev.example.com";
const LATENCY_LINK_AT_75M = `${GRAFANA}/explore?schemaVersion=1&orgId=1&panes=%7B%22traces%22%3A%7B%22datasource%22%3A%22tempo%22%2C%22queries%22%3A%5B%7B%22refId%22%3A%22A%22%2C%22datasource%22%3A%7B%22type%22%3A%22tempo%22%2C%22uid%22%3A%22tempo%22%7D%2C%22queryType%22%3A%22traceql%22%2C%22query%22%3A%22%7B%20resource.service.name%20%3D%20%5C%22api%5C%22%20%26%26%20kind%20%3D%20server%20%26%26%20duration%20%3E%20300ms%20%7D%22%2C%22limit%22%3A20%2C%22tableType%22%3A%22spans%22%7D%5D%2C%22range%22%3A%7B%22from%22%3A%22900000%22%2C%22to%22%3A%224500000%22%7D%7D%7D`;
const ERRORS_LINK_AT_75M = `${GRAFANA}/explore?schemaVersion=1&orgId=1&panes=%7B%22traces%22%3A%7B%22datasource%22%3A%22tempo%22%2C%22queries%22%3A%5B%7B%22refId%22%3A%22A%22%2C%22datasource%22%3A%7B%22type%22%3A%22tempo%22%2C%22uid%22%3A%22tempo%22%7D%2C%22queryType%22%3A%22traceql%22%2C%22query%22%3A%22%7B%20resource.service.name%20%3D%20%5C%22api%5C%22%20%26%26%20kind%20%3D%20server%20%26%26%20status%20%3D%20error%20%7D%22%2C%22limit%22%3A20%2C%22tableType%22%3A%22spans%22%7D%5D%2C%22range%22%3A%7B%22from%22%3A%22900000%22%2C%22to%22%3A%224500000%22%7D%7D%7D`;

/** One minute of traffic at 100 requests per second, of which `slowPercent` take longer than 300 ms. */
function latencyTraffic(slowPercent: number): { series: string; values: string }[] {
    const perMinute = 6000;
    const fast = perMinute - (perMinute * slowPercent) / 100;
    return [
        { series: 'http_request_duration_seconds_bucket{service="api",le="0.3"}', values: `0+${fast}x240` },
        { series: 'http_request_duration_seconds_bucket{service="api",le="+Inf"}', values: `0+${perMinute}x240` },
        { series: 'http_request_duration_seconds_count{service="api"}', values: `0+${perMinute}x240` },
    ];
}

/** Runs promtool in `cwd`; its absence is an error naming `npm run setup`, never a skip. */
const promtool = (args: string[], cwd: string) => runTool("promtool", args, { cwd });

function workdir(groups: RuleGroup[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-slo-"));
    fs.writeFileSync(path.join(dir, "rules.yml"), stringify({ groups }));
    return dir;
}

/** One minute of traffic at 100 requests per second, of which `errorPercent` fail. */
function traffic(errorPercent: number): { series: string; values: string }[] {
    const perMinute = 6000;
    const errors = (perMinute * errorPercent) / 100;
    return [
        { series: 'http_requests_total{service="api",code="200"}', values: `0+${perMinute - errors}x240` },
        { series: 'http_requests_total{service="api",code="500"}', values: `0+${errors}x240` },
    ];
}

describe("SLO rules (checked by promtool)", () => {
    const groups = sloRuleGroups(apiSlo, { grafanaUrl: GRAFANA });
    const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert);

    it("records the error ratio over every window and alerts at the SRE Workbook's burn rates", () => {
        const recording = groups[0].rules.map((r) => r.record);
        expect(recording).to.deep.equal(["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map((w) => `slo:sli_error:ratio_rate${w}`));
        const fast = alerts.find((a) => a.alert === "ApiErrorBudgetBurnFast")!;
        expect(fast.expr).to.include('slo:sli_error:ratio_rate1h{service="api",slo="availability"} > (14.4 * 0.001)');
        expect(fast.expr).to.include('slo:sli_error:ratio_rate30m{service="api",slo="availability"} > (6 * 0.001)');
        const slow = alerts.find((a) => a.alert === "ApiErrorBudgetBurnSlow")!;
        expect(slow.expr).to.include("ratio_rate1d").and.include("(3 * 0.001)").and.include("ratio_rate6h").and.include("(1 * 0.001)");
        expect(alerts.map((a) => a.alert)).to.deep.equal(["ApiErrorBudgetBurnFast", "ApiErrorBudgetBurnSlow", "ApiLatencyBudgetBurn"]);
    });

    it("passes `promtool check rules`, which fails a broken rule", () => {
        const good = promtool(["check", "rules", "rules.yml"], workdir(groups));
        expect(good.status, good.output).to.equal(0);
        expect(good.output).to.include("SUCCESS: 12 rules found");
        const broken = promtool(["check", "rules", "rules.yml"], workdir([{ name: "broken", rules: [{ record: "x", expr: "sum(rate(http_requests_total[5m]" }] }]));
        expect(broken.status).to.not.equal(0);
    });

    it("fires the fast-burn alert on 2 % errors and nothing on a healthy 0.01 % (`promtool test rules`)", () => {
        const dir = workdir(groups);
        const fast = alerts.find((a) => a.alert === "ApiErrorBudgetBurnFast")!;
        const tests = {
            rule_files: ["rules.yml"],
            evaluation_interval: "1m",
            tests: [
                {
                    name: "2 % errors burn the budget 20 times too fast",
                    interval: "1m",
                    input_series: traffic(2),
                    alert_rule_test: [
                        {
                            eval_time: "75m",
                            alertname: "ApiErrorBudgetBurnFast",
                            exp_alerts: [{ exp_labels: { severity: "page", service: "api", slo: "availability" }, exp_annotations: { ...fast.annotations, traces: ERRORS_LINK_AT_75M } }],
                        },
                    ],
                },
                {
                    name: "0.01 % errors are well inside a 99.9 % objective",
                    interval: "1m",
                    input_series: traffic(0.01),
                    alert_rule_test: ["75m", "4h"].flatMap((eval_time) => alerts.map((a) => ({ eval_time, alertname: a.alert, exp_alerts: [] }))),
                },
            ],
        };
        fs.writeFileSync(path.join(dir, "tests.yml"), stringify(tests));
        const result = promtool(["test", "rules", "tests.yml"], dir);
        expect(result.status, result.output).to.equal(0);
        expect(result.output).to.include("SUCCESS");
    });

    it("fires the latency alert on 20 % slow requests with its trace link rendered, and nothing on 0.5 % (`promtool test rules`)", () => {
        const dir = workdir(groups);
        const tests = {
            rule_files: ["rules.yml"],
            evaluation_interval: "1m",
            tests: [
                {
                    name: "20 % of requests slower than 300 ms burn a 99 % latency objective 20 times too fast",
                    interval: "1m",
                    input_series: latencyTraffic(20),
                    alert_rule_test: [{
                        eval_time: "75m",
                        alertname: "ApiLatencyBudgetBurn",
                        exp_alerts: [{
                            exp_labels: { severity: "page", service: "api", slo: "latency" },
                            exp_annotations: { summary: "api: more than 1.00% of requests are slower than 0.3s", traces: LATENCY_LINK_AT_75M },
                        }],
                    }],
                },
                {
                    name: "0.5 % slow requests are inside a 99 % objective",
                    interval: "1m",
                    input_series: latencyTraffic(0.5),
                    alert_rule_test: [{ eval_time: "75m", alertname: "ApiLatencyBudgetBurn", exp_alerts: [] }],
                },
            ],
        };
        fs.writeFileSync(path.join(dir, "tests.yml"), stringify(tests));
        const result = promtool(["test", "rules", "tests.yml"], dir);
        expect(result.status, result.output).to.equal(0);
        expect(result.output).to.include("SUCCESS");
        // The same test with a link for another window fails: promtool really compares the rendered link.
        const wrong = structuredClone(tests);
        wrong.tests[0].alert_rule_test[0].exp_alerts[0].exp_annotations.traces = LATENCY_LINK_AT_75M.replace("900000", "800000");
        fs.writeFileSync(path.join(dir, "wrong.yml"), stringify(wrong));
        expect(promtool(["test", "rules", "wrong.yml"], dir).status).to.not.equal(0);
    });

    describe("trace links", () => {
        /** The Explore pane a rendered link opens, decoded from its URL. */
        const paneOf = (link: string) => {
            const url = new URL(link);
            expect(`${url.origin}${url.pathname}`).to.equal(`${GRAFANA}/explore`);
            const panes = JSON.parse(url.searchParams.get("panes")!) as Record<string, { datasource: string; queries: { query: string; queryType: string; datasource: { uid: string } }[]; range: { from: string; to: string } }>;
            expect(Object.keys(panes)).to.deep.equal(["traces"]);
            return panes.traces;
        };

        it("opens Tempo's TraceQL search for the service's server spans slower than the objective, over the alert's hour", () => {
            const pane = paneOf(LATENCY_LINK_AT_75M);
            expect(pane.datasource).to.equal("tempo");
            expect(pane.queries).to.have.length(1);
            expect(pane.queries[0]).to.deep.include({ queryType: "traceql", datasource: { type: "tempo", uid: "tempo" } });
            expect(pane.range).to.deep.equal({ from: "900000", to: "4500000" });
            expect(parseTraceQl(pane.queries[0].query)).to.deep.equal([
                { attribute: "resource.service.name", op: "=", value: "api" },
                { attribute: "kind", op: "=", value: { enum: "server" } },
                { attribute: "duration", op: ">", value: { durationMs: 300 } },
            ]);
        });

        it("opens the service's failed server spans for the error-budget alerts", () => {
            expect(parseTraceQl(paneOf(ERRORS_LINK_AT_75M).queries[0].query)).to.deep.equal([
                { attribute: "resource.service.name", op: "=", value: "api" },
                { attribute: "kind", op: "=", value: { enum: "server" } },
                { attribute: "status", op: "=", value: { enum: "error" } },
            ]);
            const slow = alerts.find((a) => a.alert === "ApiErrorBudgetBurnSlow")!;
            // The slow burn searches its six hours: the template's window, before Prometheus renders it.
            expect(slow.annotations!.traces).to.include('query "time() * 1000 - 21600000"');
        });

        it("the parser refuses what TraceQL would not accept", () => {
            expect(() => parseTraceQl('{ resource.service.name = "api" && duration > 300 }')).to.throw(/duration needs a unit/);
            expect(() => parseTraceQl('{ resource.service.name = "api" && kind = serverr }')).to.throw(/not a valid value for kind/);
            expect(() => parseTraceQl('{ service.name = "api" }')).to.throw(/not a scoped attribute/);
            expect(() => parseTraceQl('{ resource.service.name = "api" ')).to.throw(/ended early/);
        });
    });

    it("is a PrometheusRule valid per @kubernetes-models/prometheus-operator", async () => {
        const rule = await sloPrometheusRule(apiSlo, "monitoring");
        expect(rule).to.deep.include({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" });
        expect((rule.spec as { groups: unknown[] }).groups).to.have.length(3);
    });

    describe("bad input", () => {
        const paths = (change: Partial<SloSpec>) => sloProblems({ ...apiSlo, ...change }).list.map((p) => p.propertyPath);
        it("accepts the documented example", () => expect(paths({})).to.deep.equal([]));
        it("rejects an objective of 100", () => expect(paths({ objective: 100 })).to.deep.equal(["slo.objective"]));
        it("rejects an objective of 0", () => expect(paths({ objective: 0 })).to.deep.equal(["slo.objective"]));
        it("rejects an empty selector", () => expect(paths({ errorSelector: " " })).to.deep.equal(["slo.errorSelector"]));
        it("rejects a latency objective outside (0, 100)", () =>
            expect(paths({ latency: { ...apiSlo.latency!, objective: 120 } })).to.deep.equal(["slo.latency.objective"]));
    });
});
