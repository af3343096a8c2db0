/**
 * Real servers on loopback for tests: plain HTTP services, a Prometheus exporter and Debian's
 * Prometheus server scraping it. Nothing listens beyond 127.0.0.1.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { toolPath } from "./tools";

export interface Loopback {
    readonly url: string;
    close(): Promise<void>;
}

/** An HTTP server on a free loopback port; `url` is its base, without a trailing slash. */
export function serve(handler: http.RequestListener): Promise<Loopback & { readonly server: http.Server }> {
    const server = http.createServer(handler);
    return new Promise((resolve) =>
        server.listen(0, "127.0.0.1", () => {
            const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
            resolve({ url, server, close: () => new Promise<void>((r) => server.close(() => r())) });
        }),
    );
}

export async function freePort(): Promise<number> {
    const s = await serve(() => undefined);
    await s.close();
    return Number(new URL(s.url).port);
}

/**
 * An exporter of `http_requests_total` counters growing at `rps` per series, failing the given
 * share with code 500: `{ "good": 0.001 }` exports service="good" with 0.1 % errors.
 */
export function requestCounterExporter(errorShares: Readonly<Record<string, number>>, rps = 200): Promise<Loopback> {
    const started = Date.now();
    return serve((_req, res) => {
        const total = (rps * (Date.now() - started)) / 1000;
        const lines = ["# TYPE http_requests_total counter"];
        for (const [service, share] of Object.entries(errorShares)) {
            lines.push(`http_requests_total{service="${service}",code="200"} ${total * (1 - share)}`);
            lines.push(`http_requests_total{service="${service}",code="500"} ${total * share}`);
        }
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(`${lines.join("\n")}\n`);
    });
}

/**
 * An exporter of `http_request_duration_seconds` histograms (label `service`) growing at `rps` per
 * service. Each service maps bucket bounds to the cumulative share of its requests at or below them,
 * e.g. `{ api: { "0.1": 0.9, "0.3": 1 } }`: 90 % within 100 ms, all within 300 ms.
 */
export function latencyHistogramExporter(cumulativeShares: Readonly<Record<string, Readonly<Record<string, number>>>>, rps = 200): Promise<Loopback> {
    const started = Date.now();
    return serve((_req, res) => {
        const total = (rps * (Date.now() - started)) / 1000;
        const lines = ["# TYPE http_request_duration_seconds histogram"];
        for (const [service, shares] of Object.entries(cumulativeShares)) {
            for (const [le, share] of Object.entries(shares)) lines.push(`http_request_duration_seconds_bucket{service="${service}",le="${le}"} ${total * share}`);
            lines.push(`http_request_duration_seconds_bucket{service="${service}",le="+Inf"} ${total}`);
            lines.push(`http_request_duration_seconds_sum{service="${service}"} ${total * 0.1}`);
            lines.push(`http_request_duration_seconds_count{service="${service}"} ${total}`);
        }
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(`${lines.join("\n")}\n`);
    });
}

/**
 * Debian's Prometheus on a free loopback port, scraping `targets` every second. Resolves once
 * `ready(url)` holds (polled, at most 30 s) — e.g. until a rate has enough samples.
 */
export async function startPrometheus(targets: readonly string[], ready: (url: string) => Promise<boolean>): Promise<Loopback> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-prometheus-"));
    fs.writeFileSync(path.join(dir, "prometheus.yml"), stringify({
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        scrape_configs: [{ job_name: "loopback", static_configs: [{ targets: targets.map((t) => new URL(t).host) }] }],
    }));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const prometheus: ChildProcess = spawn(toolPath("prometheus"), [
        `--config.file=${path.join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
    ], { stdio: "ignore" });
    prometheus.on("error", () => undefined);
    const close = () => {
        prometheus.kill("SIGTERM");
        fs.rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
    };
    const deadline = Date.now() + 30_000;
    for (;;) {
        if (prometheus.exitCode !== null || !prometheus.pid) {
            await close();
            throw new Error(`prometheus did not start (exit code ${prometheus.exitCode}): check it with \`prometheus --version\`, or run \`npm run setup\``);
        }
        if (await ready(url).catch(() => false)) return { url, close };
        if (Date.now() > deadline) {
            await close();
            throw new Error("prometheus was not ready within 30 s");
        }
        await new Promise((r) => setTimeout(r, 500));
    }
}
