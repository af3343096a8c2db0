import * as path from "node:path";
import { StackDriver } from "../driver/port";
import { waitUntilHealthy } from "../health/probe";
import { classifyDrift } from "../runner/drift";
import { RunnerUsageError } from "../runner/pr-stacks";
import { DrillRecord, liveNow, update } from "./applied";
import { provenance } from "./evidence";
import { Journal } from "./journal";
import { DrillLock, DrillLockedError, LockHolder, acquireDrillLock, describeHolder, holderAlive, holderId, thisProcess } from "./lock";
import { startSampling, watchUntilServedBy } from "./measure";
import { DEFAULT_DRILL_SETTINGS, DRILL_KNOB, DrillContext, DrillOutcome, DrillPreflightError, DrillResult, DrillSettings, DrillTargets, Endpoints, KNOB_OUTPUT, PROMOTED, PROMOTED_OUTPUT, PreflightCheck, reportDirOf } from "./model";
import { replicationLag, standbyErrorRatio } from "./optional-probes";
import { restore } from "./restore";
import { stopCheck } from "./stop-condition";
import { drillOwned, operatorNow, pauseOperator, pausedIn, restoreRetry, resumeOperator } from "./operator-pause";

export * from "./model";

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

/** Takes the lock, naming the holder when it cannot; `takeOver` says when a dead holder's lock may be broken. */
function lockFor(ctx: DrillContext, me: LockHolder, takeOver: (h: LockHolder) => boolean, refusal: (h: LockHolder) => string): DrillLock {
    try {
        return acquireDrillLock(ctx.drillsDir, me, takeOver);
    } catch (e) {
        if (e instanceof DrillLockedError) throw new DrillLockedError(e.holder, refusal(e.holder));
        throw e;
    }
}

/** The result's common part, filled in as the drill goes. */
type Base = Omit<DrillResult, "outcome" | "reason" | "journal">;

/** Ends a drill that began changing things: restore when needed, then what is live and whether the job is finished. */
async function finishDrill(base: Base, ctx: DrillContext, outcome: DrillOutcome, reason: string | undefined, journal: Journal, endpoints: Endpoints | undefined, complete: boolean): Promise<DrillResult> {
    const operator = await operatorNow(ctx, pausedIn(journal));
    const live = { ...(await liveNow(ctx, base.targets, endpoints, base.regions)), ...(operator ? { operator } : {}) };
    const reportDir = reportDirOf(ctx.drillsDir, base.startedAt);
    let kept = journal.file;
    if (complete) {
        try {
            kept = journal.close(outcome, reportDir);
        } catch (e) {
            ctx.log(`journal ${journal.file} could not be closed (${(e as Error).message}); the drill itself is restored`);
        }
    } else {
        journal.tryWrite("kept", { outcome, live }, ctx.log);
    }
    const finish = complete ? undefined : `paved drill --resume${ctx.rehearsal ? ` --simulate --out ${path.relative(ctx.projectDir, ctx.drillsDir) || "."}` : ""}`;
    return { ...base, outcome, ...(reason ? { reason } : {}), live, ...(finish ? { finish } : {}), journal: path.relative(ctx.projectDir, kept) };
}

/**
 * The region-failover drill. The lock is taken before anything else; pre-flight changes nothing;
 * from then on every step is journaled before it acts and bounded by the step timeout, and any
 * failure, timeout, stop condition or cancellation restores before the drill returns.
 */
