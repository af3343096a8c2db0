import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { stringify } from "yaml";
import { errorRateTemplate } from "../../../components/delivery/analysis";
import { CanaryAnalysis } from "../../../components/delivery/canary-spec";
import { ArgoResult, evaluateResult, queryResult } from "../../argo-expr";
import { Loopback, requestCounterExporter, serve, startPrometheus } from "../../loopback";
import { runTool } from "../../tools";

/**
 * The canary analysis as Argo Rollouts runs it: the AnalysisTemplate the component emits, its query
 * (with `{{args.service}}` filled in as Argo does) sent to a real Prometheus (Debian's package) on
 * loopback, and the template's own condition strings evaluated on the answer by an interpreter of
 * Argo's expression language (test/argo-expr.ts, checked on Argo's documented examples).
 *
 * The exporters serve a canary failing 0.1 % of its requests, one failing 5 %, and an idle one whose
 * counters exist but do not move (its error ratio is 0/0, NaN); a fourth canary has no series at all.
 */
const CANARIES = { "good-canary": 0.001, "bad-canary": 0.05 };

interface Metric {
    readonly successCondition: string;
    readonly failureCondition: string;
    readonly inconclusiveLimit: number;
    readonly provider: { readonly prometheus: { readonly query: string } };
}

async function metricOf(analysis: CanaryAnalysis = {}): Promise<Metric> {
    const template = await errorRateTemplate("shop", "http://prometheus.monitoring:9090", analysis) as { spec: { metrics: Metric[] } };
    expect(template.spec.metrics).to.have.length(1);
    return template.spec.metrics[0];
}

/** The metric's query for one service, its argument resolved the way Argo Rollouts resolves `{{args.<name>}}`. */
const queryFor = (metric: Metric, service: string) => metric.provider.prometheus.query.replaceAll("{{args.service}}", service);

describe("canary analysis against a real Prometheus on loopback, judged by the template's own conditions", function () {
    this.timeout(60_000);
    let exporter: Loopback;
    let idle: Loopback;
    let prometheus: Loopback;
    let metric: Metric;
    const measure = (service: string, m: Metric = metric): Promise<ArgoResult> => queryResult(prometheus.url, queryFor(m, service));

    before(async () => {
        metric = await metricOf();
        exporter = await requestCounterExporter(CANARIES);
        idle = await serve((_req, res) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end([
            "# TYPE http_requests_total counter",
            'http_requests_total{service="idle-canary",code="200"} 1000',
            'http_requests_total{service="idle-canary",code="500"} 3',
            "",
        ].join("\n")));
        prometheus = await startPrometheus([exporter.url, idle.url], async (url) => {
            const results = await Promise.all(["good-canary", "bad-canary", "idle-canary"].map((s) => queryResult(url, queryFor(metric, s))));
            return results.every((r) => Array.isArray(r) && r.length === 1);
        });
    });

    after(async () => {
        await prometheus?.close();
        await exporter?.close();
        await idle?.close();
    });

    it("emits exactly these conditions and query for the default 1 % threshold", () => {
        expect(metric.successCondition).to.equal("len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.01");
        expect(metric.failureCondition).to.equal("len(result) > 0 && !isNaN(result[0]) && result[0] > 0.01");
        expect(metric.inconclusiveLimit).to.equal(1);
        expect(metric.provider.prometheus.query).to.equal(
            'sum(rate(http_requests_total{service="{{args.service}}",code=~"5.."}[2m])) / sum(rate(http_requests_total{service="{{args.service}}"}[2m]))',
        );
    });

    it("is Successful for a canary with 0.1 % 5xx", async () => {
        const result = await measure("good-canary") as number[];
        expect(result).to.have.length(1);
        expect(result[0]).to.be.closeTo(0.001, 0.0005);
        expect(evaluateResult(result, metric)).to.equal("Successful");
    });

    it("is Failed for a canary with 5 % 5xx", async () => {
        const result = await measure("bad-canary") as number[];
        expect(result).to.have.length(1);
        expect(result[0]).to.be.closeTo(0.05, 0.005);
        expect(evaluateResult(result, metric)).to.equal("Failed");
    });

    it("moves the line with maxErrorRatio: the 5 % canary passes a 10 % threshold, the 0.1 % one fails a 0.05 % threshold", async () => {
        const lenient = await metricOf({ maxErrorRatio: 0.1 });
        expect(lenient.failureCondition).to.equal("len(result) > 0 && !isNaN(result[0]) && result[0] > 0.1");
        expect(evaluateResult(await measure("bad-canary", lenient), lenient)).to.equal("Successful");
        const strict = await metricOf({ maxErrorRatio: 0.0005 });
        expect(evaluateResult(await measure("good-canary", strict), strict)).to.equal("Failed");
    });

    it("is Inconclusive (the rollout pauses) for a canary with no series yet: Prometheus answers an empty vector", async () => {
        const result = await measure("quiet-canary");
        expect(result).to.deep.equal([]);
        expect(evaluateResult(result, metric)).to.equal("Inconclusive");
    });

    it("is Inconclusive for a canary whose counters do not move: Prometheus answers NaN (0/0)", async () => {
        const result = await measure("idle-canary") as number[];
        expect(result).to.have.length(1);
        expect(result[0]).to.be.NaN;
        expect(evaluateResult(result, metric)).to.equal("Inconclusive");
    });

    it("is valid PromQL per `promtool check rules`", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-promtool-"));
        try {
            fs.writeFileSync(path.join(dir, "analysis.yml"), stringify({ groups: [{ name: "canary-analysis", rules: [{ record: "canary:error_ratio:rate2m", expr: queryFor(metric, "web-canary") }] }] }));
            const result = runTool("promtool", ["check", "rules", path.join(dir, "analysis.yml")]);
            expect(result.status, result.output).to.equal(0);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
