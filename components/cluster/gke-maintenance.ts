/**
 * GKE's side of "nodes are replaced, never patched": the release channel upgrades control plane and
 * nodes automatically, nodes roll by surge, and production says when (a maintenance window) and when
 * not (exclusions for freeze periods). Pure: shapes and checks, tested without Pulumi.
 */
import { Problems, show } from "../validation";

/** What an exclusion holds back (GKE's MaintenanceExclusionOptions.Scope). */
export const EXCLUSION_SCOPES = ["NO_UPGRADES", "NO_MINOR_UPGRADES", "NO_MINOR_OR_NODE_UPGRADES"] as const;
export type ExclusionScope = (typeof EXCLUSION_SCOPES)[number];

/** A recurring window in which GKE may upgrade: the first occurrence (RFC 3339, UTC) and an RFC 5545 RRULE. */
export interface MaintenanceWindow {
    /** Start of the first occurrence, e.g. "2025-01-07T02:00:00Z". */
    readonly startTime: string;
    /** End of the first occurrence (its length is every occurrence's), e.g. "2025-01-07T06:00:00Z". */
    readonly endTime: string;
    /** When it recurs: "FREQ=DAILY" or "FREQ=WEEKLY;BYDAY=TU,WE,TH". */
    readonly recurrence: string;
}

/** A freeze period: no automatic upgrades of the given scope between start and end. */
export interface MaintenanceExclusion {
    /** Unique name, e.g. "black-friday". */
    readonly name: string;
    readonly startTime: string;
    readonly endTime: string;
    /**
     * What is held back.
     * @default "NO_UPGRADES": nothing is upgraded, not even patches (GKE allows at most 30 days of it)
     */
    readonly scope?: ExclusionScope;
}

/** When GKE may upgrade a cluster, and when it must not. */
export interface GkeMaintenance {
    /**
     * When GKE may upgrade control plane and nodes.
     * @default production: Tue–Thu 02:00–06:00 UTC, staffed the morning after; otherwise a daily 4-hour window from 03:00 UTC
     */
    readonly window?: MaintenanceWindow;
    /**
     * Freeze periods (release weeks, sales events).
     * @default none
     */
    readonly exclusions?: readonly MaintenanceExclusion[];
}

/** Production's default: three weekday nights of 4 hours (GKE needs 48 h in any 32 days, 4 h at a stretch: 3 × 4 × 4 = 48). */
export const PRODUCTION_WINDOW: MaintenanceWindow = { startTime: "2025-01-07T02:00:00Z", endTime: "2025-01-07T06:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=TU,WE,TH" };
/** GKE's own shape of a daily window: it starts at this UTC time and lasts 4 hours. */
export const DAILY_WINDOW_START = "03:00";

/**
 * Node upgrades by surge, per environment: production adds one node before it drains one (no capacity
 * lost, PodDisruptionBudgets respected for up to an hour); elsewhere one extra and one drained at once, faster.
 */
export function gkeUpgradeSettings(production: boolean): { strategy: "SURGE"; maxSurge: number; maxUnavailable: number } {
    return { strategy: "SURGE", maxSurge: 1, maxUnavailable: production ? 0 : 1 };
}

/** The cluster's `maintenancePolicy` input: a recurring window when one is set, GKE's daily one otherwise, and the exclusions. */
export function gkeMaintenancePolicy(maintenance: { window?: MaintenanceWindow; exclusions: readonly MaintenanceExclusion[] }) {
    const { window } = maintenance;
    return {
        ...(window
            ? { recurringWindow: { startTime: window.startTime, endTime: window.endTime, recurrence: window.recurrence } }
            : { dailyMaintenanceWindow: { startTime: DAILY_WINDOW_START } }),
        maintenanceExclusions: maintenance.exclusions.map((e) => ({
            exclusionName: e.name,
            startTime: e.startTime,
            endTime: e.endTime,
            exclusionOptions: { scope: e.scope ?? "NO_UPGRADES" },
        })),
    };
}

const HOUR = 3_600_000;
/** RFC 3339 in UTC ("Zulu"): GKE returns times in UTC, so any other offset would be a permanent diff. */
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DAYS = "(MO|TU|WE|TH|FR|SA|SU)";
const RRULE = new RegExp(`^FREQ=(DAILY|WEEKLY(;BYDAY=${DAYS}(,${DAYS})*)?)$`);

