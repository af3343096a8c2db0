import * as path from "node:path";
import { StackDriver } from "../driver/port";
import { waitUntilHealthy } from "../health/probe";
import { instantValue } from "../health/prometheus-query";
import { classifyDrift } from "../runner/drift";
import { RunnerUsageError } from "../runner/pr-stacks";
import { Clock } from "./clock";
import { Journal } from "./journal";
import { Sample, watchUntilServedBy } from "./measure";

/** The config keys the drill turns (stacks/config-schema.ts). */
export const DRILL_KNOB = "paved:global.drill";
export const PROMOTED = "paved:failover.promoted";

export interface DrillTargets {
    readonly primary: string;
    readonly standby: string;
    readonly global: string;
}

/** In drill seconds. */
export interface DrillSettings {
    readonly objectiveSeconds: number;
    /** Answers in a row that make a region "serving". */
    readonly consecutive: number;
    readonly probeInterval: number;
    readonly requestTimeout: number;
    /** How long promotion, failover and failback may each take before the drill restores. */
    readonly stepTimeout: number;
    readonly prometheus?: { readonly url: string; readonly errorRatioQuery: string };
    /** A URL answering the standby's replication lag in seconds, and the most that is acceptable. */
    readonly rpo?: { readonly probeUrl: string; readonly objectiveSeconds: number };
}

export const DEFAULT_DRILL_SETTINGS: DrillSettings = { objectiveSeconds: 120, consecutive: 3, probeInterval: 1, requestTimeout: 5, stepTimeout: 600 };

export interface DrillContext {
    readonly driver: StackDriver;
    readonly clock: Clock;
    readonly log: (line: string) => void;
    /** Where the journal and the reports go. */
    readonly drillsDir: string;
    readonly rehearsal: boolean;
    readonly signal?: AbortSignal;
}

export interface Mark {
    readonly name: "injected" | "failed over" | "failback" | "restored" | "rolled back";
    readonly t: number;
}

export type DrillOutcome = "pass" | "objective missed" | "rolled back" | "aborted at pre-flight";

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
    readonly outcome: DrillOutcome;
    readonly reason?: string;
    readonly rtoSeconds?: number;
    /** Share of failed probes between injection and failover. */
    readonly failedProbeShare?: number;
    readonly standbyErrorRatio?: number;
    readonly replicationLagSeconds?: number;
    readonly marks: Mark[];
    readonly samples: Sample[];
    readonly journal: string;
}

/** Pre-flight found the platform unfit for a drill: nothing was changed. */
export class DrillPreflightError extends Error {}

interface Endpoints {
    readonly global: string;
    readonly failoverBoundSeconds?: number;
    readonly primary: { readonly region: string; readonly healthEndpoint: string };
    readonly standby: { readonly region: string; readonly healthEndpoint: string };
}

async function endpointsOf(targets: DrillTargets, driver: StackDriver): Promise<Endpoints> {
    const out = await driver.outputs(targets.global);
    const region = (role: "primary" | "standby") => out[role] as { stack?: string; region?: string; healthEndpoint?: string } | undefined;
    for (const role of ["primary", "standby"] as const) {
        if (region(role)?.stack !== targets[role]) {
            throw new RunnerUsageError(`global stack ${targets.global} routes its ${role} to ${JSON.stringify(region(role)?.stack ?? null)}, not ${targets[role]}: name the stacks its records point at, e.g. --${role} ${region(role)?.stack ?? "prod-us-east-1"}`);
        }
    }
    if (typeof out.globalEndpoint !== "string") throw new RunnerUsageError(`global stack ${targets.global} exports no globalEndpoint: is it a global-role stack that has been deployed?`);
    const bound = typeof out.failoverBoundSeconds === "number" ? out.failoverBoundSeconds : undefined;
    return { global: out.globalEndpoint, failoverBoundSeconds: bound, primary: region("primary") as Endpoints["primary"], standby: region("standby") as Endpoints["standby"] };
}

/**
 * The region-failover drill. Pre-flight changes nothing; from then on every step is journaled
 * before it acts, and any failure, timeout or cancellation restores (knob reverted, standby warm)
 * before the drill returns. Traffic is left on a healthy region in every outcome.
 */
