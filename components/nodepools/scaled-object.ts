import { CronWindow, ResolvedSchedule } from "./schedule";
import { validatedManifest } from "../custom-resource";

/**
 * The kinds of workload a night schedule can scale, with their API groups. KEDA scales anything
 * with a `/scale` subresource; an Argo Rollout has one, so an app released as a canary is scaled
 * through its Rollout (the Deployment does not exist).
 */
export const SCALABLE_KINDS = {
    Deployment: "apps/v1",
    StatefulSet: "apps/v1",
    Rollout: "argoproj.io/v1alpha1",
} as const;
/** The workload kinds KEDA can scale to zero on a schedule. */
export type ScalableKind = keyof typeof SCALABLE_KINDS;

/** A workload that scales to zero outside on-hours. */
export interface ScheduledWorkload {
    readonly namespace: string;
    readonly name: string;
    /**
     * What to scale.
     * @default "Deployment"
     */
    readonly kind?: ScalableKind;
    /** Replicas during on-hours. */
    readonly replicas: number;
}

/** The ScaledObject's `scaleTargetRef`: kind and API version of what the workload really is. */
export function scaleTargetRef(workload: ScheduledWorkload): { apiVersion: string; kind: ScalableKind; name: string } {
    const kind = workload.kind ?? "Deployment";
    return { apiVersion: SCALABLE_KINDS[kind], kind, name: workload.name };
}

/**
 * A KEDA ScaledObject with a cron trigger: `replicas` during on-hours, zero outside them; with `wake`
 * (an early wake's window, on its dates) a second cron trigger, and KEDA takes the higher. Built with
 * @kubernetes-models/keda and validated against KEDA's schema before Pulumi ever sees it. That
 * package is ESM-only, hence the dynamic import and the promise.
 */
export async function cronScaledObject(workload: ScheduledWorkload, schedule: ResolvedSchedule, wake?: CronWindow): Promise<Record<string, unknown>> {
    const { ScaledObject } = await import("@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject");
    const scaledObject = new ScaledObject({
        metadata: {
            name: `${workload.name}-on-hours`,
            namespace: workload.namespace,
            labels: { "app.kubernetes.io/managed-by": "paved-road" },
        },
        spec: {
            scaleTargetRef: scaleTargetRef(workload),
            minReplicaCount: 0,
            maxReplicaCount: workload.replicas,
            cooldownPeriod: 300,
            triggers: [schedule, ...(wake ? [wake] : [])].map((window) => ({
                type: "cron",
                metadata: {
                    timezone: schedule.timeZone,
                    start: window.startCron,
                    end: window.endCron,
                    desiredReplicas: String(workload.replicas),
                },
            })),
        },
    });
    return validatedManifest(scaledObject);
}