/** Milliseconds since the epoch of a valid RFC 3339 UTC time; undefined (and a problem) otherwise. */
function timeAt(problems: Problems, path: string, value: unknown, example: string): number | undefined {
    const ms = typeof value === "string" && RFC3339_UTC.test(value) ? Date.parse(value) : NaN;
    // Date.parse rolls impossible dates over (February 30 becomes March 2); a real time reads back the same.
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== (value as string).slice(0, 19)) {
        problems.add(path, `got ${show(value)}: expected an RFC 3339 time in UTC, e.g. "${example}"`);
        return undefined;
    }
    return ms;
}

/** Fewest hours the window is open in any 32 days: each weekday occurs at least 4 times, every day 32 times. */
function hoursPer32Days(recurrence: string, hours: number): number {
    if (recurrence === "FREQ=DAILY") return 32 * hours;
    const days = recurrence.includes("BYDAY=") ? new Set(recurrence.split("BYDAY=")[1].split(",")).size : 1;
    return days * 4 * hours;
}

/** Every problem with a maintenance policy, under `path` (e.g. "maintenance"). */
export function maintenanceProblems(problems: Problems, path: string, maintenance: { window?: MaintenanceWindow; exclusions: readonly MaintenanceExclusion[] }): void {
    const { window } = maintenance;
    if (window) {
        const start = timeAt(problems, `${path}.window.startTime`, window.startTime, PRODUCTION_WINDOW.startTime);
        const end = timeAt(problems, `${path}.window.endTime`, window.endTime, PRODUCTION_WINDOW.endTime);
        const rruleOk = typeof window.recurrence === "string" && RRULE.test(window.recurrence);
        problems.check(rruleOk, `${path}.window.recurrence`, `got ${show(window.recurrence)}: expected an RRULE "FREQ=DAILY" or "FREQ=WEEKLY;BYDAY=<days>", e.g. "${PRODUCTION_WINDOW.recurrence}"`);
        if (start !== undefined && end !== undefined) {
            const hours = (end - start) / HOUR;
            if (hours < 4) {
                problems.add(`${path}.window.endTime`, `got ${show(window.endTime)}, ${hours > 0 ? `${hours} h` : "not"} after the start: GKE needs at least 4 hours at a stretch, e.g. "${PRODUCTION_WINDOW.endTime}" for a 02:00 start`);
            } else if (rruleOk && hoursPer32Days(window.recurrence, hours) < 48) {
                problems.add(
                    `${path}.window.recurrence`,
                    `got ${show(window.recurrence)} with ${hours} h windows: only ${hoursPer32Days(window.recurrence, hours)} h in 32 days, GKE needs at least 48; add days or hours, e.g. "${PRODUCTION_WINDOW.recurrence}" with 4 h`,
                );
            }
        }
    }
    const names = new Set<string>();
    maintenance.exclusions.forEach((e, i) => {
        const at = `${path}.exclusions[${i}]`;
        const named = typeof e?.name === "string" && e.name.trim() !== "";
        problems.check(named, `${at}.name`, `got ${show(e?.name)}: name the freeze, e.g. "black-friday"`);
        if (named) problems.check(!names.has(e.name), `${at}.name`, `got ${show(e.name)} twice: exclusion names are unique`);
        names.add(e?.name);
        const scope = e?.scope ?? "NO_UPGRADES";
        problems.check(EXCLUSION_SCOPES.includes(scope), `${at}.scope`, `got ${show(e?.scope)}: use one of ${EXCLUSION_SCOPES.join(", ")}, e.g. "NO_MINOR_UPGRADES"`);
        const start = timeAt(problems, `${at}.startTime`, e?.startTime, "2026-11-25T00:00:00Z");
        const end = timeAt(problems, `${at}.endTime`, e?.endTime, "2026-12-02T00:00:00Z");
        if (start === undefined || end === undefined) return;
        if (end <= start) {
            problems.add(`${at}.endTime`, `got ${show(e.endTime)}, not after startTime ${show(e.startTime)}: an exclusion ends after it starts, e.g. "2026-12-02T00:00:00Z" for a "2026-11-25T00:00:00Z" start`);
        } else if (scope === "NO_UPGRADES" && end - start > 30 * 24 * HOUR) {
            problems.add(`${at}.endTime`, `got ${show(e.endTime)}: a NO_UPGRADES exclusion lasts at most 30 days; shorten it, or use scope "NO_MINOR_UPGRADES" to keep patches flowing`);
        }
    });
}
