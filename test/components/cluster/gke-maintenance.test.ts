import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { gkeClusterProblems, resolveGkeClusterArgs } from "../../../components/cluster/gke-args";
import { gkeMaintenancePolicy, gkeUpgradeSettings, maintenanceProblems } from "../../../components/cluster/gke-maintenance";
import { Problems } from "../../../components/validation";
import { StackConfigError, loadStackConfig } from "../../../stacks/config";
import { evaluateStack } from "../../../automation/offline/evaluate";
import { readStackConfig } from "../../../automation/offline/stack-file";
import { program } from "../../../stacks/program";
import { REPO_ROOT, inputsOf, one, runStack } from "../../harness";

const WINDOW = { startTime: "2025-01-07T02:00:00Z", endTime: "2025-01-07T06:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=TU,WE,TH" };
const FREEZE = { name: "black-friday", startTime: "2026-11-25T00:00:00Z", endTime: "2026-12-02T00:00:00Z" };

/** The problems of a maintenance policy, as [path, reason] pairs. */
function problemsOf(maintenance: Parameters<typeof maintenanceProblems>[2]): [string, string][] {
    const problems = new Problems();
    maintenanceProblems(problems, "maintenance", maintenance);
    return problems.list.map((p) => [p.propertyPath, p.reason]);
}

