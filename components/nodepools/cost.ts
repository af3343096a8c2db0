import { Problems, show } from "../validation";
import { DEFAULT_SPOT_DISCOUNT, INSTANCE_PRICES, PRICE_SOURCE } from "./prices";

export const HOURS_PER_WEEK = 168;
/** The clouds bill a month as 730 hours. */
export const HOURS_PER_MONTH = 730;

/** One node pool, as the cost report sees it. */
export interface PoolCostInput {
    readonly pool: string;
    /** Priced at the first (preferred) instance type, the pool's reference shape. */
    readonly instanceType: string;
    /** Typical node count while the pool is up. */
    readonly nodes: number;
    readonly spot: boolean;
    /** Hours per week the pool is up; undefined for always on. */
    readonly onHoursPerWeek?: number;
}

/** Prices and discounts the cost report uses instead of the shipped ones. */
export interface CostOptions {
    /**
     * On-demand USD per hour by instance type, merged over the shipped table.
     * @default the shipped table (`INSTANCE_PRICES`)
     */
    readonly prices?: Readonly<Record<string, number>>;
    /**
     * Share of the on-demand price saved on spot, 0 to 1.
     * @default 0.65
     */
    readonly spotDiscount?: number;
}

/** Node hours a week and dollars a month, one way of running a pool. */
export interface CostLine {
    readonly nodeHoursPerWeek: number;
    readonly monthlyUsd: number;
}

/** One pool in the cost report: on-demand around the clock (the baseline) against what is planned. */
export interface PoolCost {
    readonly pool: string;
    readonly instanceType: string;
    readonly nodes: number;
    readonly onDemandPerHour: number;
    /** Priced at the spot discount. */
    readonly spot: boolean;
    /** Hours per week the pool is up (168: always on). */
    readonly upHoursPerWeek: number;
    /** Every node on demand, around the clock. */
    readonly baseline: CostLine;
    /** What the pool is planned as: spot and/or scheduled. */
    readonly planned: CostLine;
    /** 1 − planned / baseline. */
    readonly savingsRatio: number;
}

/** What an environment's node pools cost a month, planned against on-demand 24/7, per pool and in total. */
export interface CostReport {
    readonly environment: string;
    readonly pools: PoolCost[];
    readonly total: {
        readonly baselineMonthlyUsd: number;
        readonly plannedMonthlyUsd: number;
        readonly savingsRatio: number;
        /** planned / baseline: what the nodes cost as a share of every node on demand 24/7. */
        readonly shareOfOnDemand: number;
    };
    readonly assumptions: { readonly spotDiscount: number; readonly hoursPerMonth: number; readonly prices: string };
}

const cents = (usd: number) => Math.round(usd * 100) / 100;
const ratio = (planned: number, baseline: number) => (baseline === 0 ? 0 : Math.round((1 - planned / baseline) * 10000) / 10000);

function priceOf(instanceType: string, options: CostOptions): number | undefined {
    return options.prices?.[instanceType] ?? INSTANCE_PRICES[instanceType]?.onDemandPerHour;
}

/** Problems that stop a cost report: an unpriced instance type or a discount outside 0..1. */
export function costProblems(pools: readonly PoolCostInput[], options: CostOptions = {}, path = "nodePools"): Problems {
    const problems = new Problems();
    pools.forEach((p, i) => {
        problems.check(
            priceOf(p.instanceType, options) !== undefined,
            `${path}[${i}].instanceTypes[0]`,
            `got ${show(p.instanceType)}: not in the price table, so no cost report; use a listed type (e.g. "m6i.large") or add its price under cost prices, e.g. { "${p.instanceType}": 0.1 }`,
        );
    });
    const discount = options.spotDiscount ?? DEFAULT_SPOT_DISCOUNT;
    problems.check(discount >= 0 && discount < 1, "spotDiscount", `got ${show(options.spotDiscount)}: a share from 0 to below 1, e.g. 0.65`);
    return problems;
}

/**
 * Estimated node-hours per week and monthly cost per pool and for the environment: the on-demand,
 * always-on baseline against spot × schedule. A pure function of the plan and the price table.
 */
export function costReport(environment: string, pools: readonly PoolCostInput[], options: CostOptions = {}): CostReport {
    costProblems(pools, options).throwIfAny("costReport");
    const discount = options.spotDiscount ?? DEFAULT_SPOT_DISCOUNT;
    const priced = pools.map((p) => {
        const price = priceOf(p.instanceType, options)!;
        const upHours = p.onHoursPerWeek ?? HOURS_PER_WEEK;
        return {
            p,
            price,
            upHours,
            baseline: p.nodes * HOURS_PER_MONTH * price,
            planned: p.nodes * upHours * (HOURS_PER_MONTH / HOURS_PER_WEEK) * price * (p.spot ? 1 - discount : 1),
        };
    });
    const lines = priced.map(({ p, price, upHours, baseline, planned }): PoolCost => ({
        pool: p.pool,
        instanceType: p.instanceType,
        nodes: p.nodes,
        onDemandPerHour: price,
        spot: p.spot,
        upHoursPerWeek: upHours,
        baseline: { nodeHoursPerWeek: p.nodes * HOURS_PER_WEEK, monthlyUsd: cents(baseline) },
        planned: { nodeHoursPerWeek: Math.round(p.nodes * upHours * 100) / 100, monthlyUsd: cents(planned) },
        savingsRatio: ratio(planned, baseline),
    }));
    // Totals from unrounded figures, so they do not drift from the pools by rounding.
    const baseline = priced.reduce((sum, x) => sum + x.baseline, 0);
    const planned = priced.reduce((sum, x) => sum + x.planned, 0);
    return {
        environment,
        pools: lines,
        total: {
            baselineMonthlyUsd: cents(baseline),
            plannedMonthlyUsd: cents(planned),
            savingsRatio: ratio(planned, baseline),
            shareOfOnDemand: baseline === 0 ? 0 : Math.round((planned / baseline) * 10000) / 10000,
        },
        assumptions: {
            spotDiscount: discount,
            hoursPerMonth: HOURS_PER_MONTH,
            prices: options.prices ? `${PRICE_SOURCE.collected} list prices with your overrides` : `${PRICE_SOURCE.aws}; ${PRICE_SOURCE.gcp} (${PRICE_SOURCE.collected})`,
        },
    };
}