export async function runDrill(targets: DrillTargets, settings: DrillSettings, ctx: DrillContext): Promise<DrillResult> {
    const { driver, clock, log } = ctx;
    const startedAt = new Date().toISOString();
    const me = thisProcess(ctx.env ?? process.env, startedAt);
    const lock = lockFor(
        ctx,
        me,
        (h) => !holderAlive(h) && !Journal.unfinished(ctx.drillsDir),
        (h) => holderAlive(h)
            ? `a drill is running: ${describeHolder(h)}; wait for it to finish`
            : `the drill of ${describeHolder(h)} ended without finishing (its process is gone): run paved drill --resume to restore it first`,
    );
    try {
        return await drillUnderLock(targets, settings, ctx, me, startedAt);
    } finally {
        lock.release();
        log(`released the drill lock ${path.relative(ctx.projectDir, lock.file)}`);
    }
    async function drillUnderLock(targets: DrillTargets, settings: DrillSettings, ctx: DrillContext, me: LockHolder, startedAt: string): Promise<DrillResult> {
        const rec = new DrillRecord(clock);
        const preflight: PreflightCheck[] = [];
        const base0 = { targets, settings, rehearsal: ctx.rehearsal, timeScale: clock.scale, startedAt, provenance: provenance(ctx.projectDir, me, ctx.rehearsal), preflight, marks: rec.marks, samples: rec.samples, updates: rec.updates, notMeasured: rec.notMeasured };
        const check = (name: string, ok: boolean, detail: string) => {
            preflight.push({ check: name, ok, detail });
            if (!ok) throw new DrillPreflightError(detail);
        };
        let endpoints: Endpoints | undefined;
        const wait = { clock, interval: settings.probeInterval, consecutive: settings.consecutive, requestTimeout: settings.requestTimeout };
        try {
            // 1. Pre-flight: read only. Each wait gets five times what a healthy answer streak takes.
            const stacks = await driver.listStacks();
            const missing = [targets.primary, targets.standby, targets.global].filter((s) => !stacks.includes(s));
            check("stacks exist", missing.length === 0, missing.length ? `stack ${missing.join(", ")} does not exist in the backend` : "all three in the backend");
            for (const stack of drillOwned(ctx, targets)) {
                const status = await ctx.operator!().stackStatus(stack).catch((e: Error) => e);
                const problem = status instanceof Error ? `the Pulumi Kubernetes Operator could not be asked about ${stack}: ${status.message}` : status.paused ? `the operator's reconciliation of ${stack} is already paused (${status.paused.reason}, since ${status.paused.since}): another writer is at work` : undefined;
                check(`operator can be paused on ${stack}`, !problem, problem ?? "reconciling it, not paused");
            }
            const unfinished = Journal.unfinished(ctx.drillsDir, log);
            check("no unfinished drill", !unfinished, unfinished ? `an unfinished drill (started ${unfinished.started.at}) is in ${unfinished.file}: run paved drill --resume to restore it first` : "no open journal");
            endpoints = await endpointsOf(targets, driver);
            log("pre-flight: knob off and standby warm as deployed, no drift, standby healthy, traffic on the primary");
            const [knob, promoted] = [(await driver.outputs(targets.global))[KNOB_OUTPUT], (await driver.outputs(targets.standby))[PROMOTED_OUTPUT]];
            check("knob off as deployed", knob !== true, knob === true ? `${targets.global} has the drill knob applied (output ${KNOB_OUTPUT}: true): a drill is running or was left half-done; run paved drill --resume, or paved up --stack ${targets.global}` : `output ${KNOB_OUTPUT}: ${JSON.stringify(knob ?? null)}`);
            check("standby warm as deployed", promoted !== true, promoted === true ? `${targets.standby} is already promoted (output ${PROMOTED_OUTPUT}: true): a drill or a real failover is under way` : `output ${PROMOTED_OUTPUT}: ${JSON.stringify(promoted ?? null)}`);
            for (const s of [targets.primary, targets.standby, targets.global]) {
                const drift = classifyDrift(s, await driver.previewRefresh(s, { signal: ctx.signal }));
                check(`no drift on ${s}`, drift.unexpected.length === 0, drift.unexpected.length ? `${s} has drifted from Git (${drift.unexpected.map((r) => r.name).join(", ")}): run paved drift --stack ${s} first` : "none");
            }
            const preflightTimeout = settings.consecutive * settings.probeInterval * 5 + settings.requestTimeout;
            const standbyHealth = await waitUntilHealthy(endpoints.standby.healthEndpoint, { probes: settings.consecutive, intervalMs: clock.ms(settings.probeInterval), timeoutMs: clock.ms(preflightTimeout), requestTimeoutMs: clock.ms(settings.requestTimeout), signal: ctx.signal });
            check("standby healthy", standbyHealth.healthy, standbyHealth.healthy ? standbyHealth.detail : `standby ${targets.standby} is not healthy: ${standbyHealth.detail}`);
            const onPrimary = await watchUntilServedBy(endpoints.global, endpoints.primary.region, { ...wait, timeout: preflightTimeout, signal: ctx.signal });
            check("traffic on the primary", onPrimary.reachedAt !== undefined, onPrimary.reachedAt !== undefined ? `${settings.consecutive} answers in a row from ${endpoints.primary.region}` : `the global endpoint ${endpoints.global} is not served by the primary (${endpoints.primary.region}) now`);
            check("not cancelled", !ctx.signal?.aborted, ctx.signal?.aborted ? "cancelled during pre-flight" : "running");
        } catch (e) {
            if (!(e instanceof DrillPreflightError)) throw e;
            log(`drill aborted at pre-flight, nothing changed: ${e.message}`);
            const regions = endpoints ? { primary: endpoints.primary.region, standby: endpoints.standby.region } : { primary: "unknown", standby: "unknown" };
            return { ...base0, regions, outcome: "aborted at pre-flight", reason: e.message, journal: "none (nothing was changed)" };
        }

        const regions = { primary: endpoints.primary.region, standby: endpoints.standby.region };
        const journal = Journal.start(ctx.drillsDir, { targets, regions, settings, rehearsal: ctx.rehearsal, startedAt, holder: me });
        const base: Base = { ...base0, regions, failoverBoundSeconds: endpoints.failoverBoundSeconds };
        let stopped: string | undefined;
        let measured: { rtoSeconds: number; failedProbeShare: number; standbyErrorRatio?: number; replicationLagSeconds?: number } | undefined;
        const retry = restoreRetry(ctx, settings.restoreRetry);
        try {
            // 1'. The operator keeps its hands off the stacks the drill turns until each is Git's again.
            await pauseOperator(ctx, journal, drillOwned(ctx, targets), `paved drill started ${startedAt}`);

            // 2. Promote the standby to primary capacity, for this update only (Git keeps it warm).
            journal.write("promote");
            rec.mark("promote");
            log(`promote: ${targets.standby} to primary capacity`);
            const during = startSampling(endpoints.global, wait);
            try {
                await update(ctx, rec, "promote", targets.standby, { [PROMOTED]: "true" }, { output: PROMOTED_OUTPUT, value: true }, settings.stepTimeout);
            } finally {
                rec.samples.push(...(await during.stop()));
            }
            const promoted = await waitUntilHealthy(endpoints.standby.healthEndpoint, { probes: settings.consecutive, intervalMs: clock.ms(settings.probeInterval), timeoutMs: clock.ms(settings.stepTimeout), requestTimeoutMs: clock.ms(settings.requestTimeout), signal: ctx.signal });
            if (!promoted.healthy) throw new Error(`standby not healthy after promotion: ${promoted.detail}`);

            // 3. Inject: the knob makes DNS treat the primary as failed; its workloads are untouched.
            const lag = settings.rpo ? await replicationLag(settings.rpo.probeUrl, clock.ms(settings.requestTimeout)).catch((e: Error) => void rec.notMeasured.push(`not measured: replication lag (RPO): ${e.message}`)) : undefined;
            journal.write("inject");
            log(`inject: ${DRILL_KNOB}=true on ${targets.global}, for this update only`);
            await update(ctx, rec, "inject", targets.global, { [DRILL_KNOB]: "true" }, { output: KNOB_OUTPUT, value: true }, settings.stepTimeout);
            const injected = rec.mark("injected");

            // 4. Measure until the standby serves `consecutive` answers in a row; a stop condition reverts at once.
            const failoverTimeout = Math.max(settings.stepTimeout, settings.objectiveSeconds * 2);
            const prometheus = settings.prometheus && { ...settings.prometheus, timeoutMs: clock.ms(settings.requestTimeout) };
            const failover = await watchUntilServedBy(endpoints.global, endpoints.standby.region, { ...wait, timeout: failoverTimeout, signal: ctx.signal, stop: stopCheck(settings.stop, clock, prometheus) });
            rec.samples.push(...failover.samples);
            if (failover.stopped) {
                stopped = failover.stopped;
                rec.mark("stopped");
                throw new Error(`stopped by condition: ${failover.stopped}`);
            }
            if (ctx.signal?.aborted) throw new Error("cancelled (SIGINT/SIGTERM)");
            if (failover.reachedAt === undefined) throw new Error(`the standby did not take over within ${failoverTimeout} s`);
            rec.mark("failed over", failover.reachedAt);
            const window = failover.samples.filter((s) => s.t <= failover.reachedAt!);
            measured = {
                rtoSeconds: failover.reachedAt - injected,
                failedProbeShare: window.filter((s) => s.error).length / Math.max(1, window.length),
                standbyErrorRatio: settings.prometheus ? await standbyErrorRatio(settings.prometheus, clock.ms(settings.requestTimeout), rec) : undefined,
                replicationLagSeconds: lag ?? undefined,
            };
            log(`measured: RTO ${measured.rtoSeconds.toFixed(1)} s (objective ${settings.objectiveSeconds} s), ${(measured.failedProbeShare * 100).toFixed(1)} % of probes failed`);

            // 5. Fail back: Git's state (knob off), then wait until the primary serves again.
            journal.write("failback");
            const failbackAt = rec.mark("failback");
            log(`failback: ${DRILL_KNOB} back to Git's state (off) on ${targets.global}`);
            await update(ctx, rec, "failback", targets.global, undefined, { output: KNOB_OUTPUT, value: false }, settings.stepTimeout);
            const back = await watchUntilServedBy(endpoints.global, endpoints.primary.region, { ...wait, timeout: settings.stepTimeout + (endpoints.failoverBoundSeconds ?? 0), signal: ctx.signal, span: endpoints.failoverBoundSeconds });
            rec.samples.push(...back.samples);
            if (back.reachedAt === undefined) {
                if (ctx.signal?.aborted) throw new Error("cancelled (SIGINT/SIGTERM)");
                // 6'. Never shrink the region carrying the traffic: the standby stays promoted.
                const reason = `the primary did not serve ${settings.consecutive} answers in a row within ${settings.stepTimeout + (endpoints.failoverBoundSeconds ?? 0)} s of the failback; the standby stays promoted`;
                log(`drill: ${reason}`);
                // The knob is Git's again; the standby is not, so the operator stays off it.
                const problem = await resumeOperator(ctx, journal, [targets.global], retry);
                return await finishDrill({ ...base, ...measured }, ctx, "primary did not recover", problem ? `${reason}; ${problem}` : reason, journal, endpoints, false);
            }
            rec.mark("restored", back.reachedAt);
            const failbackSeconds = back.reachedAt - failbackAt;
            const globalResumed = await resumeOperator(ctx, journal, [targets.global], retry);

            // 6. The standby back to warm, now that the primary carries the traffic again.
            journal.write("warm");
            log(`warm: ${targets.standby} back to warm capacity`);
            await update(ctx, rec, "warm", targets.standby, undefined, { output: PROMOTED_OUTPUT, value: false }, settings.stepTimeout);
            rec.mark("warm");
            const problem = [globalResumed, await resumeOperator(ctx, journal, [targets.standby], retry)].filter(Boolean).join("; ");

            const objectiveMet = measured.rtoSeconds <= settings.objectiveSeconds && failbackSeconds <= settings.failbackObjectiveSeconds && (lag === undefined || lag <= settings.rpo!.objectiveSeconds);
            return await finishDrill({ ...base, ...measured, failbackSeconds }, ctx, objectiveMet ? "pass" : "objective missed", problem || undefined, journal, endpoints, !problem);
        } catch (e) {
            const reason = (e as Error).message;
            log(`drill failed: ${reason}; restoring`);
            const restored = await restore(journal, targets, endpoints, settings, ctx, rec, reason, false);
            const outcome: DrillOutcome = !restored.knobReverted || !restored.operatorResumed ? "restore failed" : stopped ? "stopped by condition" : restored.complete ? "rolled back" : "primary did not recover";
            return finishDrill({ ...base, ...measured }, ctx, outcome, restored.problem ? `${reason}; ${restored.problem}` : reason, journal, endpoints, restored.complete);
        }
    }
}

