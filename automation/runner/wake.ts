import { CronExpressionParser } from "cron-parser";
import { ResolvedSchedule, resolveSchedule } from "../../components/nodepools/schedule";
import { MAX_WAKE_HOURS, WakeWindow, nextScheduledSleep, wakeNeedsItsOwnSleep } from "../../components/nodepools/wake";
import { loadStackConfig } from "../../stacks/config";
import { EXIT } from "../exit-codes";
import { readStackConfig } from "../offline/stack-file";
import { OperatorOwnedError, ownedAmong } from "./operator-ownership";
import { RunnerUsageError } from "./pr-stacks";
import { knownStack } from "./known-stack";
import { RunnerContext, forEachStack } from "./stack-commands";

export interface WakeRequest {
    readonly stack?: string;
    /** "HH:MM" in the schedule's time zone; default: the next scheduled sleep. */
    readonly until?: string;
}

/** Whether a stack file's nodes sleep on a schedule: a regional, non-production stack whose paved:schedule is not "none". */
export function sleepsAtNight(config: Readonly<Record<string, string>>): boolean {
    const production = config["paved:production"] === undefined ? config["paved:environment"] === "prod" : config["paved:production"] === "true";
    return config["paved:role"] === "regional" && !production && config["paved:schedule"] !== "none";
}

/** A wake shorter than this could end before its `up` has finished creating its own sleep. */
export const MIN_WAKE_MINUTES = 30;

const HOUR = 3_600_000;

/** "Sat 14:00" in the schedule's zone. */
function local(at: Date, timeZone: string): string {
    return new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

/**
 * When a wake asked for at `now` starts and ends, or undefined when on-hours already run. Every
 * refusal is a usage error naming the flag, its value, the reason and an example.
 */
export function wakeWindow(schedule: ResolvedSchedule, now: Date, until?: string): WakeWindow | undefined {
    const tz = schedule.timeZone;
    // The flag first, so a bad one is refused whatever the time.
    const clock = until === undefined ? undefined : /^([01]\d|2[0-3]):([0-5]\d)$/.exec(until);
    if (until !== undefined && !clock) throw new RunnerUsageError(`got --until ${JSON.stringify(until)}: a 24-hour time "HH:MM" in ${tz}, e.g. --until 18:00`);
    const sleep = nextScheduledSleep(schedule, now);
    const start = CronExpressionParser.parse(schedule.startCron, { tz, currentDate: now }).next().toDate();
    if (sleep < start) return undefined;
    let end = sleep;
    if (until !== undefined && clock) {
        end = CronExpressionParser.parse(`${Number(clock[2])} ${Number(clock[1])} * * *`, { tz, currentDate: now }).next().toDate();
        if (end > sleep) {
            throw new RunnerUsageError(`got --until ${until}: the scheduled sleep at ${local(sleep, tz)} ${tz} comes first and still applies; wake until then at the latest, e.g. --until ${local(sleep, tz).slice(-5)}`);
        }
    } else if (sleep.getTime() - now.getTime() > MAX_WAKE_HOURS * HOUR) {
        throw new RunnerUsageError(`no scheduled sleep in the next ${MAX_WAKE_HOURS} hours (the next is ${local(sleep, tz)} ${tz}): say when the wake ends, e.g. --until 18:00`);
    }
    if (end.getTime() - now.getTime() < MIN_WAKE_MINUTES * 60_000) {
        throw new RunnerUsageError(`got --until ${until ?? local(end, tz).slice(-5)}: that is in less than ${MIN_WAKE_MINUTES} minutes; a wake lasts at least ${MIN_WAKE_MINUTES}, e.g. --until ${local(new Date(now.getTime() + 2 * HOUR), tz).slice(-5)}`);
    }
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
    return { from: iso(new Date(Math.floor(now.getTime() / 60_000) * 60_000)), until: iso(end) };
}

/**
 * `paved wake --stack <name> [--until HH:MM]`: wakes a sleeping non-production cluster now, through
 * the normal path — a refresh (so the night's zero node count is a change to undo), then an `up`
 * whose one-run config (`paved:wake`) sets every pool's desired size, the system pool's first, and
 * lets the scheduled workloads run until the wake ends. The next scheduled sleep still applies.
 */
export async function wakeCommand(request: WakeRequest, projectDir: string, context: RunnerContext): Promise<number> {
    if (request.stack === undefined) throw new RunnerUsageError("name the stack: paved wake --stack <name>, e.g. --stack dev");
    const stack = knownStack(request.stack, context.knownStacks);
    const file = readStackConfig(projectDir, stack);
    const role = file.config["paved:role"];
    if (role !== "regional") throw new RunnerUsageError(`got --stack ${stack}: a ${role} stack has no nodes of its own to wake; wake a regional stack, e.g. --stack dev`);
    const config = loadStackConfig(file.config, { stack, isSecret: (key) => file.secretKeys.includes(key) });
    if (config.production) throw new RunnerUsageError(`got --stack ${stack}: production never sleeps, so there is nothing to wake; wake a non-production stack, e.g. --stack dev`);
    if (!config.schedule) throw new RunnerUsageError(`got --stack ${stack}: its paved:schedule is "none", so it never sleeps and there is nothing to wake; e.g. --stack dev`);
    // One writer per stack: the operator re-applies Git at every resync, which would undo a wake (operator-ownership.ts).
    if (ownedAmong([stack], context).length > 0) {
        throw new OperatorOwnedError(`refusing to wake ${stack}: the Pulumi Kubernetes Operator reconciles it from Git (paved:reconciler: operator in Pulumi.${stack}.yaml) and would undo the wake at its next resync; wake a stack paved applies, e.g. --stack dev`);
    }
    const schedule = resolveSchedule(config.schedule);
    const tz = schedule.timeZone;
    const now = context.now?.() ?? new Date();
    const wake = wakeWindow(schedule, now, request.until);
    if (!wake) {
        context.log(`${stack}: in its on-hours until ${local(nextScheduledSleep(schedule, now), tz)} ${tz}: already awake, nothing changed`);
        return EXIT.ok;
    }
    context.driver.assertReady([stack]);
    const [outcome] = await forEachStack(context, [stack], async (s, signal) => {
        await context.driver.run(s, "refresh", { signal, onEvent: context.log });
        return context.driver.run(s, "up", { signal, onEvent: context.log, config: { "paved:wake.from": wake.from, "paved:wake.until": wake.until } });
    });
    const until = `${local(new Date(wake.until), tz)} ${tz}`;
    if (!outcome.ok) {
        context.log(`${stack}: wake FAILED — ${outcome.error.message}. Its pools may be partly awake; they sleep at the next scheduled sleep. Try again: paved wake --stack ${stack}${request.until ? ` --until ${request.until}` : ""}`);
        return EXIT.failure;
    }
    // The applied state, not the request: the stack's outputs say which wake it runs.
    const applied = (await context.driver.outputs(stack)).wake as Partial<WakeWindow> | undefined;
    if (applied?.until !== wake.until) {
        context.log(`${stack}: the up succeeded but its outputs show no wake until ${wake.until} (they show ${JSON.stringify(applied ?? null)}); check with: paved preview --stack ${stack}`);
        return EXIT.failure;
    }
    const ends = wakeNeedsItsOwnSleep(schedule, wake) ? "a one-off sleep action" : "the scheduled sleep";
    context.log(`${stack}: awake now (the system pool first, then the app pools and the scheduled workloads) until ${until}, when ${ends} puts it back to sleep`);
    return EXIT.ok;
}
