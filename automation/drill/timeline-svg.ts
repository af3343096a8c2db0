import { DrillResult } from "./drill";

const COLORS = { primary: "#2563eb", standby: "#f59e0b", failed: "#dc2626", other: "#6b7280", gap: "#d1d5db", met: "#16a34a" };
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Spans with no probe of the global endpoint: longer than two probe intervals without a sample. */
export function probeGaps(result: DrillResult, start: number, end: number): [number, number][] {
    const interval = result.settings.probeInterval;
    const times = [...result.samples.map((s) => s.t)].sort((a, b) => a - b);
    const edges = [start - interval, ...times, end + interval];
    const gaps: [number, number][] = [];
    for (let i = 1; i < edges.length; i++) {
        if (edges[i] - edges[i - 1] > 2 * interval) gaps.push([Math.max(start, edges[i - 1] + interval), Math.min(end, edges[i])]);
    }
    return gaps.filter(([a, b]) => b > a);
}

/**
 * The drill as an SVG timeline from promotion to restore, on one time axis: one cell per probe of
 * the global endpoint, coloured by the region that served it (red: no answer, grey: no probe),
 * the marks, and the RTO and fail-back bars against their objectives on the same axis.
 * Self-contained: no scripts, no external fonts or images.
 */
export function timelineSvg(result: DrillResult): string {
    const width = 960;
    const left = 60;
    const right = 30;
    const samples = result.samples;
    const times = [...samples.map((s) => s.t), ...result.marks.map((m) => m.t)];
    const promote = result.marks.find((m) => m.name === "promote")?.t;
    const start = promote ?? Math.min(...times, 0);
    const end = Math.max(start + 1, ...times);
    const x = (t: number) => left + ((t - start) / (end - start)) * (width - left - right);
    const w = (a: number, b: number) => Math.max(1, x(b) - x(a)).toFixed(1);
    const parts: string[] = [];
    const title = `${result.rehearsal ? "Rehearsal — " : ""}region-failover drill ${result.targets.primary} → ${result.targets.standby}`;
    parts.push(`<text x="${left}" y="28" font-size="18" font-weight="bold">${escape(title)}</text>`);
    parts.push(`<text x="${left}" y="50" font-size="13">${escape(`${result.startedAt} · outcome: ${result.outcome}${result.reason ? ` (${result.reason.slice(0, 90)})` : ""}`)}</text>`);

    // Which region served each probe; gaps without probes drawn as such.
    for (const [a, b] of probeGaps(result, start, end)) {
        parts.push(`<rect x="${x(a).toFixed(1)}" y="80" width="${w(a, b)}" height="40" fill="${COLORS.gap}"><title>${a.toFixed(1)}–${b.toFixed(1)} s: no probe</title></rect>`);
    }
    const sorted = [...samples].sort((a, b) => a.t - b.t);
    sorted.forEach((s, i) => {
        const next = Math.min(sorted[i + 1]?.t ?? Infinity, s.t + result.settings.probeInterval, end);
        const color = s.error ? COLORS.failed : s.region === result.regions.primary ? COLORS.primary : s.region === result.regions.standby ? COLORS.standby : COLORS.other;
        parts.push(`<rect x="${x(s.t).toFixed(1)}" y="80" width="${w(s.t, next)}" height="40" fill="${color}"><title>${s.t.toFixed(1)} s: ${escape(s.region ?? s.error ?? "")}</title></rect>`);
    });
    parts.push(`<line x1="${left}" y1="126" x2="${width - right}" y2="126" stroke="#111" />`);
    const step = Math.max(10, Math.ceil((end - start) / 8 / 10) * 10);
    for (let t = Math.ceil(start / step) * step; t <= end; t += step) {
        parts.push(`<line x1="${x(t).toFixed(1)}" y1="126" x2="${x(t).toFixed(1)}" y2="131" stroke="#111" /><text x="${x(t).toFixed(1)}" y="144" font-size="10" text-anchor="middle">${t} s</text>`);
    }
    result.marks.forEach((m, i) => {
        parts.push(`<line x1="${x(m.t).toFixed(1)}" y1="66" x2="${x(m.t).toFixed(1)}" y2="126" stroke="#111" stroke-dasharray="3,2" />`);
        parts.push(`<text x="${x(m.t).toFixed(1)}" y="${158 + (i % 3) * 12}" font-size="10" text-anchor="middle">${escape(m.name)}</text>`);
    });

    // RTO and fail-back against their objectives, on the timeline's own axis.
    const mark = (name: string) => result.marks.find((m) => m.name === name)?.t;
    const bar = (y: number, label: string, from: number | undefined, to: number | undefined, objective: number) => {
        const measured = from !== undefined && to !== undefined ? to - from : undefined;
        parts.push(`<text x="${left}" y="${y - 4}" font-size="12">${escape(measured === undefined ? `${label}: not measured` : `${label} ${measured.toFixed(1)} s (objective ${objective} s)`)}</text>`);
        if (from === undefined) return;
        if (measured !== undefined) parts.push(`<rect x="${x(from).toFixed(1)}" y="${y}" width="${w(from, to!)}" height="10" fill="${measured <= objective ? COLORS.met : COLORS.failed}" />`);
        const ox = Math.min(width - right, x(from + objective)).toFixed(1);
        parts.push(`<line x1="${ox}" y1="${y - 2}" x2="${ox}" y2="${y + 12}" stroke="#111" stroke-width="2"><title>${escape(label)} objective</title></line>`);
    };
    bar(210, "RTO", mark("injected"), mark("failed over"), result.settings.objectiveSeconds);
    bar(240, "fail-back", mark("failback"), result.marks.filter((m) => m.name === "restored").at(-1)?.t, result.settings.failbackObjectiveSeconds);

    const legend: [string, string][] = [[COLORS.primary, `primary (${result.regions.primary})`], [COLORS.standby, `standby (${result.regions.standby})`], [COLORS.failed, "no answer"], [COLORS.gap, "no probe"], [COLORS.met, "met (│ objective)"]];
    legend.forEach(([color, label], i) => parts.push(`<rect x="${left + i * 175}" y="266" width="12" height="12" fill="${color}" /><text x="${left + i * 175 + 18}" y="277" font-size="11">${escape(label)}</text>`));
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="290" viewBox="0 0 ${width} 290" font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff" />\n${parts.join("\n")}\n</svg>\n`;
}
