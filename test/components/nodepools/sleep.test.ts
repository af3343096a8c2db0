import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { CronExpressionParser } from "cron-parser";
import { expect } from "chai";
import { EksCluster, GkeCluster } from "../../../components/cluster";
import { eksClusterProblems, resolveEksClusterArgs } from "../../../components/cluster/eks-args";
import { wakeNeedsItsOwnSleep } from "../../../components/nodepools/eks-scheduled-scaling";
import { EksSpotNodePool } from "../../../components/nodepools/eks-spot-node-pool";
import { ScheduleArgs, SYSTEM_WAKE_LEAD_MINUTES, openEarlier, resolveSchedule } from "../../../components/nodepools/schedule";
import { isScheduledSleep, nextScheduledSleep, wakeCrons, wakeProblems } from "../../../components/nodepools/wake";
import { StackEvaluation, inputsOf, ofType, one, runProgram } from "../../harness";

const tags = { environment: "dev", owner: "platform-team", costCenter: "cc-1001" };
const berlin: ScheduleArgs = { timeZone: "Europe/Berlin", days: "Mon-Fri", start: "07:00", end: "20:00" };
const apps = resolveSchedule(berlin);
const system = openEarlier(apps, SYSTEM_WAKE_LEAD_MINUTES)!;
/** The first time a cron fires after a literal instant, in UTC. */
const firstAfter = (cron: string, timeZone: string, after: string) => CronExpressionParser.parse(cron, { tz: timeZone, currentDate: new Date(after) }).next().toDate().toISOString();
const problemsOf = (systemPool: object, production = false) =>
    eksClusterProblems(resolveEksClusterArgs("demo", { tags, kubernetesVersion: "1.33", production, systemPool })).list.filter((p) => p.propertyPath.startsWith("systemPool"));

