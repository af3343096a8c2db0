/**
 * `paved trace <service>`: "why is it slow?" from a terminal. Its latency now against its objective
 * (Prometheus), then the slowest traces of the window (Tempo's TraceQL search), each with its root
 * span, duration, slowest child span and a Grafana link. No traffic or no traces is an answer, not
 * an error. Endpoints come from the stack's outputs (prometheusUrl, tempoUrl, grafanaUrl) through the
 * driver; --prometheus/--tempo/--grafana override them, and with all three no backend is needed.
 */
import type { SloSpec } from "../../components/observability/slo";
import { tempoExploreLink } from "../../components/observability/trace-links";
import type { StackDriver } from "../driver/port";
import { readStackConfig } from "../offline/stack-file";
import { EXIT } from "../exit-codes";
import { RunnerUsageError } from "../runner/usage-error";
import { LatencyNow, latencyNow } from "./latency";
import { slowestChild, searchTraces, traceSpans } from "./tempo";

export interface TraceRequest {
    readonly stack?: string;
    readonly since: string;
    readonly slowest: string;
    readonly json?: boolean;
    readonly prometheus?: string;
    readonly tempo?: string;
    readonly grafana?: string;
}

export interface TraceDeps {
    readonly projectDir: string;
    /** Asked only when a flag does not give an endpoint, so the flags need no Pulumi backend. */
    readonly driver: () => StackDriver;
    readonly log: (line: string) => void;
    readonly now?: () => Date;
}

const TIMEOUT_MS = 10_000;
/** Tempo returns the traces it finds first, not the slowest: ask for this many candidates per trace shown. */
const CANDIDATES_PER_TRACE = 10;

function sinceSeconds(since: string): number {
    const m = /^([1-9]\d*)(s|m|h|d)$/.exec(since);
    if (!m) throw new RunnerUsageError(`got --since "${since}": a duration in s, m, h or d, e.g. --since 15m`);
    return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as "s" | "m" | "h" | "d"];
}

function urlOption(flag: string, value: string): string {
    if (!/^https?:\/\/[^\s/]+/.test(value)) throw new RunnerUsageError(`got --${flag} "${value}": an http(s) URL, e.g. --${flag} http://127.0.0.1:9090`);
    return value.replace(/\/$/, "");
}

/** The service's SLO as the stack file declares it, when there is a stack and it declares one. */
function sloOf(projectDir: string, stack: string | undefined, service: string): SloSpec | undefined {
    if (!stack) return undefined;
    const raw = readStackConfig(projectDir, stack).config["paved:observability"];
    const slos = raw ? ((JSON.parse(raw) as { slos?: SloSpec[] }).slos ?? []) : [];
    return slos.find((s) => s.service === service);
}

async function endpoints(request: TraceRequest, deps: TraceDeps): Promise<{ prometheus: string; tempo: string; grafana: string }> {
    const given = { prometheus: request.prometheus, tempo: request.tempo, grafana: request.grafana };
    const missing = (Object.keys(given) as (keyof typeof given)[]).filter((k) => given[k] === undefined);
    let outputs: Record<string, unknown> = {};
    if (missing.length > 0) {
        if (!request.stack) throw new RunnerUsageError(`paved trace needs --stack (whose outputs name Prometheus, Tempo and Grafana) or all of --prometheus, --tempo and --grafana; missing: ${missing.map((m) => `--${m}`).join(", ")}; e.g. paved trace api --stack dev`);
        outputs = await deps.driver().outputs(request.stack);
    }
    const pick = (key: keyof typeof given, output: string) => {
        const value = given[key] ?? outputs[output];
        if (typeof value !== "string") throw new RunnerUsageError(`stack ${request.stack} has no ${output} output (its observability stack is off, or not deployed yet); pass --${key} <url>`);
        return urlOption(key, value);
    };
    return { prometheus: pick("prometheus", "prometheusUrl"), tempo: pick("tempo", "tempoUrl"), grafana: pick("grafana", "grafanaUrl") };
}

export interface SlowTrace {
    readonly traceId: string;
    readonly start: string;
    readonly durationMs: number;
    readonly root: { readonly service: string; readonly name: string };
    readonly slowestChild?: { readonly name: string; readonly service: string; readonly durationMs: number };
    readonly link: string;
}

export interface TraceReport {
    readonly service: string;
    readonly window: { readonly since: string; readonly start: string; readonly end: string };
    readonly latency: LatencyNow;
    readonly traceQl: string;
    readonly traces: readonly SlowTrace[];
    /** How many traces Tempo returned for the search, of which the slowest are shown. */
    readonly tracesFound: number;
}