export async function runDrill(targets: DrillTargets, settings: DrillSettings, ctx: DrillContext): Promise<DrillResult> {
    const { driver, clock, log } = ctx;
    const startedAt = new Date().toISOString();
    const stacks = await driver.listStacks();
    for (const s of [targets.primary, targets.standby, targets.global]) if (!stacks.includes(s)) throw new DrillPreflightError(`stack ${s} does not exist in the backend`);
    const unfinished = Journal.unfinished(ctx.drillsDir);
    if (unfinished) throw new DrillPreflightError(`an unfinished drill (started ${unfinished.started.at}) is in ${unfinished.file}: run paved drill --resume to restore it first`);
    const endpoints = await endpointsOf(targets, driver);
    const wait = { clock, interval: settings.probeInterval, consecutive: settings.consecutive, requestTimeout: settings.requestTimeout };
    const healthy = (url: string, timeout: number, signal?: AbortSignal) =>
        waitUntilHealthy(url, { probes: settings.consecutive, intervalMs: clock.ms(settings.probeInterval), timeoutMs: clock.ms(timeout), requestTimeoutMs: clock.ms(settings.requestTimeout), signal });

    // 1. Pre-flight: read only. Each wait gets five times what a healthy answer streak takes.
    const preflightTimeout = settings.consecutive * settings.probeInterval * 5;
    log("pre-flight: knob off, no drift, standby healthy, traffic on the primary");
    if ((await driver.getConfig(targets.global, DRILL_KNOB)) === "true") throw new DrillPreflightError(`${DRILL_KNOB} is already true on ${targets.global}: a drill is running or was left half-done; revert it first`);
    for (const s of [targets.primary, targets.standby, targets.global]) {
        const drift = classifyDrift(s, await driver.previewRefresh(s, { signal: ctx.signal }));
        if (drift.unexpected.length > 0) throw new DrillPreflightError(`${s} has drifted from Git (${drift.unexpected.map((r) => r.name).join(", ")}): run paved drift --stack ${s} first`);
    }
    const standbyHealth = await healthy(endpoints.standby.healthEndpoint, preflightTimeout, ctx.signal);
    if (!standbyHealth.healthy) throw new DrillPreflightError(`standby ${targets.standby} is not healthy: ${standbyHealth.detail}`);
    const onPrimary = await watchUntilServedBy(endpoints.global, endpoints.primary.region, { ...wait, timeout: preflightTimeout, signal: ctx.signal });
    if (onPrimary.reachedAt === undefined) throw new DrillPreflightError(`the global endpoint ${endpoints.global} is not served by the primary (${endpoints.primary.region}) now`);
    if (ctx.signal?.aborted) throw new DrillPreflightError("cancelled during pre-flight");

    const journal = Journal.start(ctx.drillsDir, { targets, regions: { primary: endpoints.primary.region, standby: endpoints.standby.region }, settings, rehearsal: ctx.rehearsal, startedAt });
    const marks: Mark[] = [];
    const samples: Sample[] = [];
    const base = { targets, regions: { primary: endpoints.primary.region, standby: endpoints.standby.region }, settings, rehearsal: ctx.rehearsal, timeScale: clock.scale, failoverBoundSeconds: endpoints.failoverBoundSeconds, startedAt, marks, samples };
    const fail = (message: string): never => {
        throw new Error(message);
    };
    try {
        // 2. Promote the standby to primary capacity.
        journal.write("promote");
        log(`promote: ${targets.standby} to primary capacity`);
        await driver.setConfig(targets.standby, PROMOTED, "true");
        await driver.run(targets.standby, "up", { signal: ctx.signal });
        const promoted = await healthy(endpoints.standby.healthEndpoint, settings.stepTimeout, ctx.signal);
        if (!promoted.healthy) fail(`standby not healthy after promotion: ${promoted.detail}`);

        // 3. Inject: the knob makes DNS treat the primary as failed; its workloads are untouched.
        const lag = settings.rpo ? await replicationLag(settings.rpo.probeUrl, clock.ms(settings.requestTimeout)) : undefined;
        journal.write("inject");
        log(`inject: ${DRILL_KNOB}=true on ${targets.global}`);
        await driver.setConfig(targets.global, DRILL_KNOB, "true");
        await driver.run(targets.global, "up", { signal: ctx.signal });
        const injected = clock.now();
        marks.push({ name: "injected", t: injected });

        // 4. Measure until the standby serves `consecutive` answers in a row.
        const failover = await watchUntilServedBy(endpoints.global, endpoints.standby.region, { ...wait, timeout: Math.max(settings.stepTimeout, settings.objectiveSeconds * 2), signal: ctx.signal });
        samples.push(...failover.samples);
        if (ctx.signal?.aborted) fail("cancelled (SIGINT/SIGTERM)");
        if (failover.reachedAt === undefined) fail(`the standby did not take over within ${Math.max(settings.stepTimeout, settings.objectiveSeconds * 2)} s`);
        marks.push({ name: "failed over", t: failover.reachedAt! });
        const rtoSeconds = failover.reachedAt! - injected;
        const window = failover.samples.filter((s) => s.t <= failover.reachedAt!);
        const failedProbeShare = window.filter((s) => s.error).length / Math.max(1, window.length);
        const standbyErrorRatio = settings.prometheus ? await instantValue(settings.prometheus.url, settings.prometheus.errorRatioQuery, clock.ms(settings.requestTimeout)) : undefined;
        log(`measured: RTO ${rtoSeconds.toFixed(1)} s (objective ${settings.objectiveSeconds} s), ${(failedProbeShare * 100).toFixed(1)} % of probes failed`);

        // 5–6. Fail back: revert the knob, wait until the primary serves again, then return the standby to warm.
        journal.write("failback");
        marks.push({ name: "failback", t: clock.now() });
        log(`failback: ${DRILL_KNOB}=false on ${targets.global}`);
        await driver.setConfig(targets.global, DRILL_KNOB, "false");
        await driver.run(targets.global, "up", { signal: ctx.signal });
        const back = await watchUntilServedBy(endpoints.global, endpoints.primary.region, { ...wait, timeout: settings.stepTimeout, signal: ctx.signal });
        samples.push(...back.samples);
        if (back.reachedAt === undefined) fail(ctx.signal?.aborted ? "cancelled (SIGINT/SIGTERM)" : `the primary did not serve again within ${settings.stepTimeout} s`);
        marks.push({ name: "restored", t: back.reachedAt! });
        journal.write("warm");
        log(`warm: ${targets.standby} back to warm capacity`);
        await driver.setConfig(targets.standby, PROMOTED, "false");
        await driver.run(targets.standby, "up");

        const objectiveMet = rtoSeconds <= settings.objectiveSeconds && (lag === undefined || lag <= settings.rpo!.objectiveSeconds);
        const outcome: DrillOutcome = objectiveMet ? "pass" : "objective missed";
        const kept = journal.close(outcome, reportDirOf(ctx.drillsDir, startedAt));
        return { ...base, outcome, rtoSeconds, failedProbeShare, standbyErrorRatio, replicationLagSeconds: lag, journal: kept };
    } catch (e) {
        const reason = (e as Error).message;
        log(`drill failed: ${reason}; restoring`);
        const kept = await restore(journal, targets, endpoints, settings, { ...ctx, signal: undefined }, marks, samples, reason);
        return { ...base, outcome: "rolled back", reason, journal: kept };
    }
}