describe("non-production sleeps", () => {
    describe("wake-up order", () => {
        it("wakes the system pool 15 minutes before the app pools: Monday 5 January 2026, Berlin (UTC+1)", () => {
            expect(SYSTEM_WAKE_LEAD_MINUTES).to.equal(15);
            expect(system).to.deep.equal({ timeZone: "Europe/Berlin", startCron: "45 6 * * 1-5", endCron: "0 20 * * 1-5", onHoursPerWeek: 66.25 });
            expect(firstAfter(system.startCron, system.timeZone, "2026-01-05T00:00:00Z")).to.equal("2026-01-05T05:45:00.000Z");
            expect(firstAfter(apps.startCron, apps.timeZone, "2026-01-05T00:00:00Z")).to.equal("2026-01-05T06:00:00.000Z");
            // Both sleep at 20:00 Berlin.
            expect(firstAfter(system.endCron, system.timeZone, "2026-01-05T00:00:00Z")).to.equal("2026-01-05T19:00:00.000Z");
        });

        it("moves a start just after midnight to the evening before, on the day before", () => {
            const early = openEarlier(resolveSchedule({ timeZone: "UTC", days: "Mon-Fri", start: "00:10", end: "08:00" }), 15)!;
            expect(early.startCron).to.equal("55 23 * * 0-4");
            expect(firstAfter(early.startCron, "UTC", "2026-01-05T00:00:00Z")).to.equal("2026-01-05T23:55:00.000Z");
            // 5 × (23:55 to 08:00 = 8 h 05 min) = 40.4167, rounded to hundredths.
            expect(early.onHoursPerWeek).to.equal(40.42);
        });

        it("refuses a start cron with no single time of day, naming the key, the value and an example", () => {
            expect(openEarlier(resolveSchedule({ timeZone: "UTC", startCron: "0,30 7 * * 1-5", endCron: "0 20 * * 1-5" }), 15)).to.equal(undefined);
            const found = problemsOf({ schedule: { timeZone: "UTC", startCron: "0,30 7 * * 1-5", endCron: "0 20 * * 1-5" } });
            expect(found.map((p) => p.propertyPath)).to.deep.equal(["systemPool.schedule.startCron"]);
            expect(found[0].reason).to.include('got "0,30 7 * * 1-5"').and.include("15 minutes before the app pools").and.include('e.g. "0 7 * * 1-5"');
        });
    });

    describe("system pool rules", () => {
        it("a spot system pool needs at least 2 different instance types", () => {
            const found = problemsOf({ instanceTypes: ["m6i.large"] });
            expect(found.map((p) => p.propertyPath)).to.deep.equal(["systemPool.instanceTypes"]);
            expect(found[0].reason).to.include('got ["m6i.large"]').and.include("at least 2 different instance types").and.include('e.g. ["m6i.large", "m6a.large", "m7i.large"]');
            expect(problemsOf({ instanceTypes: ["m6i.large", "m6i.large"] })).to.have.length(1);
            // On demand, one type is fine.
            expect(problemsOf({ instanceTypes: ["m6i.large"], spot: false })).to.deep.equal([]);
        });

        it("production keeps an on-demand system pool around the clock", () => {
            const found = problemsOf({ spot: true, schedule: berlin }, true);
            expect(found.map((p) => p.propertyPath)).to.deep.equal(["systemPool.spot", "systemPool.schedule"]);
            expect(found[0].reason).to.include("got true in production").and.include("on-demand system pool around the clock");
            expect(problemsOf({}, true)).to.deep.equal([]);
        });
    });

    describe("an early wake", () => {
        it("is an ISO window in UTC of at most 24 hours", () => {
            expect(wakeProblems({ from: "2026-01-10T05:00:00Z", until: "2026-01-10T13:00:00Z" }).list).to.deep.equal([]);
            const bad = wakeProblems({ from: "2026-01-10 05:00", until: "2026-01-12T13:00:00Z" }).list;
            expect(bad.map((p) => p.propertyPath)).to.deep.equal(["wake.from"]);
            const long = wakeProblems({ from: "2026-01-10T05:00:00Z", until: "2026-01-12T13:00:00Z" }).list;
            expect(long.map((p) => p.propertyPath)).to.deep.equal(["wake.until"]);
            expect(long[0].reason).to.include("at most 24 hours later");
        });

        it("becomes KEDA cron triggers on its dates, in the schedule's zone", () => {
            expect(wakeCrons({ from: "2026-01-10T05:00:00Z", until: "2026-01-10T13:30:00Z" }, "Europe/Berlin")).to.deep.equal({ startCron: "0 6 10 1 *", endCron: "30 14 10 1 *" });
        });

        it("knows the schedule's own sleeps: Monday 20:00 Berlin is one, 19:00 is not", () => {
            expect(nextScheduledSleep(apps, new Date("2026-01-10T09:00:00Z")).toISOString()).to.equal("2026-01-12T19:00:00.000Z");
            expect(isScheduledSleep(apps, new Date("2026-01-12T19:00:00Z"))).to.equal(true);
            expect(isScheduledSleep(apps, new Date("2026-01-12T18:00:00Z"))).to.equal(false);
        });

        it("ends with its own sleep only when the schedule would not end it first", () => {
            // Saturday 06:00–14:00 Berlin: nothing scheduled, so the wake ends itself.
            expect(wakeNeedsItsOwnSleep(apps, { from: "2026-01-10T05:00:00Z", until: "2026-01-10T13:00:00Z" })).to.equal(true);
            // Monday 05:00 until the scheduled 20:00 sleep: that action ends it (AWS refuses two at one time).
            expect(wakeNeedsItsOwnSleep(apps, { from: "2026-01-12T04:00:00Z", until: "2026-01-12T19:00:00Z" })).to.equal(false);
            // Sunday 22:00 until Monday 12:00: on-hours start before it ends, and the schedule takes over.
            expect(wakeNeedsItsOwnSleep(apps, { from: "2026-01-11T21:00:00Z", until: "2026-01-12T11:00:00Z" })).to.equal(false);
        });
    });

    describe("EKS during a wake", () => {
        let run: StackEvaluation;
        before(async () => {
            const wake = { from: "2026-01-10T05:00:00Z", until: "2026-01-10T13:00:00Z" };
            run = await runProgram(() => {
                const provider = new AwsProvider("aws", { region: "eu-central-1" });
                const cluster = new EksCluster("demo", { tags, kubernetesVersion: "1.33", systemPool: { schedule: berlin, wake } }, { providers: [provider] });
                new EksSpotNodePool("apps", { tags, instanceTypes: ["m6i.large", "m6a.large"], maxSize: 6, nodes: 3, schedule: berlin, wake, cluster }, { providers: [provider] });
            });
        });

        it("sets every group's desired size now (the system group first), and sleeps them at the wake's end", () => {
            const systemGroup = one(run.resources, "aws:eks/nodeGroup:NodeGroup", "demo-system");
            const appGroup = one(run.resources, "aws:eks/nodeGroup:NodeGroup", "apps-spot");
            expect([systemGroup.ignoreChanges, appGroup.ignoreChanges]).to.deep.equal([[], []]);
            expect(inputsOf(systemGroup).scalingConfig).to.deep.equal({ minSize: 1, maxSize: 2, desiredSize: 1 });
            expect(inputsOf(appGroup).scalingConfig).to.deep.equal({ minSize: 0, maxSize: 6, desiredSize: 3 });
            expect(appGroup.dependencies).to.include(systemGroup.urn);
            const ends = ofType(run.resources, "aws:autoscaling/schedule:Schedule").filter((a) => a.name.endsWith("-wake-end")).map(inputsOf);
            expect(ends.map((a) => [a.scheduledActionName, a.startTime, a.recurrence, a.desiredCapacity, a.maxSize])).to.deep.equal([
                ["demo-system-wake-end", "2026-01-10T13:00:00Z", undefined, 0, 0],
                ["apps-spot-wake-end", "2026-01-10T13:00:00Z", undefined, 0, 0],
            ]);
        });
    });

    describe("GKE during a wake", () => {
        it("sleeps every system pool on the wake's date, autoscaling off first, then sized to zero 5 minutes later", async () => {
            const wake = { from: "2026-01-10T05:00:00Z", until: "2026-01-10T13:00:00Z" };
            const run = await runProgram(() => {
                new GkeCluster("demo", { tags, project: "acme-platform-dev", region: "europe-west1", kubernetesVersion: "1.33", systemPool: { schedule: berlin, wake } });
            });
            const ends = ofType(run.resources, "gcp:cloudscheduler/job:Job").filter((j) => j.name.includes("-wake-end")).map(inputsOf);
            expect(ends.map((j) => [j.schedule, j.timeZone, j.httpTarget.uri.split(":").pop()])).to.deep.equal([
                ["0 14 10 1 *", "Europe/Berlin", "setAutoscaling"],
                ["5 14 10 1 *", "Europe/Berlin", "setSize"],
                ["0 14 10 1 *", "Europe/Berlin", "setAutoscaling"],
                ["5 14 10 1 *", "Europe/Berlin", "setSize"],
            ]);
            const role = inputsOf(one(run.resources, "gcp:projects/iAMCustomRole:IAMCustomRole"));
            expect(role.permissions).to.deep.equal(["container.clusters.get", "container.clusters.update", "container.operations.get"]);
        });
    });
});
