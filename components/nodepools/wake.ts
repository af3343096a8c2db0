import { CronExpressionParser } from "cron-parser";
import { Problems, show } from "../validation";
import { CronWindow, ResolvedSchedule } from "./schedule";

/**
 * A sleeping cluster woken early (`paved wake`): capacity up from `from` until `until`, both ISO 8601
 * instants in UTC. A wake is one run's temporary config, never a tracked file's.
 */
export interface WakeWindow {
    readonly from: string;
    readonly until: string;
}

/** A wake lasts at most this long, so a forgotten one cannot keep a cluster up for days. */
export const MAX_WAKE_HOURS = 24;

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;
const instant = (value: unknown): number | undefined => (typeof value === "string" && ISO_UTC.test(value) && !Number.isNaN(Date.parse(value)) ? Date.parse(value) : undefined);

export function wakeProblems(wake: WakeWindow, path = "wake"): Problems {
    const problems = new Problems();
    const from = instant(wake?.from);
    const until = instant(wake?.until);
    problems.check(from !== undefined, `${path}.from`, `got ${show(wake?.from)}: an ISO 8601 instant in UTC, e.g. "2026-01-05T06:00:00Z"`);
    problems.check(until !== undefined, `${path}.until`, `got ${show(wake?.until)}: an ISO 8601 instant in UTC, e.g. "2026-01-05T19:00:00Z"`);
    if (from !== undefined && until !== undefined) {
        problems.check(
            until > from && until - from <= MAX_WAKE_HOURS * 3_600_000,
            `${path}.until`,
            `got ${show(wake.until)} for a wake from ${show(wake.from)}: it must end after it starts and at most ${MAX_WAKE_HOURS} hours later, e.g. "2026-01-05T19:00:00Z" for a wake from "2026-01-05T06:00:00Z"`,
        );
    }
    return problems;
}

/** The schedule's next sleep strictly after `after`. */
export function nextScheduledSleep(schedule: ResolvedSchedule, after: Date): Date {
    return CronExpressionParser.parse(schedule.endCron, { tz: schedule.timeZone, currentDate: after }).next().toDate();
}

/** Whether `at` is one of the schedule's own sleeps: its recurring action then ends the wake, and AWS refuses a second action at the same time. */
export function isScheduledSleep(schedule: ResolvedSchedule, at: Date): boolean {
    return nextScheduledSleep(schedule, new Date(at.getTime() - 1000)).getTime() === at.getTime();
}

/** "M H D Mon *" for an instant in a time zone: a cron that fires on that date (again a year later, unless the next `up` removes it). */
function dateCron(iso: string, timeZone: string): string {
    const parts = Object.fromEntries(
        new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" })
            .formatToParts(new Date(iso))
            .map((p) => [p.type, Number(p.value)]),
    );
    return `${parts.minute} ${parts.hour} ${parts.day} ${parts.month} *`;
}

/** The wake as a cron pair on its dates, in the schedule's zone: KEDA's cron trigger for it. */
export function wakeCrons(wake: WakeWindow, timeZone: string): CronWindow {
    return { startCron: dateCron(wake.from, timeZone), endCron: dateCron(wake.until, timeZone) };
}

/** The wake ends by itself (a one-off sleep) unless the schedule takes over first: it ends at a scheduled sleep, or on-hours start before it ends. */
export function wakeNeedsItsOwnSleep(schedule: ResolvedSchedule, wake: WakeWindow): boolean {
    const until = new Date(wake.until);
    const nextStart = CronExpressionParser.parse(schedule.startCron, { tz: schedule.timeZone, currentDate: new Date(wake.from) }).next().toDate();
    return !isScheduledSleep(schedule, until) && until < nextStart;
}
