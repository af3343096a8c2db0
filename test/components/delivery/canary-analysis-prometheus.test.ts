import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { stringify } from "yaml";
import { analysisVerdict, errorRatioQuery } from "../../../components/delivery/analysis";

/**
 * The canary analysis against a real Prometheus (Debian's package) on loopback, scraping a small
 * exporter that serves two canaries: one failing 0.1 % of requests, one failing 5 %.
 */
const CANARIES = { "good-canary": 0.001, "bad-canary": 0.05 };
const RPS = 200;

function startExporter(): Promise<http.Server> {
    const started = Date.now();
    const server = http.createServer((_req, res) => {
        const seconds = (Date.now() - started) / 1000;
        const lines = ["# TYPE http_requests_total counter"];
        for (const [service, errorShare] of Object.entries(CANARIES)) {
            const total = RPS * seconds;
            lines.push(`http_requests_total{service="${service}",code="200"} ${total * (1 - errorShare)}`);
            lines.push(`http_requests_total{service="${service}",code="500"} ${total * errorShare}`);
        }
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(`${lines.join("\n")}\n`);
    });
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const s = http.createServer().listen(0, "127.0.0.1", () => {
            const { port } = s.address() as AddressInfo;
            s.close(() => resolve(port));
        });
    });
}

async function query(base: string, promql: string): Promise<number[]> {
    const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data: { result: { value: [number, string] }[] } };
    if (body.status !== "success") throw new Error(`query failed: ${JSON.stringify(body)}`);
    return body.data.result.map((r) => Number(r.value[1]));
}

describe("canary analysis against a real Prometheus on loopback", function () {
    this.timeout(60_000);
    let exporter: http.Server;
    let prometheus: ChildProcess;
    let base: string;
    let dir: string;

    before(async () => {
        exporter = await startExporter();
        const target = `127.0.0.1:${(exporter.address() as AddressInfo).port}`;
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-prometheus-"));
        fs.writeFileSync(path.join(dir, "prometheus.yml"), stringify({
            global: { scrape_interval: "1s", evaluation_interval: "1s" },
            scrape_configs: [{ job_name: "canaries", static_configs: [{ targets: [target] }] }],
        }));
        const port = await freePort();
        base = `http://127.0.0.1:${port}`;
        prometheus = spawn("prometheus", [
            `--config.file=${path.join(dir, "prometheus.yml")}`,
            `--storage.tsdb.path=${path.join(dir, "data")}`,
            `--web.listen-address=127.0.0.1:${port}`,
        ], { stdio: "ignore" });
        prometheus.on("error", () => undefined);
        // Bounded wait: until both canaries have enough samples for a rate (or 30 s).
        const deadline = Date.now() + 30_000;
        for (;;) {
            if (prometheus.exitCode !== null || !prometheus.pid) throw new Error("prometheus did not start: install Debian's prometheus package (apt-get install -y prometheus)");
            try {
                const results = await Promise.all(Object.keys(CANARIES).map((s) => query(base, errorRatioQuery(s))));
                if (results.every((r) => r.length === 1 && !Number.isNaN(r[0]))) break;
            } catch {
                // not up yet
            }
            if (Date.now() > deadline) throw new Error("prometheus did not produce rates within 30 s");
            await new Promise((r) => setTimeout(r, 500));
        }
    });

    after(() => {
        prometheus?.kill("SIGTERM");
        exporter?.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("passes the success condition for a canary with 0.1 % 5xx", async () => {
        const result = await query(base, errorRatioQuery("good-canary"));
        expect(result[0]).to.be.closeTo(0.001, 0.0005);
        expect(analysisVerdict(result, 0.01)).to.equal("Successful");
    });

    it("fails it for a canary with 5 % 5xx", async () => {
        const result = await query(base, errorRatioQuery("bad-canary"));
        expect(result[0]).to.be.closeTo(0.05, 0.005);
        expect(analysisVerdict(result, 0.01)).to.equal("Failed");
    });

    it("is inconclusive for a canary with no traffic yet", async () => {
        expect(analysisVerdict(await query(base, errorRatioQuery("quiet-canary")), 0.01)).to.equal("Inconclusive");
    });

    it("is valid PromQL per `promtool check rules`", () => {
        fs.writeFileSync(path.join(dir, "analysis.yml"), stringify({ groups: [{ name: "canary-analysis", rules: [{ record: "canary:error_ratio:rate2m", expr: errorRatioQuery("web-canary") }] }] }));
        const result = spawnSync("promtool", ["check", "rules", path.join(dir, "analysis.yml")], { encoding: "utf8" });
        expect(result.status, `${result.stdout}${result.stderr}`).to.equal(0);
    });
});