async function replicationLag(url: string, timeoutMs: number): Promise<number> {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const lag = Number((await res.text()).trim());
    if (!res.ok || Number.isNaN(lag)) throw new Error(`the replication-lag probe ${url} answered HTTP ${res.status} without a number of seconds`);
    return lag;
}

/** Each drill's report folder, named by its start time. */
export const reportDirOf = (drillsDir: string, startedAt: string) => path.join(drillsDir, startedAt.replace(/[:.]/g, "-"));

/**
 * Undoes what the journal says was begun — the knob first (traffic back on the primary), then the
 * standby's capacity — without a cancellation signal: a restore is never itself cancelled. A
 * restore that fails leaves the journal open, so `--resume` can try again.
 */
export async function restore(journal: Journal, targets: DrillTargets, endpoints: Endpoints | undefined, settings: DrillSettings, ctx: DrillContext, marks: Mark[], samples: Sample[], reason: string): Promise<string> {
    const { driver, clock, log } = ctx;
    journal.write("restore", { reason });
    if (journal.has("inject")) {
        log(`restore: ${DRILL_KNOB}=false on ${targets.global}`);
        await driver.setConfig(targets.global, DRILL_KNOB, "false");
        await driver.run(targets.global, "up");
        if (endpoints) {
            const back = await watchUntilServedBy(endpoints.global, endpoints.primary.region, { clock, interval: settings.probeInterval, consecutive: settings.consecutive, requestTimeout: settings.requestTimeout, timeout: settings.stepTimeout });
            samples.push(...back.samples);
            if (back.reachedAt !== undefined) marks.push({ name: "restored", t: back.reachedAt });
            else log(`restore: the primary does not serve the global endpoint yet; check ${endpoints.global}`);
        }
    }
    if (journal.has("promote")) {
        log(`restore: ${targets.standby} back to warm capacity`);
        await driver.setConfig(targets.standby, PROMOTED, "false");
        await driver.run(targets.standby, "up");
    }
    marks.push({ name: "rolled back", t: clock.now() });
    return journal.close(`rolled back: ${reason}`, reportDirOf(ctx.drillsDir, (journal.started.detail?.startedAt as string | undefined) ?? journal.started.at));
}

/** `paved drill --resume`: restores the drill whose process died, from its journal. */
export async function resumeDrill(ctx: DrillContext): Promise<DrillResult> {
    const journal = Journal.unfinished(ctx.drillsDir);
    if (!journal) throw new RunnerUsageError(`no unfinished drill to resume: ${Journal.pathIn(ctx.drillsDir)} does not exist or is closed`);
    const started = journal.started.detail as { targets: DrillTargets; regions: DrillResult["regions"]; settings: DrillSettings; rehearsal: boolean; startedAt: string };
    ctx.driver.assertReady([started.targets.primary, started.targets.standby, started.targets.global]);
    const endpoints = await endpointsOf(started.targets, ctx.driver).catch(() => undefined);
    const marks: Mark[] = [];
    const samples: Sample[] = [];
    const reason = `resumed: the drill's process ended after step "${journal.steps.at(-1)!.step}"`;
    ctx.log(`${reason}; restoring`);
    const kept = await restore(journal, started.targets, endpoints, started.settings, ctx, marks, samples, reason);
    return { ...started, timeScale: ctx.clock.scale, failoverBoundSeconds: endpoints?.failoverBoundSeconds, outcome: "rolled back", reason, marks, samples, journal: kept };
}
