import * as fs from "node:fs";
import * as path from "node:path";
import { DrillResult } from "./drill";
import { timelineSvg } from "./timeline-svg";

const pct = (share?: number) => (share === undefined ? "not measured" : `${(share * 100).toFixed(2)} %`);

export function drillMarkdown(result: DrillResult): string {
    const title = `${result.rehearsal ? "Rehearsal: " : ""}region-failover drill, ${result.targets.primary} → ${result.targets.standby}`;
    const rows: [string, string][] = [
        ["outcome", `**${result.outcome}**${result.reason ? ` — ${result.reason}` : ""}`],
        ["started", result.startedAt],
        ["stacks", `primary ${result.targets.primary} (${result.regions.primary}), standby ${result.targets.standby} (${result.regions.standby}), global ${result.targets.global}`],
        ["RTO", result.rtoSeconds === undefined ? "not measured" : `${result.rtoSeconds.toFixed(1)} s (objective ${result.settings.objectiveSeconds} s: ${result.rtoSeconds <= result.settings.objectiveSeconds ? "met" : "missed"})`],
        ["worst case for a real failure", result.failoverBoundSeconds === undefined ? "not exported by the global stack" : `${result.failoverBoundSeconds} s (failed checks × interval + TTL)`],
        ["failed probes during failover", pct(result.failedProbeShare)],
        ["standby error ratio", pct(result.standbyErrorRatio)],
        ["replication lag at injection (RPO)", result.replicationLagSeconds === undefined ? "not configured" : `${result.replicationLagSeconds} s (objective ${result.settings.rpo!.objectiveSeconds} s)`],
        ["probes", `${result.samples.length}, every ${result.settings.probeInterval} s; "serving" = ${result.settings.consecutive} answers in a row`],
        ...(result.rehearsal ? [["time", `drill seconds, run ${result.timeScale}× faster than real time`] as [string, string]] : []),
    ];
    return [
        `# ${title}`,
        "",
        result.rehearsal ? "> A rehearsal: the drill's own code against loopback services and a failover router that imitates DNS failover, time-scaled. No cloud was touched.\n" : "",
        "| | |",
        "| --- | --- |",
        ...rows.map(([k, v]) => `| ${k} | ${v} |`),
        "",
        "## Timeline",
        "",
        "![timeline](timeline.svg)",
        "",
        "| mark | drill time |",
        "| --- | --- |",
        ...result.marks.map((m) => `| ${m.name} | ${m.t.toFixed(1)} s |`),
        "",
        "Every step was written to `journal.jsonl` (beside this report) before it acted.",
        "",
    ].join("\n");
}

/** Writes report.json, report.md and timeline.svg into `dir`; returns the paths. */
export function writeDrillReport(result: DrillResult, dir: string): { json: string; markdown: string; svg: string } {
    fs.mkdirSync(dir, { recursive: true });
    const files = { json: path.join(dir, "report.json"), markdown: path.join(dir, "report.md"), svg: path.join(dir, "timeline.svg") };
    fs.writeFileSync(files.json, `${JSON.stringify(result, undefined, 2)}\n`);
    fs.writeFileSync(files.markdown, drillMarkdown(result));
    fs.writeFileSync(files.svg, timelineSvg(result));
    return files;
}
