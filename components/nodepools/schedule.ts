import { CronExpressionParser } from "cron-parser";
import { processCache } from "../process-caches";
import { Problems, show } from "../validation";

/** On-hours as days and clock times, e.g. Mon–Fri 07:00–20:00. An end before the start runs past midnight. */
export interface DaysAndHours {
    /** Days the window opens, e.g. "Mon-Fri", "Mon,Wed,Fri", "Sat-Sun". */
    readonly days: string;
    /** When capacity comes up, "HH:MM". */
    readonly start: string;
    /** When capacity goes down, "HH:MM". */
    readonly end: string;
}

/** On-hours as two cron expressions (minute hour day-of-month month day-of-week). */
export interface CronWindow {
    /** When capacity comes up, e.g. "0 7 * * 1-5". */
    readonly startCron: string;
    /** When capacity goes down, e.g. "0 20 * * 1-5". */
    readonly endCron: string;
}

/** When a non-production environment has capacity: nodes and workloads outside it scale to zero. */
export type ScheduleArgs = { readonly timeZone: string } & (DaysAndHours | CronWindow);

/** A schedule in the two cron expressions both clouds and KEDA take, with its weekly on-hours. */
export interface ResolvedSchedule {
    readonly timeZone: string;
    readonly startCron: string;
    readonly endCron: string;
    /** Hours per week with capacity up (a week without daylight-saving changes). */
    readonly onHoursPerWeek: number;
}

const DAY_NUMBERS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** Day numbers as cron writes them: ascending runs become ranges ("1-5"), the rest a list ("0,6"). */
function cronDayList(days: readonly number[]): string {
    const sorted = [...new Set(days)].sort((x, y) => x - y);
    const runs: number[][] = [];
    for (const d of sorted) {
        const last = runs[runs.length - 1];
        if (last && d === last[last.length - 1] + 1) last.push(d);
        else runs.push([d]);
    }
    return runs.map((r) => (r.length > 2 ? `${r[0]}-${r[r.length - 1]}` : r.join(","))).join(",");
}

function dayNumbers(days: string): number[] | undefined {
    const out: number[] = [];
    for (const part of days.toLowerCase().split(",")) {
        const ends = part.split("-").map((d) => DAY_NUMBERS[d.trim().slice(0, 3)]);
        if (ends.length > 2 || ends.some((d) => d === undefined)) return undefined;
        const [from, to = from] = ends;
        // A range may wrap the week: "Fri-Mon" is Fri, Sat, Sun, Mon.
        for (let d = from; ; d = (d + 1) % 7) {
            out.push(d);
            if (d === to) break;
        }
    }
    return out;
}

/** "Mon-Fri" -> "1-5"; "Sat-Sun" -> "0,6". Undefined when a name is not a day. */
export function cronDays(days: string): string | undefined {
    const numbers = dayNumbers(days);
    return numbers ? cronDayList(numbers) : undefined;
}

function clock(time: string): { hour: number; minute: number } | undefined {
    const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
    return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
}

// Asking Intl about a zone builds a formatter (~0.2 ms); a plan asks about the same zone for every pool.
const knownTimeZones = processCache(new Set<string>());

function isTimeZone(timeZone: unknown): timeZone is string {
    if (typeof timeZone !== "string" || timeZone === "") return false;
    if (knownTimeZones.has(timeZone)) return true;
    try {
        new Intl.DateTimeFormat("en", { timeZone });
        knownTimeZones.add(timeZone);
        return true;
    } catch {
        return false;
    }
}

function isCronWindow(s: ScheduleArgs): s is { timeZone: string } & CronWindow {
    return "startCron" in s || "endCron" in s;
}

