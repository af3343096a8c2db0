import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { DEFAULT_DRILL_SETTINGS, DrillResult } from "../../../automation/drill/drill";
import { drillMarkdown, writeDrillReport } from "../../../automation/drill/report";

/**
 * The drill's report.md, line by line, for two hand-made drills: a real one that restored but left a
 * job to finish (every optional measurement configured), and a rehearsal with nothing optional and
 * nothing measured. Every expected line is written out here from the numbers in the fixture.
 */
const real: DrillResult = {
    targets: { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" },
    regions: { primary: "us-east-1", standby: "us-west-2" },
    settings: {
        ...DEFAULT_DRILL_SETTINGS,
        objectiveSeconds: 60,
        failbackObjectiveSeconds: 90,
        prometheus: { url: "http://prometheus:9090", errorRatioQuery: "q" },
        rpo: { probeUrl: "http://db/lag", objectiveSeconds: 5 },
    },
    rehearsal: false,
    timeScale: 1,
    failoverBoundSeconds: 60,
    startedAt: "2026-12-01T09:00:00.000Z",
    provenance: { gitSha: "abc123", pavedVersion: "0.3.0", pulumiCliVersion: "v3.248.0", operator: "ops@runner", ciRun: "https://github.com/acme/paved/actions/runs/7" },
    preflight: [
        { check: "stacks exist", ok: true, detail: "all three in the backend" },
        { check: "standby healthy", ok: false, detail: "503" },
    ],
    outcome: "primary did not recover",
    reason: "the primary did not serve",
    rtoSeconds: 61.25,
    failbackSeconds: 90,
    failedProbeShare: 0.125,
    standbyErrorRatio: 0.0312,
    replicationLagSeconds: 2,
    notMeasured: [],
    marks: [{ name: "injected", t: 12.34, at: "2026-12-01T09:00:12.340Z" }],
    samples: [{ t: 1, region: "us-east-1" }, { t: 2, error: "timeout" }],
    updates: [
        { step: "promote", stack: "prod-us-west-2", config: { "paved:failover.promoted": "true", x: "1" }, at: "2026-12-01T09:00:01.000Z", seconds: 41.26, changes: { update: 2 }, updateId: "u-1" },
        { step: "warm", stack: "prod-us-west-2", at: "2026-12-01T09:05:00.000Z", seconds: 3, changes: {} },
    ],
    live: { servedBy: "the standby prod-us-west-2 (us-west-2)", knob: "off", standby: "promoted (primary capacity)" },
    finish: "paved drill --resume",
    journal: "drills/journal.jsonl",
};

const rehearsal: DrillResult = {
    ...real,
    settings: { ...DEFAULT_DRILL_SETTINGS, objectiveSeconds: 60, failbackObjectiveSeconds: 90 },
    rehearsal: true,
    timeScale: 50,
    failoverBoundSeconds: undefined,
    provenance: { gitSha: "abc123", pavedVersion: "0.3.0", pulumiCliVersion: "none (rehearsal: in-memory driver)", operator: "ops@laptop" },
    preflight: [],
    outcome: "pass",
    reason: undefined,
    rtoSeconds: undefined,
    failbackSeconds: undefined,
    failedProbeShare: undefined,
    standbyErrorRatio: undefined,
    replicationLagSeconds: undefined,
    marks: [],
    samples: [],
    updates: [],
    live: undefined,
    finish: undefined,
};

describe("drill report (report.md)", () => {
    it("a real drill: every row, the stop condition with Prometheus, updates with their temporary config", () => {
        expect(drillMarkdown(real).split("\n")).to.deep.equal([
            "# region-failover drill, prod-us-east-1 → prod-us-west-2",
            "",
            "",
            "| | |",
            "| --- | --- |",
            "| outcome | **primary did not recover** — the primary did not serve |",
            "| started (UTC) | 2026-12-01T09:00:00.000Z |",
            "| operator | ops@runner, CI run https://github.com/acme/paved/actions/runs/7 |",
            "| code and tools | git abc123, paved 0.3.0, Pulumi CLI v3.248.0 |",
            "| live at the end | traffic on the standby prod-us-west-2 (us-west-2); knob off; standby promoted (primary capacity) |",
            "| to finish the job | `paved drill --resume` |",
            "| stacks | primary prod-us-east-1 (us-east-1), standby prod-us-west-2 (us-west-2), global prod-global |",
            "| RTO | 61.3 s (objective 60 s: missed) |",
            "| fail-back | 90.0 s (objective 90 s: met) |",
            "| worst case for a real failure | 60 s (failed checks × interval + TTL) |",
            "| failed probes during failover | 12.50 % |",
            "| standby error ratio | 3.12 % |",
            "| replication lag at injection (RPO) | 2 s (objective 5 s) |",
            "| stop condition | more than 50 % of probes failing over 30 s, or the standby's error ratio above 5 % for as long, while the knob is on |",
            '| probes | 2, every 1 s; "serving" = 3 answers in a row |',
            "",
            "## Timeline",
            "",
            "![timeline](timeline.svg)",
            "",
            "| mark | drill time | UTC |",
            "| --- | --- | --- |",
            "| injected | 12.3 s | 2026-12-01T09:00:12.340Z |",
            "",
            "## Pre-flight",
            "",
            "| check | result | detail |",
            "| --- | --- | --- |",
            "| stacks exist | ok | all three in the backend |",
            "| standby healthy | **failed** | 503 |",
            "",
            "## Updates",
            "",
            "| step | stack | temporary config | started (UTC) | seconds | update ID |",
            "| --- | --- | --- | --- | --- | --- |",
            "| promote | prod-us-west-2 | `paved:failover.promoted=true`, `x=1` | 2026-12-01T09:00:01.000Z | 41.3 | u-1 |",
            "| warm | prod-us-west-2 | none (Git's state) | 2026-12-01T09:05:00.000Z | 3.0 | not reported by the driver |",
            "",
            "Every step was written to the journal (`drills/journal.jsonl`) before it acted.",
            "",
        ]);
    });

    it("a rehearsal: says so, says what was not measured or configured, and that nothing changed before it", () => {
        expect(drillMarkdown(rehearsal).split("\n")).to.deep.equal([
            "# Rehearsal: region-failover drill, prod-us-east-1 → prod-us-west-2",
            "",
            "> A rehearsal: the drill's own code against loopback services and a failover router that imitates DNS failover, time-scaled. No cloud was touched.",
            "",
            "| | |",
            "| --- | --- |",
            "| outcome | **pass** |",
            "| started (UTC) | 2026-12-01T09:00:00.000Z |",
            "| operator | ops@laptop |",
            "| code and tools | git abc123, paved 0.3.0, Pulumi CLI none (rehearsal: in-memory driver) |",
            "| stacks | primary prod-us-east-1 (us-east-1), standby prod-us-west-2 (us-west-2), global prod-global |",
            "| RTO | not measured |",
            "| fail-back | not measured |",
            "| worst case for a real failure | not exported by the global stack |",
            "| failed probes during failover | not measured |",
            "| standby error ratio | not configured |",
            "| replication lag at injection (RPO) | not configured |",
            "| stop condition | more than 50 % of probes failing over 30 s, while the knob is on |",
            '| probes | 0, every 1 s; "serving" = 3 answers in a row |',
            "| time | drill seconds, run 50× faster than real time |",
            "",
            "## Timeline",
            "",
            "![timeline](timeline.svg)",
            "",
            "| mark | drill time | UTC |",
            "| --- | --- | --- |",
            "",
            "## Pre-flight",
            "",
            "none (a resume restores without a pre-flight)",
            "",
            "## Updates",
            "",
            "none",
            "",
            "Every step was written to the journal (`drills/journal.jsonl`) before it acted.",
            "",
        ]);
    });

    it("an optional measurement that failed shows why, naming the probe; one that merely has no note says not measured", () => {
        const failed = {
            ...real,
            standbyErrorRatio: undefined,
            replicationLagSeconds: undefined,
            notMeasured: ["not measured: replication lag (RPO): the probe http://db/lag did not answer (ECONNREFUSED)", "not measured: the standby's error ratio: Prometheus http://prometheus:9090 has no series for q"],
        };
        const lines = drillMarkdown(failed).split("\n");
        expect(lines).to.include("| standby error ratio | not measured: the standby's error ratio: Prometheus http://prometheus:9090 has no series for q |");
        expect(lines).to.include("| replication lag at injection (RPO) | not measured: replication lag (RPO): the probe http://db/lag did not answer (ECONNREFUSED) |");
        // Each row finds its own note, whatever the order they were taken in.
        const reversed = drillMarkdown({ ...failed, notMeasured: [...failed.notMeasured].reverse() }).split("\n");
        expect(reversed).to.include("| replication lag at injection (RPO) | not measured: replication lag (RPO): the probe http://db/lag did not answer (ECONNREFUSED) |");
        expect(reversed).to.include("| standby error ratio | not measured: the standby's error ratio: Prometheus http://prometheus:9090 has no series for q |");
        const silent = drillMarkdown({ ...failed, notMeasured: [] }).split("\n");
        expect(silent).to.include("| standby error ratio | not measured |");
        expect(silent).to.include("| replication lag at injection (RPO) | not measured |");
    });

    it("an objective met exactly is met; one a tenth over is missed", () => {
        const at = (rtoSeconds: number, failbackSeconds: number) => drillMarkdown({ ...rehearsal, rtoSeconds, failbackSeconds }).split("\n").filter((l) => /^\| (RTO|fail-back) /.test(l));
        expect(at(60, 90.1)).to.deep.equal(["| RTO | 60.0 s (objective 60 s: met) |", "| fail-back | 90.1 s (objective 90 s: missed) |"]);
    });

    it("writes report.json, report.md and timeline.svg into the folder it creates", () => {
        const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "paved-report-")), "2026-12-01T09-00-00-000Z");
        try {
            const files = writeDrillReport(rehearsal, dir);
            expect(files).to.deep.equal({ json: path.join(dir, "report.json"), markdown: path.join(dir, "report.md"), svg: path.join(dir, "timeline.svg") });
            expect(fs.readdirSync(dir).sort()).to.deep.equal(["report.json", "report.md", "timeline.svg"]);
            expect(JSON.parse(fs.readFileSync(files.json, "utf8"))).to.include({ outcome: "pass", timeScale: 50, journal: "drills/journal.jsonl" });
            expect(fs.readFileSync(files.json, "utf8")).to.match(/^\{\n {2}"targets": \{\n {4}"primary"/);
            expect(fs.readFileSync(files.json, "utf8").endsWith("}\n")).to.equal(true);
            expect(fs.readFileSync(files.markdown, "utf8")).to.match(/^# Rehearsal: region-failover drill/);
            expect(fs.readFileSync(files.svg, "utf8")).to.match(/^<svg /);
        } finally {
            fs.rmSync(path.dirname(dir), { recursive: true, force: true });
        }
    });
});
