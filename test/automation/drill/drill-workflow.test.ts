import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { CronExpressionParser } from "cron-parser";
import { parse } from "yaml";
import { listStacks } from "../../../automation/offline/stack-file";
import { drillSettings, drillTargets } from "../../../automation/runner/drill-command";
import { REPO_ROOT } from "../../harness";

interface Step { uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> }
const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, ".github/workflows/region-failover-drill.yml"), "utf8")) as {
    on: { schedule: { cron: string }[] };
    permissions: Record<string, string>;
    jobs: { drill: { "timeout-minutes": number; steps: Step[] } };
};
const steps = workflow.jobs.drill.steps;

/** The `paved` arguments of a step's `node dist/automation/cli.js …` command line. */
function drillCommandLine(run: string): string[] {
    // A repository variable stands for a URL set up once: `${{ vars.X }}` becomes https://X.example.
    const words = run.replace(/\$\{\{\s*vars\.(\w+)\s*\}\}/g, "https://$1.example").trim().split(/\s+/);
    return words.slice(words.indexOf("dist/automation/cli.js") + 1);
}

describe("the monthly drill workflow (GitHub Actions)", () => {
    it("runs once a month", () => {
        const runs = CronExpressionParser.parse(workflow.on.schedule[0].cron, { currentDate: new Date("2026-11-25T00:00:00Z"), tz: "UTC" }).take(3).map((d) => d.toISOString());
        expect(runs).to.deep.equal(["2026-12-01T09:00:00.000Z", "2027-01-01T09:00:00.000Z", "2027-02-01T09:00:00.000Z"]);
    });

    it("gets short-lived credentials through OIDC and stores no cloud keys", () => {
        expect(workflow.permissions).to.deep.equal({ "id-token": "write", contents: "read" });
        const aws = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))!;
        expect(aws.with).to.include.keys("role-to-assume");
        const text = fs.readFileSync(path.join(REPO_ROOT, ".github/workflows/region-failover-drill.yml"), "utf8");
        expect(text).to.not.match(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    });

    it("drills stacks this repository routes between, restores when it did not finish, and keeps the report", () => {
        const args = drillCommandLine(steps.find((s) => s.run?.includes(" drill --primary"))!.run!);
        const flag = (name: string) => args[args.indexOf(`--${name}`) + 1];
        const chosen = drillTargets({ primary: flag("primary"), standby: flag("standby"), global: flag("global"), objective: "120s", consecutive: "3", probeInterval: "1s", stepTimeout: "10m", timeScale: "1" }, REPO_ROOT, listStacks(REPO_ROOT));
        expect(chosen.targets).to.deep.equal({ primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" });
        // The optional measurements are passed, and the flags parse as the CLI parses them.
        const settings = drillSettings({ objective: flag("objective"), failbackObjective: flag("failback-objective"), consecutive: "3", probeInterval: "1s", stepTimeout: "10m", timeScale: "1", prometheus: flag("prometheus"), rpoProbe: flag("rpo-probe"), rpoObjective: flag("rpo-objective") });
        expect(settings.prometheus?.url).to.equal("https://DRILL_PROMETHEUS_URL.example");
        expect(settings.rpo).to.deep.equal({ probeUrl: "https://DRILL_RPO_PROBE_URL.example", objectiveSeconds: 300 });
        expect(settings.failbackObjectiveSeconds).to.equal(300);
        const restore = steps.find((s) => s.run?.includes("drill --resume"))!;
        expect(restore.if).to.equal("failure() || cancelled()");
        const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
        expect(upload).to.deep.include({ if: "always()" });
        expect(upload.with).to.include({ path: "drills/" });
    });

    it("execs node, so a cancelled job's SIGINT/SIGTERM reach the drill (and --resume) rather than the shell", () => {
        const nodeSteps = steps.filter((s) => s.run?.includes("dist/automation/cli.js"));
        expect(nodeSteps).to.have.length(2);
        for (const step of nodeSteps) expect(step.run).to.match(/(^|; then )exec node dist\/automation\/cli\.js drill/);
    });

    it("assumes the role for longer than the job may run, so a late restore still has credentials", () => {
        const aws = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))!;
        expect(aws.with!["role-duration-seconds"]).to.be.greaterThan(workflow.jobs.drill["timeout-minutes"] * 60);
    });
});