/** The cron pair a schedule stands for, or the problems that stop it from standing for one. */
function toCrons(s: ScheduleArgs, path: string, problems: Problems): CronWindow | undefined {
    if (isCronWindow(s)) return { startCron: s.startCron, endCron: s.endCron };
    const h = s as DaysAndHours;
    const days = typeof h.days === "string" ? dayNumbers(h.days) : undefined;
    const start = typeof h.start === "string" ? clock(h.start) : undefined;
    const end = typeof h.end === "string" ? clock(h.end) : undefined;
    problems.check(days !== undefined, `${path}.days`, `got ${show(h.days)}: name days or ranges of days, e.g. "Mon-Fri" or "Mon,Wed,Fri"`);
    problems.check(start !== undefined, `${path}.start`, `got ${show(h.start)}: expected a 24-hour time "HH:MM", e.g. "07:00"`);
    problems.check(end !== undefined, `${path}.end`, `got ${show(h.end)}: expected a 24-hour time "HH:MM", e.g. "20:00"`);
    if (!days || !start || !end) return undefined;
    if (h.start === h.end) {
        problems.add(path, `got start ${show(h.start)} = end ${show(h.end)}: the window never has capacity up; give it on-hours, e.g. { days: "Mon-Fri", start: "07:00", end: "20:00" }`);
        return undefined;
    }
    // A window past midnight ends on the following days.
    const endDays = end.hour * 60 + end.minute <= start.hour * 60 + start.minute ? days.map((d) => (d + 1) % 7) : days;
    return {
        startCron: `${start.minute} ${start.hour} * * ${cronDayList(days)}`,
        endCron: `${end.minute} ${end.hour} * * ${cronDayList(endDays)}`,
    };
}

/** Every problem with a schedule: bad days or times, a bad cron, an unknown time zone, no on-hours at all. */
export function scheduleProblems(s: ScheduleArgs, path = "schedule"): Problems {
    const problems = new Problems();
    problems.check(isTimeZone(s.timeZone), `${path}.timeZone`, `got ${show(s.timeZone)}: expected an IANA time zone, e.g. "Europe/Berlin" or "UTC"`);
    const crons = toCrons(s, path, problems);
    if (!crons) return problems;
    for (const field of ["startCron", "endCron"] as const) {
        try {
            // The parser reads a missing expression as "every minute": refuse it here instead.
            if (typeof crons[field] !== "string") throw new Error("a cron expression is a string");
            CronExpressionParser.parse(crons[field], { strict: false });
        } catch (e) {
            const where = isCronWindow(s) ? `${path}.${field}` : path;
            problems.add(where, `got ${show(crons[field])}: not a valid cron expression (${(e as Error).message}); e.g. "0 7 * * 1-5"`);
        }
    }
    if (problems.list.length === 0 && weeklyOnHours(crons, s.timeZone) === 0) {
        problems.add(path, `got ${show(s)}: the window never has capacity up; give it on-hours, e.g. { days: "Mon-Fri", start: "07:00", end: "20:00" }`);
    }
    return problems;
}

/** A validated schedule; throws on bad input (call `scheduleProblems` first to report it nicely). */
export function resolveSchedule(s: ScheduleArgs): ResolvedSchedule {
    scheduleProblems(s).throwIfAny("schedule");
    const crons = toCrons(s, "schedule", new Problems())!;
    return { timeZone: s.timeZone, ...crons, onHoursPerWeek: weeklyOnHours(crons, s.timeZone) };
}

// Walking a week of cron events in a time zone costs about 5 ms, and every pool of every stack asks
// for the same few windows, so each answer is kept (the function is pure).
const onHoursByWindow = processCache(new Map<string, number>());

/** Hours the window is open in one reference week (Mon 5 Jan 2026, no daylight-saving change). */
function weeklyOnHours(crons: CronWindow, timeZone: string): number {
    const key = JSON.stringify([timeZone, crons.startCron, crons.endCron]);
    let hours = onHoursByWindow.get(key);
    if (hours === undefined) onHoursByWindow.set(key, (hours = walkWeeklyOnHours(crons, timeZone)));
    return hours;
}