describe("GKE maintenance: window, exclusions, surge", () => {
    it("accepts a weekly window with 48 h in 32 days and a freeze", () => {
        expect(problemsOf({ window: WINDOW, exclusions: [FREEZE] })).to.deep.equal([]);
        expect(problemsOf({ window: { ...WINDOW, recurrence: "FREQ=DAILY" }, exclusions: [] })).to.deep.equal([]);
        expect(problemsOf({ exclusions: [] })).to.deep.equal([]);
    });

    it("refuses times that are not RFC 3339 in UTC, naming the key and an example", () => {
        expect(problemsOf({ window: { ...WINDOW, startTime: "2025-01-07 02:00" }, exclusions: [{ ...FREEZE, endTime: "2026-12-02T00:00:00+01:00" }] })).to.deep.equal([
            ["maintenance.window.startTime", 'got "2025-01-07 02:00": expected an RFC 3339 time in UTC, e.g. "2025-01-07T02:00:00Z"'],
            ["maintenance.exclusions[0].endTime", 'got "2026-12-02T00:00:00+01:00": expected an RFC 3339 time in UTC, e.g. "2026-12-02T00:00:00Z"'],
        ]);
        expect(problemsOf({ window: { ...WINDOW, endTime: "2025-02-30T06:00:00Z" }, exclusions: [] })).to.deep.equal([
            ["maintenance.window.endTime", 'got "2025-02-30T06:00:00Z": expected an RFC 3339 time in UTC, e.g. "2025-01-07T06:00:00Z"'],
        ]);
    });

    it("refuses a recurrence that is not an RRULE of the accepted shape", () => {
        for (const recurrence of ["weekly", "FREQ=WEEKLY;BYDAY=TUE", "FREQ=MONTHLY"]) {
            expect(problemsOf({ window: { ...WINDOW, recurrence }, exclusions: [] })).to.deep.equal([
                ["maintenance.window.recurrence", `got ${JSON.stringify(recurrence)}: expected an RRULE "FREQ=DAILY" or "FREQ=WEEKLY;BYDAY=<days>", e.g. "FREQ=WEEKLY;BYDAY=TU,WE,TH"`],
            ]);
        }
    });

    it("refuses a window GKE would refuse: under 4 h at a stretch, or under 48 h in 32 days", () => {
        expect(problemsOf({ window: { ...WINDOW, endTime: "2025-01-07T05:00:00Z" }, exclusions: [] })).to.deep.equal([
            ["maintenance.window.endTime", 'got "2025-01-07T05:00:00Z", 3 h after the start: GKE needs at least 4 hours at a stretch, e.g. "2025-01-07T06:00:00Z" for a 02:00 start'],
        ]);
        // Two nights of 4 h: at least 4 × 2 × 4 = 32 h in any 32 days.
        expect(problemsOf({ window: { ...WINDOW, recurrence: "FREQ=WEEKLY;BYDAY=SA,SU" }, exclusions: [] })).to.deep.equal([
            ["maintenance.window.recurrence", 'got "FREQ=WEEKLY;BYDAY=SA,SU" with 4 h windows: only 32 h in 32 days, GKE needs at least 48; add days or hours, e.g. "FREQ=WEEKLY;BYDAY=TU,WE,TH" with 4 h'],
        ]);
    });

    it("refuses an exclusion that ends before it starts, a NO_UPGRADES freeze over 30 days, an unknown scope, a repeated name", () => {
        expect(problemsOf({ window: WINDOW, exclusions: [{ ...FREEZE, endTime: "2026-11-24T00:00:00Z" }] })).to.deep.equal([
            ["maintenance.exclusions[0].endTime", 'got "2026-11-24T00:00:00Z", not after startTime "2026-11-25T00:00:00Z": an exclusion ends after it starts, e.g. "2026-12-02T00:00:00Z" for a "2026-11-25T00:00:00Z" start'],
        ]);
        expect(problemsOf({ exclusions: [{ ...FREEZE, endTime: "2026-12-26T00:00:01Z" }] })).to.deep.equal([
            ["maintenance.exclusions[0].endTime", 'got "2026-12-26T00:00:01Z": a NO_UPGRADES exclusion lasts at most 30 days; shorten it, or use scope "NO_MINOR_UPGRADES" to keep patches flowing'],
        ]);
        expect(problemsOf({ exclusions: [{ ...FREEZE, endTime: "2026-12-26T00:00:01Z", scope: "NO_MINOR_UPGRADES" }] })).to.deep.equal([]);
        expect(problemsOf({ exclusions: [{ ...FREEZE, scope: "NO_PATCHES" as never }, FREEZE] })).to.deep.equal([
            ["maintenance.exclusions[0].scope", 'got "NO_PATCHES": use one of NO_UPGRADES, NO_MINOR_UPGRADES, NO_MINOR_OR_NODE_UPGRADES, e.g. "NO_MINOR_UPGRADES"'],
            ["maintenance.exclusions[1].name", 'got "black-friday" twice: exclusion names are unique'],
        ]);
    });

    it("gives the provider a recurring window and exclusions, or GKE's daily window", () => {
        expect(gkeMaintenancePolicy({ window: WINDOW, exclusions: [FREEZE] })).to.deep.equal({
            recurringWindow: WINDOW,
            maintenanceExclusions: [{ exclusionName: "black-friday", startTime: FREEZE.startTime, endTime: FREEZE.endTime, exclusionOptions: { scope: "NO_UPGRADES" } }],
        });
        expect(gkeMaintenancePolicy({ exclusions: [] })).to.deep.equal({ dailyMaintenanceWindow: { startTime: "03:00" }, maintenanceExclusions: [] });
    });

    it("surges per environment: production never loses capacity, elsewhere one node goes at once", () => {
        expect(gkeUpgradeSettings(true)).to.deep.equal({ strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 });
        expect(gkeUpgradeSettings(false)).to.deep.equal({ strategy: "SURGE", maxSurge: 1, maxUnavailable: 1 });
    });

    it("dev-gcp (shipped): auto-upgrade on its channel, GKE's daily window, one node at a time", async () => {
        const run = await runStack("dev-gcp");
        const cluster = inputsOf(one(run.resources, "gcp:container/cluster:Cluster"));
        expect(cluster.releaseChannel).to.deep.equal({ channel: "REGULAR" });
        expect(cluster.maintenancePolicy).to.deep.equal({ dailyMaintenanceWindow: { startTime: "03:00" }, maintenanceExclusions: [] });
        const system = inputsOf(one(run.resources, "gcp:container/nodePool:NodePool", "paved-dev-gcp-system"));
        expect(system.management).to.deep.equal({ autoRepair: true, autoUpgrade: true });
        expect(system.upgradeSettings).to.deep.equal({ strategy: "SURGE", maxSurge: 1, maxUnavailable: 1 });
    });

    it("a production GKE cluster gets the weekday window, the configured freeze, and surge without capacity loss", async () => {
        const run = await evaluateStack(REPO_ROOT, "dev-gcp", () => {
            const config = pulumi.runtime.allConfig();
            pulumi.runtime.setConfig("paved:production", "true");
            pulumi.runtime.setConfig("paved:cluster", JSON.stringify({ ...JSON.parse(config["paved:cluster"]), maintenance: { exclusions: [FREEZE] } }));
            return program();
        });
        expect(inputsOf(one(run.resources, "gcp:container/cluster:Cluster")).maintenancePolicy).to.deep.equal({
            recurringWindow: WINDOW,
            maintenanceExclusions: [{ exclusionName: "black-friday", startTime: "2026-11-25T00:00:00Z", endTime: "2026-12-02T00:00:00Z", exclusionOptions: { scope: "NO_UPGRADES" } }],
        });
        expect(inputsOf(one(run.resources, "gcp:container/nodePool:NodePool", "paved-dev-gcp-system")).upgradeSettings).to.deep.equal({ strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 });
    });

    describe("in stack config", () => {
        const devGcp = readStackConfig(REPO_ROOT, "dev-gcp").config;
        const withMaintenance = (maintenance: unknown, extra: Record<string, string> = {}) => ({
            ...devGcp,
            ...extra,
            "paved:cluster": JSON.stringify({ ...JSON.parse(devGcp["paved:cluster"]), maintenance }),
        });

        it("production gets the weekday window by default, and a freeze from config", () => {
            const config = loadStackConfig(withMaintenance({ exclusions: [FREEZE] }, { "paved:production": "true" }), { stack: "prod-gcp" });
            if (config.cloud !== "gcp") throw new Error("expected a GCP stack");
            expect(resolveGkeClusterArgs(config.cluster).maintenance).to.deep.equal({ window: WINDOW, exclusions: [FREEZE] });
            expect(gkeClusterProblems(resolveGkeClusterArgs(config.cluster)).list).to.deep.equal([]);
        });

        it("a freeze that ends before it starts is one config error naming paved:cluster.maintenance.exclusions[0].endTime", () => {
            let error: unknown;
            try {
                loadStackConfig(withMaintenance({ exclusions: [{ ...FREEZE, endTime: "2026-11-01T00:00:00Z" }] }), { stack: "dev-gcp" });
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(StackConfigError);
            expect((error as StackConfigError).problems.map((p) => p.propertyPath)).to.deep.equal(["paved:cluster.maintenance.exclusions[0].endTime"]);
        });
    });
});
