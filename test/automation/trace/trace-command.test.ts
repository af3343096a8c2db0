import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { stringify } from "yaml";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { REPO_ROOT } from "../../harness";
import { paved as pavedInProcess } from "../runner/paved";
import { Loopback, latencyHistogramExporter, serve, startPrometheus } from "../../loopback";
import { parseTraceQl } from "../../components/observability/traceql";
import { API_TRACES, CHECKOUT_TRACES, TRACES_BY_SERVICE, searchResponse, traceByIdResponse } from "./tempo-fixtures";
import { pavedArgs } from "../../paved-binary";

/**
 * `paved trace` through the real binary (a child process), against a real Prometheus (Debian's
 * package) on loopback scraping latency histograms, and a loopback server answering Tempo's HTTP
 * API with bodies shaped like its documentation (tempo-fixtures.ts cites it). There is no Tempo
 * binary on these machines, so Tempo itself does not run here.
 *
 * Histograms, as cumulative shares per bucket bound; the expected quantiles are Prometheus's
 * linear interpolation worked by hand:
 * - checkout: p50 at the 0.3 bound (rank 0.5 = cumulative 0.5) = 300 ms; p99 in (1, 2.5]:
 *   1 + 1.5 × (0.99 − 0.7) / (1 − 0.7) = 2.45 s; 50 % within 300 ms against a 99 % objective.
 * - api: p50 in (0, 0.05]: 0.05 × 0.5 / 0.6 = 41.7 ms; p99 in (0.1, 0.25]:
 *   0.1 + 0.15 × (0.99 − 0.95) / (0.995 − 0.95) = 233.3 ms; 100 % within 300 ms.
 */
const HISTOGRAMS = {
    checkout: { "0.1": 0.3, "0.3": 0.5, "1": 0.7, "2.5": 1 },
    api: { "0.05": 0.6, "0.1": 0.95, "0.25": 0.995, "0.3": 1 },
};
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
const GRAFANA = "https://grafana.shop.example.com";

