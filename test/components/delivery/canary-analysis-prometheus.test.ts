import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { stringify } from "yaml";
import { analysisVerdict, errorRatioQuery } from "../../../components/delivery/analysis";
import { instantValue } from "../../../automation/health/prometheus-query";
import { Loopback, requestCounterExporter, startPrometheus } from "../../loopback";

/**
 * The canary analysis against a real Prometheus (Debian's package) on loopback, scraping a small
 * exporter that serves two canaries: one failing 0.1 % of requests, one failing 5 %.
 */
const CANARIES = { "good-canary": 0.001, "bad-canary": 0.05 };

/** The query's result as Argo Rollouts sees it: a vector, empty when there is no traffic. */
async function query(base: string, promql: string): Promise<number[]> {
    const value = await instantValue(base, promql, 5_000);
    return value === undefined ? [] : [value];
}

describe("canary analysis against a real Prometheus on loopback", function () {
    this.timeout(60_000);
    let exporter: Loopback;
    let prometheus: Loopback;

    before(async () => {
        exporter = await requestCounterExporter(CANARIES);
        prometheus = await startPrometheus([exporter.url], async (url) => {
            const results = await Promise.all(Object.keys(CANARIES).map((s) => query(url, errorRatioQuery(s))));
            return results.every((r) => r.length === 1);
        });
    });

    after(async () => {
        await prometheus?.close();
        await exporter?.close();
    });

    it("passes the success condition for a canary with 0.1 % 5xx", async () => {
        const result = await query(prometheus.url, errorRatioQuery("good-canary"));
        expect(result[0]).to.be.closeTo(0.001, 0.0005);
        expect(analysisVerdict(result, 0.01)).to.equal("Successful");
    });

    it("fails it for a canary with 5 % 5xx", async () => {
        const result = await query(prometheus.url, errorRatioQuery("bad-canary"));
        expect(result[0]).to.be.closeTo(0.05, 0.005);
        expect(analysisVerdict(result, 0.01)).to.equal("Failed");
    });

    it("is inconclusive for a canary with no traffic yet", async () => {
        expect(analysisVerdict(await query(prometheus.url, errorRatioQuery("quiet-canary")), 0.01)).to.equal("Inconclusive");
    });

    it("is valid PromQL per `promtool check rules`", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-promtool-"));
        try {
            fs.writeFileSync(path.join(dir, "analysis.yml"), stringify({ groups: [{ name: "canary-analysis", rules: [{ record: "canary:error_ratio:rate2m", expr: errorRatioQuery("web-canary") }] }] }));
            const result = spawnSync("promtool", ["check", "rules", path.join(dir, "analysis.yml")], { encoding: "utf8" });
            expect(result.status, `${result.stdout}${result.stderr}`).to.equal(0);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