export async function traceReport(service: string, request: TraceRequest, deps: TraceDeps): Promise<TraceReport> {
    if (!/^[a-zA-Z0-9][\w.-]*$/.test(service)) throw new RunnerUsageError(`got service "${service}": a service name as in its traces' service.name, e.g. paved trace api`);
    const windowSeconds = sinceSeconds(request.since);
    if (!/^[1-9]\d*$/.test(request.slowest)) throw new RunnerUsageError(`got --slowest "${request.slowest}": a positive whole number, e.g. --slowest 5`);
    const slowest = Number(request.slowest);
    const slo = sloOf(deps.projectDir, request.stack, service);
    const urls = await endpoints(request, deps);
    const end = Math.floor((deps.now?.() ?? new Date()).getTime() / 1000);
    const start = end - windowSeconds;

    const latency = await latencyNow(urls.prometheus, service, slo, request.since, TIMEOUT_MS);
    const traceQl = `{ resource.service.name = "${service}" && kind = server }`;
    const found = await searchTraces(urls.tempo, { traceQl, start, end, limit: slowest * CANDIDATES_PER_TRACE, spansPerSpanSet: 1 }, TIMEOUT_MS);
    const slowestFirst = [...found].sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0)).slice(0, slowest);
    const traces: SlowTrace[] = [];
    for (const t of slowestFirst) {
        const spans = await traceSpans(urls.tempo, t.traceID, { start, end }, TIMEOUT_MS);
        const child = slowestChild(spans, t.spanSets?.[0]?.spans?.[0]?.spanID);
        const startMs = t.startTimeUnixNano ? Number(BigInt(t.startTimeUnixNano) / 1_000_000n) : start * 1000;
        traces.push({
            traceId: t.traceID,
            start: new Date(startMs).toISOString(),
            durationMs: t.durationMs ?? 0,
            root: { service: t.rootServiceName ?? "root not received yet", name: t.rootTraceName ?? "" },
            ...(child ? { slowestChild: { name: child.name, service: child.service, durationMs: child.durationMs } } : {}),
            // The trace by id, over a minute either side of its start.
            link: tempoExploreLink(t.traceID, { from: String(startMs - 60_000), to: String(startMs + (t.durationMs ?? 0) + 60_000) }, urls.grafana),
        });
    }
    return { service, window: { since: request.since, start: new Date(start * 1000).toISOString(), end: new Date(end * 1000).toISOString() }, latency, traceQl, traces, tracesFound: found.length };
}

const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`);

export function formatTraceReport(r: TraceReport): string[] {
    const lines = [`${r.service}, last ${r.window.since} (${r.window.start} → ${r.window.end})`];
    const l = r.latency;
    if (l.p50Ms === undefined || l.p99Ms === undefined) {
        lines.push(`  latency: no traffic in the last ${r.window.since} (no samples of ${l.source.metric}{${l.source.matchers}}): nothing to be slow`);
    } else {
        lines.push(`  latency: p50 ${ms(l.p50Ms)}, p99 ${ms(l.p99Ms)} (from ${l.source.from === "slo" ? "its SLO histogram" : "span metrics"}, ${l.source.metric})`);
    }
    if (l.objective) {
        const o = l.objective;
        const now = o.fastPercent === undefined ? "no requests to measure" : `${o.fastPercent.toFixed(1)}% within ${ms(o.thresholdMs)} now`;
        const verdict = o.met === undefined ? "" : o.met ? ": meets its objective" : ": MISSES its objective";
        lines.push(`  objective: ${o.percent}% of requests within ${ms(o.thresholdMs)}; ${now}${verdict}`);
    } else {
        lines.push("  objective: none declared for this service (paved:observability.slos[].latency)");
    }
    if (r.traces.length === 0) {
        lines.push(`  traces: none for service.name "${r.service}" in the last ${r.window.since} (no requests, or the app is not instrumented: tracing: <language> in its app spec)`);
        return lines;
    }
    lines.push(`  slowest traces (${r.traces.length} of ${r.tracesFound} found, slowest first; TraceQL ${r.traceQl}):`);
    r.traces.forEach((t, i) => {
        const child = t.slowestChild ? `slowest child: ${t.slowestChild.name} (${t.slowestChild.service}) ${ms(t.slowestChild.durationMs)}` : "no child spans";
        lines.push(`    ${i + 1}. ${ms(t.durationMs)}  ${t.root.service}: ${t.root.name}  at ${t.start}`);
        lines.push(`       ${child}`);
        lines.push(`       trace ${t.traceId}  ${t.link}`);
    });
    return lines;
}

export async function traceCommand(service: string, request: TraceRequest, deps: TraceDeps): Promise<number> {
    const report = await traceReport(service, request, deps);
    if (request.json) deps.log(JSON.stringify(report, undefined, 2));
    else for (const line of formatTraceReport(report)) deps.log(line);
    return EXIT.ok;
}
