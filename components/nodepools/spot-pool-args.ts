import { checkOneArchitecture } from "../cluster/architecture";
import { CostTags, validateCostTags } from "../tags";
import { Problems, checkIntegerIn, checkSizeRange, show } from "../validation";
import { INSTANCE_PRICES } from "./prices";
import { PoolCostInput } from "./cost";
import { ResolvedSchedule, ScheduleArgs, resolveSchedule, scheduleProblems } from "./schedule";
import { WakeWindow, wakeProblems } from "./wake";

/** What a taint does to pods that do not tolerate it. */
export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";
const TAINT_EFFECTS: readonly TaintEffect[] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** A Kubernetes taint put on every node of a pool. */
export interface Taint {
    readonly key: string;
    readonly value?: string;
    readonly effect: TaintEffect;
}

/** A spot node pool, the same on both clouds. */
export interface SpotPoolArgs {
    /** Cost and ownership tags. */
    readonly tags: CostTags;
    /**
     * Instance (machine) types, preferred first; at least 2 so one reclaimed type cannot empty the
     * pool. Best: 3 or more of one vCPU/memory shape across families, e.g. m6i/m6a/m7i.large.
     */
    readonly instanceTypes: readonly string[];
    /** Most nodes. */
    readonly maxSize: number;
    /**
     * Fewest nodes while the pool is up (EKS). GKE spot pools always autoscale from 0.
     * @default 0
     */
    readonly minSize?: number;
    /**
     * Typical node count while up, for the cost report.
     * @default minSize, or 1 when that is 0
     */
    readonly nodes?: number;
    /**
     * Node labels (besides `paved.io/pool` and `paved.io/capacity`, which the pool sets).
     * @default none
     */
    readonly labels?: Readonly<Record<string, string>>;
    /**
     * Taints, so only workloads that tolerate them land on spot.
     * @default none
     */
    readonly taints?: readonly Taint[];
    /**
     * Root disk size in GiB.
     * @default 50
     */
    readonly diskSizeGiB?: number;
    /**
     * The pool serves production-critical workloads: it must then have an on-demand fallback.
     * @default false
     */
    readonly critical?: boolean;
    /**
     * Add an on-demand sibling used only when spot capacity cannot be had.
     * @default true when `critical`, false otherwise
     */
    readonly onDemandFallback?: boolean;
    /**
     * On-hours: outside them the pool scales to zero.
     * @default none: always on
     */
    readonly schedule?: ScheduleArgs;
    /**
     * An early wake in progress (`paved wake`): the pool comes up now and sleeps again at its end.
     * @default none
     */
    readonly wake?: WakeWindow;
}

