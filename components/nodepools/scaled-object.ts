import { ResolvedSchedule } from "./schedule";
import { validatedManifest } from "../custom-resource";

/** A workload that scales to zero outside on-hours. */
export interface ScheduledWorkload {
    readonly namespace: string;
    readonly name: string;
    /**
     * What to scale.
     * @default "Deployment"
     */
    readonly kind?: "Deployment" | "StatefulSet";
    /** Replicas during on-hours. */
    readonly replicas: number;
}

/**
 * A KEDA ScaledObject with a cron trigger: `replicas` during on-hours, zero outside them. Built with
 * @kubernetes-models/keda and validated against KEDA's schema before Pulumi ever sees it. That
 * package is ESM-only, hence the dynamic import and the promise.
 */
export async function cronScaledObject(workload: ScheduledWorkload, schedule: ResolvedSchedule): Promise<Record<string, unknown>> {
    const { ScaledObject } = await import("@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject");
    const scaledObject = new ScaledObject({
        metadata: {
            name: `${workload.name}-on-hours`,
            namespace: workload.namespace,
            labels: { "app.kubernetes.io/managed-by": "paved-road" },
        },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: workload.kind ?? "Deployment", name: workload.name },
            minReplicaCount: 0,
            maxReplicaCount: workload.replicas,
            cooldownPeriod: 300,
            triggers: [{
                type: "cron",
                metadata: {
                    timezone: schedule.timeZone,
                    start: schedule.startCron,
                    end: schedule.endCron,
                    desiredReplicas: String(workload.replicas),
                },
            }],
        },
    });
    return validatedManifest(scaledObject);
}