/** A project whose one stack declares latency objectives for checkout and api (what `--stack` reads). */
function project(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-trace-"));
    fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const slo = (service: string) => ({
        service,
        objective: 99.9,
        totalSelector: `http_requests_total{service="${service}"}`,
        errorSelector: `http_requests_total{service="${service}",code=~"5.."}`,
        latency: { metric: "http_request_duration_seconds", matchers: `service="${service}"`, thresholdSeconds: 0.3, objective: 99 },
    });
    fs.writeFileSync(path.join(dir, "Pulumi.shop.yaml"), stringify({ config: { "paved:observability": { slos: [slo("checkout"), slo("api")] } } }));
    return dir;
}

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** The real `paved` binary, run asynchronously: the loopback servers answer from this process meanwhile. */
function paved(args: string[], projectDir: string): Promise<Run> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, pavedArgs(args), {
            cwd: REPO_ROOT,
            env: { ...process.env, PAVED_PROJECT_DIR: projectDir },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

describe("paved trace (the real binary, real Prometheus, Tempo's API on loopback)", function () {
    this.timeout(120_000);
    let exporter: Loopback;
    let prometheus: Loopback;
    let tempo: Loopback;
    const tempoRequests: URL[] = [];
    let dir: string;
    let flags: string[];

    before(async () => {
        exporter = await latencyHistogramExporter(HISTOGRAMS);
        prometheus = await startPrometheus([exporter.url], async (url) => {
            const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('rate(http_request_duration_seconds_count{service="api"}[1m]) > 0')}`);
            return ((await res.json()) as { data: { result: unknown[] } }).data.result.length === 1;
        });
        tempo = await serve((req, res) => {
            const url = new URL(req.url ?? "/", "http://tempo");
            tempoRequests.push(url);
            const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
            if (url.pathname === "/api/search") {
                // Tempo answers 400 to a query it cannot parse; so does this stand-in, for the subset the platform emits.
                try {
                    const conditions = parseTraceQl(url.searchParams.get("q") ?? "");
                    const service = conditions.find((c) => c.attribute === "resource.service.name")?.value as string;
                    return json(200, searchResponse(TRACES_BY_SERVICE[service] ?? []));
                } catch (e) {
                    return res.writeHead(400).end((e as Error).message);
                }
            }
            const byId = /^\/api\/v2\/traces\/([0-9a-f]+)$/.exec(url.pathname);
            const found = byId && Object.values(TRACES_BY_SERVICE).flat().find((t) => t.traceId === byId[1]);
            if (found) return json(200, traceByIdResponse(found));
            res.writeHead(404).end("trace not found");
        });
        dir = project();
        flags = ["--stack", "shop", "--prometheus", prometheus.url, "--tempo", tempo.url, "--grafana", GRAFANA];
    });

    after(async () => {
        await prometheus?.close();
        await exporter?.close();
        await tempo?.close();
    });

    it("a slow service: p99 against its objective (missed), the slowest trace first, its slowest child span and a link to it", async () => {
        const run = await paved(["trace", "checkout", "--since", "15m", "--slowest", "2", ...flags], dir);
        expect(run.status, run.stderr).to.equal(0);
        const lines = run.stdout.trim().split("\n");
        expect(lines[0]).to.match(/^checkout, last 15m \(/);
        expect(lines[1]).to.match(/^ {2}latency: p50 (\d+) ms, p99 (\d\.\d\d) s \(from its SLO histogram, http_request_duration_seconds\)$/);
        const [, p50, p99] = /p50 (\d+) ms, p99 (\d\.\d\d) s/.exec(lines[1])!;
        expect(Number(p50)).to.be.closeTo(300, 2);
        expect(Number(p99)).to.be.closeTo(2.45, 0.02);
        expect(lines[2]).to.match(/^ {2}objective: 99% of requests within 300 ms; 50\.\d% within 300 ms now: MISSES its objective$/);
        expect(lines[3]).to.equal('  slowest traces (2 of 3 found, slowest first; TraceQL { resource.service.name = "checkout" && kind = server }):');
        expect(lines.slice(4, 7)).to.have.length(3);
        expect(lines[4]).to.match(/^ {4}1\. 2\.45 s {2}checkout: POST \/checkout {2}at \d{4}-\d\d-\d\dT/);
        expect(lines[5]).to.equal("       slowest child: charge-card (payments) 2.10 s");
        expect(lines[6]).to.match(/^ {7}trace 4bf92f3577b34da6a3ce929d0e0e4736 {2}https:\/\/grafana\.shop\.example\.com\/explore\?/);
        expect(lines[7]).to.match(/^ {4}2\. 1\.32 s {2}checkout: POST \/checkout/);
        expect(lines[8]).to.equal("       slowest child: reserve-stock (inventory) 1.15 s");
        expect(lines).to.have.length(10);

        // The link opens that trace in Grafana's Tempo, around its start.
        const link = new URL(/(https:\/\/\S+)$/.exec(lines[6])![1]);
        const pane = (JSON.parse(link.searchParams.get("panes")!) as Record<string, { queries: { query: string; datasource: { uid: string } }[]; range: { from: string; to: string } }>).traces;
        expect(pane.queries[0]).to.deep.include({ query: "4bf92f3577b34da6a3ce929d0e0e4736", datasource: { type: "tempo", uid: "tempo" } });
        const startMs = Number(CHECKOUT_TRACES[1].startNs / 1_000_000n);
        expect(pane.range).to.deep.equal({ from: String(startMs - 60_000), to: String(startMs + 2450 + 60_000) });

        // What Tempo was asked: one TraceQL search over the last 15 minutes, then each shown trace by id.
        const search = tempoRequests.filter((u) => u.pathname === "/api/search" && u.searchParams.get("q")?.includes('"checkout"'));
        expect(search).to.have.length(1);
        expect(Number(search[0].searchParams.get("end")) - Number(search[0].searchParams.get("start"))).to.equal(900);
        expect(search[0].searchParams.get("limit")).to.equal("20");
        expect(tempoRequests.filter((u) => u.pathname.startsWith("/api/v2/traces/")).map((u) => u.pathname)).to.include.members([
            "/api/v2/traces/4bf92f3577b34da6a3ce929d0e0e4736",
            "/api/v2/traces/9c1d5a7e3b2f4e6d8a0b1c2d3e4f5a6b",
        ]);
    });

    it("a healthy service: latency inside its objective, and its slowest traces", async () => {
        const run = await paved(["trace", "api", "--json", ...flags], dir);
        expect(run.status, run.stderr).to.equal(0);
        const report = JSON.parse(run.stdout) as {
            latency: { p50Ms: number; p99Ms: number; objective: { fastPercent: number; met: boolean; percent: number; thresholdMs: number } };
            traces: { traceId: string; durationMs: number; slowestChild: { name: string; service: string; durationMs: number } }[];
        };
        expect(report.latency.p50Ms).to.be.closeTo(41.7, 1);
        expect(report.latency.p99Ms).to.be.closeTo(233.3, 2);
        expect(report.latency.objective).to.deep.include({ percent: 99, thresholdMs: 300, met: true });
        expect(report.latency.objective.fastPercent).to.be.closeTo(100, 0.01);
        expect(report.traces.map((t) => [t.traceId, t.durationMs])).to.deep.equal([
            [API_TRACES[1].traceId, 180],
            [API_TRACES[0].traceId, 120],
        ]);
        expect(report.traces[0].slowestChild).to.deep.equal({ name: "GET /prices", service: "pricing", durationMs: 95 });
    });

    it("a service with no traffic and no traces: a clear answer, exit 0", async () => {
        const run = await paved(["trace", "quiet", ...flags], dir);
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.include('  latency: no traffic in the last 15m (no samples of traces_spanmetrics_latency{service="quiet",span_kind="SPAN_KIND_SERVER"}): nothing to be slow');
        expect(run.stdout).to.include("  objective: none declared for this service (paved:observability.slos[].latency)");
        expect(run.stdout).to.include('  traces: none for service.name "quiet" in the last 15m (no requests, or the app is not instrumented: tracing: <language> in its app spec)');
        expect(run.stderr).to.equal("");
    });

    it("without flags, asks the stack's outputs through the driver (in-process, the in-memory driver); a flag overrides one", async () => {
        const driver = new MemoryDriver(new Set(["shop"]));
        driver.stackOutputs.set("shop", { prometheusUrl: prometheus.url, tempoUrl: tempo.url, grafanaUrl: "http://grafana.monitoring.svc.cluster.local" });
        const fromOutputs = await pavedInProcess(["trace", "checkout", "--stack", "shop", "--slowest", "1"], { driver, projectDir: dir });
        expect(fromOutputs.code, fromOutputs.err.join("\n")).to.equal(0);
        expect(fromOutputs.out).to.have.length(7);
        expect(fromOutputs.out[4]).to.match(/^ {4}1\. 2\.45 s {2}checkout: POST \/checkout/);
        expect(fromOutputs.out[6]).to.match(/^ {7}trace 4bf92f3577b34da6a3ce929d0e0e4736 {2}http:\/\/grafana\.monitoring\.svc\.cluster\.local\/explore\?/);
        const overridden = await pavedInProcess(["trace", "checkout", "--stack", "shop", "--slowest", "1", "--grafana", GRAFANA], { driver, projectDir: dir });
        expect(overridden.out[6]).to.match(/^ {7}trace 4bf92f3577b34da6a3ce929d0e0e4736 {2}https:\/\/grafana\.shop\.example\.com\/explore\?/);
        // A stack without an observability stack has no such outputs: a usage error naming the flag to pass.
        driver.stackOutputs.set("shop", {});
        const none = await pavedInProcess(["trace", "checkout", "--stack", "shop"], { driver, projectDir: dir });
        expect(none.code).to.equal(2);
        expect(none.err).to.deep.equal(["paved: stack shop has no prometheusUrl output (its observability stack is off, or not deployed yet); pass --prometheus <url>"]);
    });

    it("bad usage exits 2 with one line and no stack trace; an unreachable Tempo exits 1 naming it", async () => {
        const noEndpoints = await paved(["trace", "api"], dir);
        expect(noEndpoints.status).to.equal(2);
        expect(noEndpoints.stderr.trim()).to.equal("paved: paved trace needs --stack (whose outputs name Prometheus, Tempo and Grafana) or all of --prometheus, --tempo and --grafana; missing: --prometheus, --tempo, --grafana; e.g. paved trace api --stack dev");
        const badSince = await paved(["trace", "api", "--since", "soon", ...flags], dir);
        expect(badSince.status).to.equal(2);
        expect(badSince.stderr).to.include('got --since "soon": a duration in s, m, h or d, e.g. --since 15m').and.not.match(STACK_FRAME);
        const down = await paved(["trace", "api", "--stack", "shop", "--prometheus", prometheus.url, "--tempo", "http://127.0.0.1:9", "--grafana", GRAFANA], dir);
        expect(down.status).to.equal(1);
        expect(down.stderr).to.match(/^paved: Tempo at http:\/\/127\.0\.0\.1:9 did not answer/).and.not.match(STACK_FRAME);
    });
});
