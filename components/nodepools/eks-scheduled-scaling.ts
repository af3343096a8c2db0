import * as autoscaling from "@pulumi/aws/autoscaling";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedSchedule } from "./schedule";
import { WakeWindow, wakeNeedsItsOwnSleep } from "./wake";

export { wakeNeedsItsOwnSleep };

export interface ScheduledScalingArgs {
    /** The managed node group's Auto Scaling group. */
    readonly asgName: pulumi.Input<string>;
    /** The group's own on-hours (the system group's open earlier than the apps'). */
    readonly schedule: ResolvedSchedule;
    /** Sizes while up. */
    readonly minSize: number;
    readonly maxSize: number;
    /** An early wake in progress: it ends with a one-off sleep when the schedule would not end it. */
    readonly wake?: WakeWindow;
}


/**
 * ASG scheduled actions that put one node group to sleep outside on-hours and wake it at their start:
 * the mechanism both the system group and the app pools' groups follow on EKS.
 */
export function scheduledScaling(prefix: string, args: ScheduledScalingArgs, opts: pulumi.CustomResourceOptions): autoscaling.Schedule[] {
    const action = (when: string, timing: { recurrence: string; timeZone: string } | { startTime: string }, size: { min: number; max: number }) =>
        new autoscaling.Schedule(`${prefix}-${when}`, {
            scheduledActionName: `${prefix}-${when}`,
            autoscalingGroupName: args.asgName,
            ...timing,
            minSize: size.min,
            maxSize: size.max,
            desiredCapacity: size.min,
        }, opts);
    const s = args.schedule;
    const actions = [
        action("scale-down", { recurrence: s.endCron, timeZone: s.timeZone }, { min: 0, max: 0 }),
        action("scale-up", { recurrence: s.startCron, timeZone: s.timeZone }, { min: args.minSize, max: args.maxSize }),
    ];
    if (args.wake && wakeNeedsItsOwnSleep(s, args.wake)) {
        // A one-off action at the wake's end, in UTC; AWS drops it once it has run.
        actions.push(action("wake-end", { startTime: new Date(args.wake.until).toISOString().replace(/\.\d{3}Z$/, "Z") }, { min: 0, max: 0 }));
    }
    return actions;
}
