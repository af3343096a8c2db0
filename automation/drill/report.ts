import * as fs from "node:fs";
import * as path from "node:path";
import { DrillResult } from "./drill";
import { timelineSvg } from "./timeline-svg";

const pct = (share?: number) => (share === undefined ? "not measured" : `${(share * 100).toFixed(2)} %`);
const notMeasured = (result: DrillResult, what: string) => result.notMeasured.find((n) => n.includes(what)) ?? "not measured";

export function drillMarkdown(result: DrillResult): string {
    const title = `${result.rehearsal ? "Rehearsal: " : ""}region-failover drill, ${result.targets.primary} → ${result.targets.standby}`;
    const rows: [string, string][] = [
        ["outcome", `**${result.outcome}**${result.reason ? ` — ${result.reason}` : ""}`],
        ["started (UTC)", result.startedAt],
        ["operator", `${result.provenance.operator}${result.provenance.ciRun ? `, CI run ${result.provenance.ciRun}` : ""}`],
        ["code and tools", `git ${result.provenance.gitSha}, paved ${result.provenance.pavedVersion}, Pulumi CLI ${result.provenance.pulumiCliVersion}`],
        ...(result.live ? [["live at the end", `traffic on ${result.live.servedBy}; knob ${result.live.knob}; standby ${result.live.standby}`] as [string, string]] : []),
        ...(result.finish ? [["to finish the job", `\`${result.finish}\``] as [string, string]] : []),
        ["stacks", `primary ${result.targets.primary} (${result.regions.primary}), standby ${result.targets.standby} (${result.regions.standby}), global ${result.targets.global}`],
        ["RTO", result.rtoSeconds === undefined ? "not measured" : `${result.rtoSeconds.toFixed(1)} s (objective ${result.settings.objectiveSeconds} s: ${result.rtoSeconds <= result.settings.objectiveSeconds ? "met" : "missed"})`],
        ["fail-back", result.failbackSeconds === undefined ? "not measured" : `${result.failbackSeconds.toFixed(1)} s (objective ${result.settings.failbackObjectiveSeconds} s: ${result.failbackSeconds <= result.settings.failbackObjectiveSeconds ? "met" : "missed"})`],
        ["worst case for a real failure", result.failoverBoundSeconds === undefined ? "not exported by the global stack" : `${result.failoverBoundSeconds} s (failed checks × interval + TTL)`],
        ["failed probes during failover", pct(result.failedProbeShare)],
        ["standby error ratio", result.settings.prometheus ? (result.standbyErrorRatio === undefined ? notMeasured(result, "error ratio") : pct(result.standbyErrorRatio)) : "not configured"],
        ["replication lag at injection (RPO)", result.settings.rpo ? (result.replicationLagSeconds === undefined ? notMeasured(result, "replication lag") : `${result.replicationLagSeconds} s (objective ${result.settings.rpo.objectiveSeconds} s)`) : "not configured"],
        ["stop condition", `more than ${(result.settings.stop.failedProbeShare * 100).toFixed(0)} % of probes failing over ${result.settings.stop.windowSeconds} s${result.settings.prometheus ? `, or the standby's error ratio above ${(result.settings.stop.standbyErrorRatio * 100).toFixed(0)} % for as long` : ""}, while the knob is on`],
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
        "| mark | drill time | UTC |",
        "| --- | --- | --- |",
        ...result.marks.map((m) => `| ${m.name} | ${m.t.toFixed(1)} s | ${m.at} |`),
        "",
        "## Pre-flight",
        "",
        ...(result.preflight.length ? ["| check | result | detail |", "| --- | --- | --- |", ...result.preflight.map((c) => `| ${c.check} | ${c.ok ? "ok" : "**failed**"} | ${c.detail} |`)] : ["none (a resume restores without a pre-flight)"]),
        "",
        "## Updates",
        "",
        ...(result.updates.length ? ["| step | stack | temporary config | started (UTC) | seconds | update ID |", "| --- | --- | --- | --- | --- | --- |", ...result.updates.map((u) => `| ${u.step} | ${u.stack} | ${u.config ? Object.entries(u.config).map(([k, v]) => `\`${k}=${v}\``).join(", ") : "none (Git's state)"} | ${u.at} | ${u.seconds.toFixed(1)} | ${u.updateId ?? "not reported by the driver"} |`)] : ["none"]),
        "",
        `Every step was written to the journal (\`${result.journal}\`) before it acted.`,
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