export type ResolvedSpotPoolArgs = Required<Omit<SpotPoolArgs, "schedule" | "wake">> & { readonly schedule?: ResolvedSchedule; readonly wake?: WakeWindow };

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(|[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

/** Every problem with a spot pool's arguments; `cloud` decides the cloud-specific rules. */
export function spotPoolProblems(args: SpotPoolArgs, cloud: "aws" | "gcp"): Problems {
    const problems = new Problems();
    problems.addAll("", validateCostTags(args.tags).list);
    const types: readonly string[] = Array.isArray(args.instanceTypes) ? args.instanceTypes : [];
    const example = cloud === "aws" ? '["m6i.large", "m6a.large", "m7i.large"]' : '["n2-standard-4", "n2d-standard-4", "e2-standard-4"]';
    problems.check(
        types.length >= 2 && new Set(types).size === types.length,
        "instanceTypes",
        `got ${show(args.instanceTypes)}: a spot pool needs at least 2 different instance types so one reclaimed type cannot empty it; use 3 or more of the same vCPU/memory shape across families, e.g. ${example}`,
    );
    checkOneArchitecture(problems, "instanceTypes", cloud, types);
    const shapes = new Set(types.map((t) => INSTANCE_PRICES[t]).filter((s) => s !== undefined).map((s) => `${s.vcpu}/${s.memoryGiB}`));
    if (cloud === "aws") {
        // One managed node group: the autoscaler sizes every node by the first type's shape.
        problems.check(
            shapes.size <= 1,
            "instanceTypes",
            `got ${show(args.instanceTypes)} with different vCPU/memory shapes: the autoscaler would mis-size scale-ups; use one shape across families, e.g. ${example}`,
        );
    }
    const minSize = args.minSize ?? 0;
    checkSizeRange(problems, "", minSize, args.maxSize);
    if (args.nodes !== undefined) checkIntegerIn(problems, "nodes", args.nodes, 1, Number.isInteger(args.maxSize) ? args.maxSize : 1000, minSize || 1);
    checkIntegerIn(problems, "diskSizeGiB", args.diskSizeGiB ?? 50, 20, 16384, 50);
    for (const [key, value] of Object.entries(args.labels ?? {})) {
        problems.check(LABEL_KEY.test(key) && LABEL_VALUE.test(value), `labels.${key}`, `got ${show({ [key]: value })}: not a valid Kubernetes label, e.g. { "workload": "batch" }`);
    }
    (args.taints ?? []).forEach((taint, i) => {
        problems.check(
            LABEL_KEY.test(taint?.key ?? "") && TAINT_EFFECTS.includes(taint?.effect),
            `taints[${i}]`,
            `got ${show(taint)}: a taint needs a label-style key and an effect of ${TAINT_EFFECTS.join(", ")}, e.g. { key: "spot", value: "true", effect: "NoSchedule" }`,
        );
    });
    if (args.critical && args.onDemandFallback === false) {
        problems.add(
            "onDemandFallback",
            "got false for a production-critical pool: spot capacity can vanish, so a critical pool needs an on-demand fallback; set onDemandFallback: true (or critical: false)",
        );
    }
    if (args.schedule) problems.addAll("", scheduleProblems(args.schedule, "schedule").list);
    if (args.wake) problems.addAll("", wakeProblems(args.wake, "wake").list);
    return problems;
}

export function resolveSpotPoolArgs(args: SpotPoolArgs, cloud: "aws" | "gcp", component: string): ResolvedSpotPoolArgs {
    spotPoolProblems(args, cloud).throwIfAny(component);
    const minSize = args.minSize ?? 0;
    const critical = args.critical ?? false;
    return {
        tags: args.tags,
        instanceTypes: args.instanceTypes,
        maxSize: args.maxSize,
        minSize,
        nodes: args.nodes ?? Math.max(minSize, 1),
        labels: args.labels ?? {},
        taints: args.taints ?? [],
        diskSizeGiB: args.diskSizeGiB ?? 50,
        critical,
        onDemandFallback: args.onDemandFallback ?? critical,
        schedule: args.schedule ? resolveSchedule(args.schedule) : undefined,
        wake: args.wake,
    };
}

/** What the cost report needs to know of a spot pool. */
export function spotPoolCostInput(pool: string, a: ResolvedSpotPoolArgs): PoolCostInput {
    return { pool, instanceType: a.instanceTypes[0], nodes: a.nodes, spot: true, onHoursPerWeek: a.schedule?.onHoursPerWeek };
}

/** Labels every node of a pool carries, so workloads can select or avoid spot capacity. */
export function poolLabels(pool: string, capacity: "spot" | "on-demand", a: ResolvedSpotPoolArgs): Record<string, string> {
    return { ...a.labels, "paved.io/pool": pool, "paved.io/capacity": capacity };
}

/** EKS and GKE APIs spell taint effects in upper snake case. */
export function cloudTaint(t: Taint): { key: string; value: string; effect: string } {
    const effect = { NoSchedule: "NO_SCHEDULE", PreferNoSchedule: "PREFER_NO_SCHEDULE", NoExecute: "NO_EXECUTE" }[t.effect];
    return { key: t.key, value: t.value ?? "", effect };
}
