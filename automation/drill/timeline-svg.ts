import { DrillResult } from "./drill";

const COLORS = { primary: "#2563eb", standby: "#f59e0b", failed: "#dc2626", other: "#6b7280" };
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * The drill as an SVG timeline: one cell per probe of the global endpoint, coloured by the region
 * that served it (red: no answer), the injection / failover / failback / restore marks, and the
 * RTO against the objective. Self-contained: no scripts, no external fonts or images.
 */
export function timelineSvg(result: DrillResult): string {
    const width = 960;
    const left = 60;
    const right = 30;
    const samples = result.samples;
    const end = Math.max(1, ...samples.map((s) => s.t), ...result.marks.map((m) => m.t)) * 1.02;
    const start = Math.min(...samples.map((s) => s.t), ...result.marks.map((m) => m.t), end);
    const x = (t: number) => left + ((t - start) / (end - start)) * (width - left - right);
    const parts: string[] = [];
    const title = `${result.rehearsal ? "Rehearsal — " : ""}region-failover drill ${result.targets.primary} → ${result.targets.standby}`;
    parts.push(`<text x="${left}" y="28" font-size="18" font-weight="bold">${escape(title)}</text>`);
    parts.push(`<text x="${left}" y="50" font-size="13">${escape(`${result.startedAt} · outcome: ${result.outcome}${result.reason ? ` (${result.reason})` : ""}`)}</text>`);

    // Which region served each probe.
    samples.forEach((s, i) => {
        const next = samples[i + 1]?.t ?? s.t + result.settings.probeInterval;
        const color = s.error ? COLORS.failed : s.region === result.regions.primary ? COLORS.primary : s.region === result.regions.standby ? COLORS.standby : COLORS.other;
        parts.push(`<rect x="${x(s.t).toFixed(1)}" y="80" width="${Math.max(1, x(Math.min(next, s.t + result.settings.probeInterval)) - x(s.t)).toFixed(1)}" height="40" fill="${color}"><title>${s.t.toFixed(1)} s: ${escape(s.region ?? s.error ?? "")}</title></rect>`);
    });
    parts.push(`<line x1="${left}" y1="126" x2="${width - right}" y2="126" stroke="#111" />`);
    for (let t = Math.ceil(start / 10) * 10; t <= end; t += Math.max(10, Math.round((end - start) / 100) * 10)) {
        parts.push(`<line x1="${x(t).toFixed(1)}" y1="126" x2="${x(t).toFixed(1)}" y2="131" stroke="#111" /><text x="${x(t).toFixed(1)}" y="144" font-size="10" text-anchor="middle">${t} s</text>`);
    }
    // Marks.
    result.marks.forEach((m, i) => {
        parts.push(`<line x1="${x(m.t).toFixed(1)}" y1="66" x2="${x(m.t).toFixed(1)}" y2="126" stroke="#111" stroke-dasharray="3,2" />`);
        parts.push(`<text x="${x(m.t).toFixed(1)}" y="${160 + (i % 2) * 14}" font-size="11" text-anchor="middle">${escape(m.name)}</text>`);
    });
    // RTO against the objective.
    const barWidth = width - left - right;
    const scale = Math.max(result.settings.objectiveSeconds, result.rtoSeconds ?? 0) * 1.1;
    parts.push(`<text x="${left}" y="208" font-size="13">${escape(result.rtoSeconds === undefined ? "RTO: not measured" : `RTO ${result.rtoSeconds.toFixed(1)} s (objective ${result.settings.objectiveSeconds} s)`)}</text>`);
    if (result.rtoSeconds !== undefined) {
        const met = result.rtoSeconds <= result.settings.objectiveSeconds;
        parts.push(`<rect x="${left}" y="216" width="${((result.rtoSeconds / scale) * barWidth).toFixed(1)}" height="14" fill="${met ? "#16a34a" : COLORS.failed}" />`);
    }
    const objectiveX = left + (result.settings.objectiveSeconds / scale) * barWidth;
    parts.push(`<line x1="${objectiveX.toFixed(1)}" y1="212" x2="${objectiveX.toFixed(1)}" y2="234" stroke="#111" stroke-width="2" /><text x="${objectiveX.toFixed(1)}" y="246" font-size="10" text-anchor="middle">objective</text>`);
    // Legend.
    const legend: [string, string][] = [[COLORS.primary, `primary (${result.regions.primary})`], [COLORS.standby, `standby (${result.regions.standby})`], [COLORS.failed, "no answer"]];
    legend.forEach(([color, label], i) => parts.push(`<rect x="${left + i * 200}" y="262" width="12" height="12" fill="${color}" /><text x="${left + i * 200 + 18}" y="273" font-size="12">${escape(label)}</text>`));
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="290" viewBox="0 0 ${width} 290" font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff" />\n${parts.join("\n")}\n</svg>\n`;
}
