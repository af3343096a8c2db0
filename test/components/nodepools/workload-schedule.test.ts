import { expect } from "chai";
import { EksCluster } from "../../../components/cluster";
import { KEDA_CHART, kedaValues } from "../../../components/nodepools/keda-values";
import { cronScaledObject } from "../../../components/nodepools/scaled-object";
import { resolveSchedule } from "../../../components/nodepools/schedule";
import { WorkloadSchedule, WorkloadScheduleArgs, workloadScheduleProblems } from "../../../components/nodepools/workload-schedule";
import { StackEvaluation, inputsOf, ofType, one, runProgram } from "../../harness";
import { unknownValuePaths, upstreamChart } from "../../upstream";

const schedule = { timeZone: "Europe/Berlin", days: "Mon-Fri", start: "07:00", end: "20:00" };
const workloads = [
    { namespace: "shop", name: "web", replicas: 3 },
    { namespace: "shop", name: "queue", kind: "StatefulSet" as const, replicas: 1 },
];

describe("WorkloadSchedule (KEDA)", () => {
    let run: StackEvaluation;
    before(async () => {
        run = await runProgram(() => {
            const cluster = new EksCluster("demo", { tags: { environment: "dev", owner: "o", costCenter: "c" }, kubernetesVersion: "1.33" });
            new WorkloadSchedule("night", { cluster, schedule, workloads });
        });
    });

    it("installs the pinned KEDA chart on the cluster's system pool", () => {
        const release = one(run.resources, "kubernetes:helm.sh/v3:Release");
        expect(inputsOf(release)).to.include({ chart: "keda", version: "2.20.2", namespace: "keda", createNamespace: true });
        expect(inputsOf(release).values.nodeSelector).to.deep.equal({ "paved.io/pool": "system" });
        expect(release.provider).to.include("pulumi:providers:kubernetes");
    });

    it("pins the chart version recorded upstream and sets only values the chart has", () => {
        expect(KEDA_CHART.version).to.equal(upstreamChart("keda").version);
        expect(unknownValuePaths(kedaValues(), KEDA_CHART)).to.deep.equal([]);
    });

    it("scales each opted-in workload to zero outside on-hours with a cron ScaledObject valid per @kubernetes-models/keda", async () => {
        const { ScaledObject } = await import("@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject");
        const objects = ofType(run.resources, "kubernetes:keda.sh/v1alpha1:ScaledObject").map(inputsOf);
        expect(objects.map((o) => o.metadata.name)).to.deep.equal(["web-on-hours", "queue-on-hours"]);
        for (const object of objects) new ScaledObject(object as never).validate();
        const [web, queue] = objects;
        expect(web.spec.scaleTargetRef).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "web" });
        expect(web.spec.minReplicaCount).to.equal(0);
        expect(web.spec.triggers).to.deep.equal([
            { type: "cron", metadata: { timezone: "Europe/Berlin", start: "0 7 * * 1-5", end: "0 20 * * 1-5", desiredReplicas: "3" } },
        ]);
        expect(queue.spec.scaleTargetRef.kind).to.equal("StatefulSet");
        for (const o of ofType(run.resources, "kubernetes:keda.sh/v1alpha1:ScaledObject")) {
            expect(o.dependencies).to.include(one(run.resources, "kubernetes:helm.sh/v3:Release").urn);
        }
    });

    it("refuses a ScaledObject its schema rejects", async () => {
        const bad = cronScaledObject({ namespace: "shop", name: "web", replicas: 1.5 }, resolveSchedule(schedule));
        await bad.then(
            () => expect.fail("expected a schema error"),
            (e: Error) => expect(e.message).to.include("maxReplicaCount must be integer"),
        );
    });

    it("rejects bad workloads and schedules, naming each field", () => {
        const args: Omit<WorkloadScheduleArgs, "cluster"> = {
            schedule: { ...schedule, timeZone: "Nowhere/Land" },
            workloads: [{ namespace: "Shop", name: "web", replicas: 0 }],
        };
        expect(workloadScheduleProblems(args).list.map((p) => p.propertyPath)).to.deep.equal([
            "schedule.timeZone",
            "workloads[0].namespace",
            "workloads[0].replicas",
        ]);
    });
});