/**
 * `paved drill --resume`: restores the drill whose process died (or that could not finish), from
 * its journal. Refuses while the drill's owner is alive, unless `force` names that owner exactly.
 * Clears the dead run's stale update locks first.
 */
export async function resumeDrill(ctx: DrillContext, force?: string): Promise<DrillResult> {
    const me = thisProcess(ctx.env ?? process.env, new Date().toISOString());
    const lock = lockFor(
        ctx,
        me,
        (h) => !holderAlive(h) || force === holderId(h),
        (h) => `the drill of ${describeHolder(h)} is still running: --resume restores only a drill whose process is gone. If it is stuck, stop it, or run paved drill --resume --force-resume ${holderId(h)}`,
    );
    try {
        const journal = Journal.unfinished(ctx.drillsDir, ctx.log);
        if (!journal) throw new RunnerUsageError(`no unfinished drill to resume: ${Journal.pathIn(ctx.drillsDir)} does not exist or is closed`);
        const started = journal.started.detail as { targets: DrillTargets; regions: DrillResult["regions"]; settings: DrillSettings; rehearsal: boolean; startedAt: string; holder?: LockHolder };
        const settings = { ...DEFAULT_DRILL_SETTINGS, ...started.settings };
        ctx.driver.assertReady([started.targets.primary, started.targets.standby, started.targets.global]);
        const endpoints = await endpointsOf(started.targets, ctx.driver).catch(() => undefined);
        const rec = new DrillRecord(ctx.clock);
        const reason = `resumed: the drill's process ended after step "${journal.steps.at(-1)!.step}"`;
        ctx.log(`${reason}; restoring`);
        const restored = await restore(journal, started.targets, endpoints, settings, ctx, rec, reason, true);
        const base: Base = {
            targets: started.targets,
            regions: started.regions,
            settings,
            rehearsal: started.rehearsal,
            timeScale: ctx.clock.scale,
            failoverBoundSeconds: endpoints?.failoverBoundSeconds,
            startedAt: started.startedAt,
            provenance: provenance(ctx.projectDir, me, ctx.rehearsal),
            preflight: [],
            marks: rec.marks,
            samples: rec.samples,
            updates: rec.updates,
            notMeasured: rec.notMeasured,
        };
        const outcome: DrillOutcome = !restored.knobReverted || !restored.operatorResumed ? "restore failed" : restored.complete ? "rolled back" : "primary did not recover";
        return await finishDrill(base, ctx, outcome, restored.problem ? `${reason}; ${restored.problem}` : reason, journal, endpoints, restored.complete);
    } finally {
        lock.release();
    }
}
