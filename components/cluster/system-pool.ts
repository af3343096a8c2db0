import { ResolvedSchedule, ScheduleArgs, SYSTEM_SLEEP_LAG_MINUTES, SYSTEM_WAKE_LEAD_MINUTES, resolveSchedule, scheduleProblems, shiftCron, widenSchedule } from "../nodepools/schedule";
import { WakeWindow, wakeProblems } from "../nodepools/wake";
import { Problems, checkIntegerIn, checkSizeRange, show } from "../validation";
import { checkOneArchitecture } from "./architecture";

/**
 * The small pool that runs critical add-ons (CoreDNS, the CSI driver, controllers): on demand around
 * the clock in production; on spot, sleeping outside on-hours, elsewhere.
 */
export interface SystemPoolArgs {
    /**
     * Instance types, first preferred.
     * @default ["m6i.large", "m6a.large", "m7i.large"] on EKS; "e2-standard-4" on GKE
     */
    readonly instanceTypes?: readonly string[];
    /**
     * Fewest nodes (per zone on GKE).
     * @default EKS: 2 in production, 1 otherwise; GKE: 1 per zone
     */
    readonly minSize?: number;
    /**
     * Most nodes (per zone on GKE).
     * @default EKS: 4 in production, 2 otherwise; GKE: 3 per zone in production, 2 otherwise
     */
    readonly maxSize?: number;
    /**
     * Root volume size in GiB (encrypted gp3 on EKS, pd-balanced on GKE).
     * @default 50
     */
    readonly diskSizeGiB?: number;
    /**
     * Spot capacity (at least 2 instance types). Production keeps its system pool on demand.
     * @default true outside production, false in production
     */
    readonly spot?: boolean;
    /**
     * On-hours: outside them the system pool sleeps too, and it wakes `SYSTEM_WAKE_LEAD_MINUTES`
     * before the app pools. Production keeps its system pool up around the clock.
     * @default none: always on
     */
    readonly schedule?: ScheduleArgs;
    /**
     * An early wake in progress (`paved wake`).
     * @default none
     */
    readonly wake?: WakeWindow;
}

/** A system pool with its defaults applied; schedule and wake stay optional. */
export type ResolvedSystemPool = Required<Omit<SystemPoolArgs, "schedule" | "wake">> & Pick<SystemPoolArgs, "schedule" | "wake">;

export function systemPoolDefaults(production: boolean, instanceTypes: readonly string[]): ResolvedSystemPool {
    return { instanceTypes, minSize: production ? 2 : 1, maxSize: production ? 4 : 2, diskSizeGiB: 50, spot: !production };
}

/**
 * The system pool's own on-hours: the schedule opened `SYSTEM_WAKE_LEAD_MINUTES` early, and on GKE
 * closed `SYSTEM_SLEEP_LAG_MINUTES` late. Undefined without a schedule, or when the schedule cannot move.
 */
export function systemPoolSchedule(pool: Pick<SystemPoolArgs, "schedule">, cloud: "aws" | "gcp"): ResolvedSchedule | undefined {
    return pool.schedule && widenSchedule(resolveSchedule(pool.schedule), SYSTEM_WAKE_LEAD_MINUTES, cloud === "gcp" ? SYSTEM_SLEEP_LAG_MINUTES : 0);
}

/** Drops keys whose value is undefined, so spreading them does not erase a default. */
export function definedOnly<T extends object>(value: T): Partial<T> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function validateSystemPool(problems: Problems, path: string, pool: ResolvedSystemPool, cloud: "aws" | "gcp", production: boolean): void {
    checkSizeRange(problems, path, pool.minSize, pool.maxSize);
    checkIntegerIn(problems, `${path}.diskSizeGiB`, pool.diskSizeGiB, 20, 16384, 50);
    problems.check(
        Array.isArray(pool.instanceTypes) && pool.instanceTypes.length > 0,
        `${path}.instanceTypes`,
        `got ${show(pool.instanceTypes)}: name at least one instance type, e.g. ["m6i.large"]`,
    );
    checkOneArchitecture(problems, `${path}.instanceTypes`, cloud, pool.instanceTypes);
    const types: readonly unknown[] = Array.isArray(pool.instanceTypes) ? pool.instanceTypes : [];
    if (pool.spot) {
        problems.check(
            types.length >= 2 && new Set(types).size === types.length,
            `${path}.instanceTypes`,
            `got ${show(pool.instanceTypes)}: a spot system pool needs at least 2 different instance types so one reclaimed type cannot take CoreDNS and the autoscaler down; e.g. ["m6i.large", "m6a.large", "m7i.large"]`,
        );
    }
    if (production) {
        problems.check(!pool.spot, `${path}.spot`, `got ${show(pool.spot)} in production: production keeps an on-demand system pool around the clock; remove it (or set false)`);
        problems.check(pool.schedule === undefined, `${path}.schedule`, `got ${show(pool.schedule)} in production: production keeps its system pool up around the clock; remove it`);
    }
    if (pool.schedule) {
        const found = scheduleProblems(pool.schedule, `${path}.schedule`);
        problems.addAll("", found.list);
        if (found.list.length === 0 && !systemPoolSchedule(pool, cloud)) {
            const moved = cloud === "gcp" ? `wakes ${SYSTEM_WAKE_LEAD_MINUTES} minutes before the app pools and sleeps ${SYSTEM_SLEEP_LAG_MINUTES} minutes after them` : `wakes ${SYSTEM_WAKE_LEAD_MINUTES} minutes before the app pools`;
            const cron = pool.schedule as { startCron?: string; endCron?: string };
            const key = cron.startCron !== undefined && !shiftCron(cron.startCron, -SYSTEM_WAKE_LEAD_MINUTES) ? "startCron" : "endCron";
            problems.add(
                `${path}.schedule.${key}`,
                `got ${show(cron[key])}: the system pool ${moved}, so its start and end must each name one time of day (dates only if the move stays on the same day), e.g. "${key === "startCron" ? "0 7 * * 1-5" : "0 20 * * 1-5"}"`,
            );
        }
    }
    if (pool.wake) problems.addAll("", wakeProblems(pool.wake, `${path}.wake`).list);
}
