import { expect } from "chai";
import { cronScaledObject, scaleTargetRef } from "../../../components/nodepools/scaled-object";
import { resolveSchedule } from "../../../components/nodepools/schedule";
import { workloadScheduleProblems } from "../../../components/nodepools/workload-schedule";

const schedule = { timeZone: "Europe/Berlin", days: "Mon-Fri", start: "07:00", end: "20:00" };

describe("ScaledObject targets", () => {
    it("scales an Argo Rollout through argoproj.io/v1alpha1 (it has a /scale subresource), valid per KEDA's schema", async () => {
        const { ScaledObject } = await import("@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject");
        const manifest = await cronScaledObject({ namespace: "shop", name: "web", kind: "Rollout", replicas: 2 }, resolveSchedule(schedule));
        expect((manifest.spec as { scaleTargetRef: unknown }).scaleTargetRef).to.deep.equal({ apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "web" });
        expect(() => new ScaledObject(manifest as never).validate()).to.not.throw();
    });

    it("keeps apps/v1 for Deployments (the default) and StatefulSets", () => {
        expect(scaleTargetRef({ namespace: "shop", name: "web", replicas: 1 })).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "web" });
        expect(scaleTargetRef({ namespace: "shop", name: "db", kind: "StatefulSet", replicas: 1 })).to.deep.equal({ apiVersion: "apps/v1", kind: "StatefulSet", name: "db" });
    });

    it("refuses a kind KEDA cannot scale (a DaemonSet has no /scale), naming the key, the value and the kinds it takes", () => {
        const problems = workloadScheduleProblems({ schedule, workloads: [{ namespace: "shop", name: "agent", kind: "DaemonSet" as never, replicas: 1 }] }).list;
        expect(problems.map((p) => [p.propertyPath, p.reason])).to.deep.equal([
            ["workloads[0].kind", 'got "DaemonSet": use one of "Deployment", "StatefulSet", "Rollout"'],
        ]);
    });
});
