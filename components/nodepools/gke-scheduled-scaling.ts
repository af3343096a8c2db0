import * as cloudscheduler from "@pulumi/gcp/cloudscheduler";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedSchedule, shiftCron } from "./schedule";
import { WakeWindow, wakeCrons, wakeNeedsItsOwnSleep } from "./wake";

/** What calling the GKE API on a schedule needs: the permission to resize node pools, nothing more. */
export const NODE_POOL_SCALER_PERMISSIONS = ["container.clusters.get", "container.clusters.update", "container.operations.get"];

export interface GkeSleepingPool {
    /** The node pool's full name, `projects/<p>/locations/<l>/clusters/<c>/nodePools/<n>`. */
    readonly path: pulumi.Input<string>;
    /** Per-zone sizes while up; only the first pool of a spot system pool is sized at wake-up. */
    readonly minNodeCount: number;
    readonly maxNodeCount: number;
}

export interface GkeScheduledScalingArgs {
    readonly project: pulumi.Input<string>;
    /** Cloud Scheduler's region (the cluster's). */
    readonly region: string;
    readonly schedule: ResolvedSchedule;
    readonly pools: readonly GkeSleepingPool[];
    readonly wake?: WakeWindow;
}

/**
 * GKE has no scheduled scaling of its own, so Cloud Scheduler calls the GKE API: at sleep it turns
 * each pool's autoscaling off (pending system pods would otherwise bring nodes back) and a few
 * minutes later sizes it to zero; at wake-up it sizes the first pool and turns autoscaling back on.
 * The calls run as a service account whose custom role can only resize node pools.
 */
export function gkeScheduledScaling(prefix: string, args: GkeScheduledScalingArgs, opts: pulumi.CustomResourceOptions): cloudscheduler.Job[] {
    const account = new serviceaccount.Account(`${prefix}-scaler`, {
        project: args.project,
        accountId: `${prefix}-scaler`.slice(0, 30).replace(/-$/, ""),
        displayName: `Sleeps and wakes the ${prefix} node pools on their schedule`,
    }, opts);
    const role = new projects.IAMCustomRole(`${prefix}-scaler`, {
        project: args.project,
        roleId: `${prefix.replace(/[^A-Za-z0-9]/g, "_")}_node_pool_scaler`.slice(0, 64),
        title: `Resize the ${prefix} node pools`,
        permissions: NODE_POOL_SCALER_PERMISSIONS,
    }, opts);
    const grant = new projects.IAMMember(`${prefix}-scaler`, {
        project: args.project,
        role: role.name,
        member: pulumi.interpolate`serviceAccount:${account.email}`,
    }, opts);
    const s = args.schedule;
    const call = (name: string, schedule: string, pool: GkeSleepingPool, verb: "setAutoscaling" | "setSize", body: Record<string, unknown>) =>
        new cloudscheduler.Job(`${prefix}-${name}`, {
            project: args.project,
            region: args.region,
            schedule,
            timeZone: s.timeZone,
            description: `${prefix}: ${verb} ${JSON.stringify(body)}`,
            retryConfig: { retryCount: 3, minBackoffDuration: "30s" },
            httpTarget: {
                uri: pulumi.interpolate`https://container.googleapis.com/v1/${pool.path}:${verb}`,
                httpMethod: "POST",
                headers: { "Content-Type": "application/json" },
                body: Buffer.from(JSON.stringify(body)).toString("base64"),
                oauthToken: { serviceAccountEmail: account.email },
            },
        }, { ...opts, dependsOn: [grant] });
    // Five minutes after autoscaling is off, the pool is sized to zero.
    const later = (cron: string) => shiftCron(cron, 5)!;
    const sleep = (tag: string, cron: string) =>
        args.pools.flatMap((pool, i) => [
            call(`${i}-${tag}`, cron, pool, "setAutoscaling", { autoscaling: { enabled: false } }),
            call(`${i}-${tag}-size`, later(cron), pool, "setSize", { nodeCount: 0 }),
        ]);
    const jobs = [
        ...sleep("sleep", s.endCron),
        ...args.pools.flatMap((pool, i) => [
            ...(i === 0 ? [call(`${i}-wake-size`, s.startCron, pool, "setSize", { nodeCount: pool.minNodeCount })] : []),
            call(`${i}-wake`, later(s.startCron), pool, "setAutoscaling", { autoscaling: { enabled: true, minNodeCount: pool.minNodeCount, maxNodeCount: pool.maxNodeCount } }),
        ]),
    ];
    // An early wake that the schedule would not end: a sleep on its date (Cloud Scheduler has no one-off jobs).
    if (args.wake && wakeNeedsItsOwnSleep(s, args.wake)) jobs.push(...sleep("wake-end", wakeCrons(args.wake, s.timeZone).endCron));
    return jobs;
}
