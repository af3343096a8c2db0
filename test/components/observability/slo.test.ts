import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { stringify } from "yaml";
import { RuleGroup, SloSpec, sloProblems, sloPrometheusRule, sloRuleGroups } from "../../../components/observability/slo";
import { runTool } from "../../tools";

/** The documented example SLO: 99.9 % of API requests succeed, 99 % finish within 300 ms. */
export const apiSlo: SloSpec = {
    service: "api",
    objective: 99.9,
    totalSelector: 'http_requests_total{service="api"}',
    errorSelector: 'http_requests_total{service="api",code=~"5.."}',
    latency: { metric: "http_request_duration_seconds", matchers: 'service="api"', thresholdSeconds: 0.3, objective: 99 },
};

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
    const groups = sloRuleGroups(apiSlo);
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
                            exp_alerts: [{ exp_labels: { severity: "page", service: "api", slo: "availability" }, exp_annotations: fast.annotations }],
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
