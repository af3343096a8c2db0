import * as path from "node:path";
import { StackDriver } from "../driver/port";
import { OperatorContext } from "../runner/operator-ownership";
import { Clock } from "./clock";
import { DrillProvenance } from "./evidence";
import { Sample } from "./measure";
import { RESTORE_RETRY, RetryPolicy } from "./retry";
import { DEFAULT_STOP_CONDITION, StopCondition } from "./stop-condition";

/* The drill's vocabulary: what it turns, its settings, context and result. */

/** The config keys the drill turns (stacks/config-schema.ts), for one update at a time. */
export const DRILL_KNOB = "paved:global.drill";
export const PROMOTED = "paved:failover.promoted";
/** The outputs that say what is applied (stacks/global.ts, stacks/regional.ts). */
export const KNOB_OUTPUT = "drill";
export const PROMOTED_OUTPUT = "failoverPromoted";

export interface DrillTargets {
    readonly primary: string;
    readonly standby: string;
    readonly global: string;
}

/** In drill seconds. */
export interface DrillSettings {
    readonly objectiveSeconds: number;
    /** How long the primary may take to serve again after the knob is reverted. */
    readonly failbackObjectiveSeconds: number;
    /** Answers in a row that make a region "serving". */
    readonly consecutive: number;
    readonly probeInterval: number;
    readonly requestTimeout: number;
    /** How long each update, promotion, failover and failback may take before the drill restores. */
    readonly stepTimeout: number;
    readonly stop: StopCondition;
    readonly restoreRetry: RetryPolicy;
    readonly prometheus?: { readonly url: string; readonly errorRatioQuery: string };
    /** A URL answering the standby's replication lag in seconds, and the most that is acceptable. */
    readonly rpo?: { readonly probeUrl: string; readonly objectiveSeconds: number };
}

export const DEFAULT_DRILL_SETTINGS: DrillSettings = {
    objectiveSeconds: 120,
    failbackObjectiveSeconds: 120,
    consecutive: 3,
    probeInterval: 1,
    requestTimeout: 5,
    stepTimeout: 600,
    stop: DEFAULT_STOP_CONDITION,
    restoreRetry: RESTORE_RETRY,
};

/** `operator` and `operatorOwned`: the stacks the Pulumi Kubernetes Operator owns are paused during the drill. */
export interface DrillContext extends OperatorContext {
    readonly driver: StackDriver;
    readonly clock: Clock;
    readonly log: (line: string) => void;
    /** Where the journal, the lock and the reports go. */
    readonly drillsDir: string;
    /** Paths in the report are relative to it. */
    readonly projectDir: string;
    readonly rehearsal: boolean;
    readonly signal?: AbortSignal;
    /** Where the operator and CI run come from. */
    readonly env?: NodeJS.ProcessEnv;
}

export type MarkName = "promote" | "injected" | "failed over" | "stopped" | "failback" | "restored" | "warm" | "rolled back";

export interface Mark {
    readonly name: MarkName;
    /** Drill seconds since the drill's clock started. */
    readonly t: number;
    /** UTC wall time. */
    readonly at: string;
}

export type DrillOutcome = "pass" | "objective missed" | "rolled back" | "stopped by condition" | "primary did not recover" | "restore failed" | "aborted at pre-flight";

export interface PreflightCheck {
    readonly check: string;
    readonly ok: boolean;
    readonly detail: string;
}

/** What serves and what is applied when the drill ends, read from the world, not from a file. */
export interface LiveState {
    readonly servedBy: string;
    readonly knob: string;
    readonly standby: string;
    /** Whether the operator reconciles again the stacks the drill paused, read from it. */
    readonly operator?: string;
}

export interface UpdateRecord {
    readonly step: string;
    readonly stack: string;
    /** The temporary config the update ran with; none means Git's state. */
    readonly config?: Readonly<Record<string, string>>;
    readonly at: string;
    readonly seconds: number;
    readonly changes: Readonly<Record<string, number>>;
    /** The engine's update ID, where the driver reports one. */
    readonly updateId?: string;
}

export interface DrillResult {
    readonly targets: DrillTargets;
    readonly regions: { readonly primary: string; readonly standby: string };
    readonly settings: DrillSettings;
    readonly rehearsal: boolean;
    /** How much faster than real time the drill ran (1 for a real drill). */
    readonly timeScale: number;
    /** The global stack's worst case for a real failure: checks × interval + TTL, when it exports it. */
    readonly failoverBoundSeconds?: number;
    readonly startedAt: string;
    readonly provenance: DrillProvenance;
    readonly preflight: readonly PreflightCheck[];
    readonly outcome: DrillOutcome;
    readonly reason?: string;
    readonly rtoSeconds?: number;
    /** From the knob's revert until the primary served `consecutive` answers in a row. */
    readonly failbackSeconds?: number;
    /** Share of failed probes between injection and failover. */
    readonly failedProbeShare?: number;
    readonly standbyErrorRatio?: number;
    readonly replicationLagSeconds?: number;
    /** Optional measurements that failed, each naming the probe and its URL; what was measured stands. */
    readonly notMeasured: readonly string[];
    readonly marks: Mark[];
    readonly samples: Sample[];
    readonly updates: UpdateRecord[];
    readonly live?: LiveState;
    /** The one command that finishes the job when the drill could not. */
    readonly finish?: string;
    /** The journal, relative to the project. */
    readonly journal: string;
}

/** Pre-flight found the platform unfit for a drill: nothing was changed. */
export class DrillPreflightError extends Error {}

/** Where the drill probes, as the global stack's outputs say. */
export interface Endpoints {
    readonly global: string;
    readonly failoverBoundSeconds?: number;
    readonly primary: { readonly region: string; readonly healthEndpoint: string };
    readonly standby: { readonly region: string; readonly healthEndpoint: string };
}

/** Each drill's report folder, named by its start time. */
export const reportDirOf = (drillsDir: string, startedAt: string) => path.join(drillsDir, startedAt.replace(/[:.]/g, "-"));
