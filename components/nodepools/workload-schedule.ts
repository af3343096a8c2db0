import * as pulumi from "@pulumi/pulumi";
import { ClusterConnection, onCluster } from "../cluster/kubernetes-cluster";
import { modelledCustomResource } from "../custom-resource";
import { pinnedRelease } from "../helm";
import { Problems, checkIntegerIn, show } from "../validation";
import { KEDA_CHART, KEDA_NAMESPACE, kedaValues } from "./keda-values";
import { SCALABLE_KINDS, ScheduledWorkload, cronScaledObject } from "./scaled-object";
import { ScheduleArgs, resolveSchedule, scheduleProblems } from "./schedule";
import { WakeWindow, wakeCrons, wakeProblems } from "./wake";

/** Arguments of WorkloadSchedule: the cluster, the on-hours schedule and the workloads scaled to zero outside it. */
export interface WorkloadScheduleArgs {
    /** The cluster KEDA goes onto (either cloud). */
    readonly cluster: ClusterConnection;
    /** On-hours; outside them every listed workload scales to zero. */
    readonly schedule: ScheduleArgs;
    /**
     * Workloads that opted in to scaling to zero outside on-hours.
     * @default none: KEDA is installed and nothing is scaled
     */
    readonly workloads?: readonly ScheduledWorkload[];
    /**
     * What declares the workloads (e.g. the delivery component that owns their Rollouts and
     * namespaces): each ScaledObject waits for them.
     * @default nothing: the workloads come from outside this stack
     */
    readonly workloadsFrom?: readonly pulumi.Resource[];
    /**
     * An early wake in progress (`paved wake`): the workloads are up during it too.
     * @default none
     */
    readonly wake?: WakeWindow;
}

const SCALED_OBJECT = { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject" };
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function workloadScheduleProblems(args: Omit<WorkloadScheduleArgs, "cluster" | "workloadsFrom">): Problems {
    const problems = new Problems();
    problems.addAll("", scheduleProblems(args.schedule, "schedule").list);
    if (args.wake) problems.addAll("", wakeProblems(args.wake, "wake").list);
    (args.workloads ?? []).forEach((w, i) => {
        for (const field of ["namespace", "name"] as const) {
            problems.check(DNS_LABEL.test(w?.[field] ?? ""), `workloads[${i}].${field}`, `got ${show(w?.[field])}: expected a Kubernetes name (lowercase letters, digits, "-"), e.g. "web"`);
        }
        checkIntegerIn(problems, `workloads[${i}].replicas`, w?.replicas, 1, 1000, 2);
        problems.check(
            w?.kind === undefined || Object.hasOwn(SCALABLE_KINDS, w.kind),
            `workloads[${i}].kind`,
            `got ${show(w?.kind)}: use one of ${Object.keys(SCALABLE_KINDS).map((k) => `"${k}"`).join(", ")}`,
        );
    });
    return problems;
}

/**
 * Scales opted-in workloads to zero outside on-hours with KEDA's cron scaler, on either cloud. With
 * no pods left, the autoscaler drains the empty spot nodes, so nodes and workloads sleep together.
 */
export class WorkloadSchedule extends pulumi.ComponentResource {
    constructor(name: string, args: WorkloadScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("paved:nodepools:WorkloadSchedule", name, {}, opts);
        workloadScheduleProblems(args).throwIfAny("WorkloadSchedule");
        const schedule = resolveSchedule(args.schedule);
        const wake = args.wake && wakeCrons(args.wake, schedule.timeZone);
        const on = onCluster(args.cluster, this);

        const keda = pinnedRelease(`${name}-keda`, KEDA_CHART, { namespace: KEDA_NAMESPACE, createNamespace: true, values: kedaValues() }, on);
        for (const workload of args.workloads ?? []) {
            modelledCustomResource(`${name}-${workload.namespace}-${workload.name}`, SCALED_OBJECT, cronScaledObject(workload, schedule, wake), {
                ...on,
                dependsOn: [keda, ...(args.workloadsFrom ?? [])],
            });
        }
        this.registerOutputs({});
    }
}