function walkWeeklyOnHours(crons: CronWindow, timeZone: string): number {
    const from = new Date("2026-01-05T00:00:00Z");
    const to = new Date("2026-01-12T00:00:00Z");
    const events = (expr: string, up: boolean) => {
        const it = CronExpressionParser.parse(expr, { tz: timeZone, currentDate: from, endDate: to });
        const out: { at: number; up: boolean }[] = [];
        while (it.hasNext()) out.push({ at: it.next().toDate().getTime(), up });
        const before = CronExpressionParser.parse(expr, { tz: timeZone, currentDate: from }).prev().toDate().getTime();
        return { out, before };
    };
    const start = events(crons.startCron, true);
    const end = events(crons.endCron, false);
    // Capacity is up at the week's start if the last event before it was a start.
    let up = start.before > end.before;
    let since = from.getTime();
    let total = 0;
    for (const event of [...start.out, ...end.out].sort((a, b) => a.at - b.at)) {
        if (up && !event.up) total += event.at - since;
        if (!up && event.up) since = event.at;
        up = event.up;
    }
    if (up) total += to.getTime() - since;
    return Math.round((total / 3_600_000) * 100) / 100;
}

/**
 * The system pool wakes this long before the app pools: a node joins in a few minutes, then KEDA and
 * the cluster autoscaler start on it, so both are up when the workloads come back.
 */
export const SYSTEM_WAKE_LEAD_MINUTES = 15;

/**
 * On GKE the system pool sleeps this long after the app pools' on-hours end: KEDA, which runs on it,
 * scales the workloads to zero first (after its 5-minute cooldown), and GKE's autoscaler then
 * removes the empty app nodes. (On EKS the app groups' own scheduled actions empty them.)
 */
export const SYSTEM_SLEEP_LAG_MINUTES = 15;

/**
 * A cron moved by `minutes` (negative: earlier). Undefined when it names no single time of day, or
 * when the move changes the day and the cron also fixes dates: such a move has no cron of its own.
 */
export function shiftCron(cron: string, minutes: number): string | undefined {
    if (minutes === 0) return cron;
    const fields = cron.trim().split(/\s+/);
    if (fields.length !== 5 || !/^\d+$/.test(fields[0]) || !/^\d+$/.test(fields[1])) return undefined;
    const [minute, hour, dayOfMonth, month] = fields;
    let dayOfWeek = fields[4];
    const at = Number(hour) * 60 + Number(minute) + minutes;
    const dayShift = Math.floor(at / (24 * 60));
    if (dayShift !== 0) {
        if (dayOfMonth !== "*" || month !== "*") return undefined;
        if (dayOfWeek !== "*") {
            const days = CronExpressionParser.parse(cron).fields.dayOfWeek.values.map((d) => (((Number(d) + dayShift) % 7) + 7) % 7);
            dayOfWeek = cronDayList(days);
        }
    }
    const t = ((at % (24 * 60)) + 24 * 60) % (24 * 60);
    return `${t % 60} ${Math.floor(t / 60)} ${dayOfMonth} ${month} ${dayOfWeek}`;
}

/** The window opened `earlier` minutes before its start and closed `later` minutes after its end; undefined as `shiftCron`. */
export function widenSchedule(s: ResolvedSchedule, earlier: number, later = 0): ResolvedSchedule | undefined {
    const startCron = shiftCron(s.startCron, -earlier);
    const endCron = shiftCron(s.endCron, later);
    if (!startCron || !endCron) return undefined;
    return { ...s, startCron, endCron, onHoursPerWeek: weeklyOnHours({ startCron, endCron }, s.timeZone) };
}

/** The same window opening `minutes` earlier (what the EKS system pool follows); undefined as `shiftCron`. */
export function openEarlier(s: ResolvedSchedule, minutes: number): ResolvedSchedule | undefined {
    return widenSchedule(s, minutes, 0);
}
