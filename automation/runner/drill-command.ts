import * as path from "node:path";
import { durationHours, isPrometheusDuration } from "../../components/validation";
import { pavedConfig } from "../../stacks/config-problems";
import { scaledClock } from "../drill/clock";
import { DEFAULT_DRILL_SETTINGS, DrillContext, DrillResult, DrillSettings, DrillTargets, reportDirOf, resumeDrill, runDrill } from "../drill/drill";
import { DrillLockedError } from "../drill/lock";
import { DEFAULT_STOP_CONDITION } from "../drill/stop-condition";
import { parseLatency } from "../drill/latency";
import { HARDER_WORLD, WORLD_FILE, startRehearsal } from "../drill/rehearsal";
import { writeDrillReport } from "../drill/report";
import { StackDriver } from "../driver/port";
import { EXIT } from "../exit-codes";
import { readStackConfig } from "../offline/stack-file";
import { DEFAULT_ERROR_RATIO_QUERY } from "./rings";
import { RunnerUsageError } from "./pr-stacks";
import { knownStack } from "./known-stack";
import { RunnerContext } from "./stack-commands";

/** What the global stack's file says of its failover (`paved:global`). */
interface GlobalFailoverConfig {
    readonly primary: string;
    readonly standby: string;
    readonly healthCheck: { readonly intervalSeconds: number; readonly failureThreshold: number };
    readonly ttlSeconds: number;
}

export interface DrillRequest {
    readonly primary?: string;
    readonly standby?: string;
    readonly global?: string;
    readonly objective: string;
    readonly consecutive: string;
    readonly probeInterval: string;
    readonly stepTimeout: string;
    readonly prometheus?: string;
    readonly rpoProbe?: string;
    readonly rpoObjective?: string;
    readonly resume?: boolean;
    /** `--force-resume <owner@host:pid>`: resume although the lock's holder may be alive. */
    readonly forceResume?: string;
    readonly failbackObjective?: string;
    readonly stopFailedShare?: string;
    readonly stopWindow?: string;
    readonly simulate?: boolean;
    /** With --simulate: how long the rehearsal's updates take (`latency.ts`). */
    readonly upLatency?: string;
    readonly timeScale: string;
    readonly out?: string;
    readonly json?: boolean;
}

const seconds = (flag: string, value: string, example: string): number => {
    const given: string = value;
    if (!isPrometheusDuration(value)) throw new RunnerUsageError(`got --${flag} "${given}": a duration, e.g. --${flag} ${example}`);
    return durationHours(value) * 3600;
};

const positive = (flag: string, value: string, example: string): number => {
    const n = Number(value);
    if (!(n > 0) || !Number.isFinite(n)) throw new RunnerUsageError(`got --${flag} "${value}": a positive number, e.g. --${flag} ${example}`);
    return n;
};

/** The settings from the flags; every bad one is a usage error naming flag, value and an example. */
export function drillSettings(request: DrillRequest): DrillSettings {
    const consecutive = positive("consecutive", request.consecutive, "3");
    if (!Number.isInteger(consecutive)) throw new RunnerUsageError(`got --consecutive "${request.consecutive}": a whole number, e.g. --consecutive 3`);
    if ((request.rpoProbe === undefined) !== (request.rpoObjective === undefined)) throw new RunnerUsageError("--rpo-probe and --rpo-objective go together, e.g. --rpo-probe https://db.internal/lag --rpo-objective 5m");
    const share = request.stopFailedShare === undefined ? DEFAULT_STOP_CONDITION.failedProbeShare : positive("stop-failed-share", request.stopFailedShare, "0.5");
    if (share >= 1) throw new RunnerUsageError(`got --stop-failed-share "${request.stopFailedShare}": a share of probes below 1, e.g. --stop-failed-share 0.5`);
    const objectiveSeconds = seconds("objective", request.objective, "120s");
    return {
        ...DEFAULT_DRILL_SETTINGS,
        objectiveSeconds,
        failbackObjectiveSeconds: request.failbackObjective === undefined ? objectiveSeconds : seconds("failback-objective", request.failbackObjective, "120s"),
        stop: {
            ...DEFAULT_STOP_CONDITION,
            failedProbeShare: share,
            windowSeconds: request.stopWindow === undefined ? DEFAULT_STOP_CONDITION.windowSeconds : seconds("stop-window", request.stopWindow, "30s"),
        },
        consecutive,
        probeInterval: seconds("probe-interval", request.probeInterval, "1s"),
        stepTimeout: seconds("step-timeout", request.stepTimeout, "10m"),
        ...(request.prometheus ? { prometheus: { url: request.prometheus, errorRatioQuery: DEFAULT_ERROR_RATIO_QUERY } } : {}),
        ...(request.rpoProbe ? { rpo: { probeUrl: request.rpoProbe, objectiveSeconds: seconds("rpo-objective", request.rpoObjective!, "5m") } } : {}),
    };
}

/**
 * Which stacks the drill runs on, checked against their files before anything is touched: three
 * known stacks, a standby that is not the primary, one cloud, and a global stack whose records
 * point at exactly these two regions. Without flags, the repository's only global stack decides.
 */
export function drillTargets(request: DrillRequest, projectDir: string, known: readonly string[]): { targets: DrillTargets; regions: { primary: string; standby: string }; failover: GlobalFailoverConfig } {
    const configOf = (stack: string) => pavedConfig(readStackConfig(projectDir, stack).config);
    const globals = known.filter((s) => configOf(s).role === "global");
    const globalStack = request.global ?? (globals.length === 1 ? globals[0] : undefined);
    if (!globalStack) throw new RunnerUsageError(`name the global stack: --global <stack>${globals.length ? `, one of ${globals.join(", ")}` : ""}`);
    const global = configOf(knownStack(globalStack, known));
    if (global.role !== "global") throw new RunnerUsageError(`got --global ${globalStack}: a ${String(global.role)} stack; name the global-role stack, e.g. --global prod-global`);
    const routes = global.global as Partial<GlobalFailoverConfig> & { primary: string; standby: string; healthCheck?: Partial<GlobalFailoverConfig["healthCheck"]> };
    const primary = knownStack(request.primary ?? routes.primary, known);
    const standby = knownStack(request.standby ?? routes.standby, known);
    if (primary === standby) throw new RunnerUsageError(`got --standby ${standby}, the same as --primary: the drill fails over to a second region, e.g. --standby ${routes.standby === primary ? routes.primary : routes.standby}`);
    const [p, s] = [configOf(primary), configOf(standby)];
    if (p.cloud !== s.cloud) throw new RunnerUsageError(`got --primary ${primary} on ${String(p.cloud)} and --standby ${standby} on ${String(s.cloud)}: failover between clouds is not supported`);
    if (routes.primary !== primary || routes.standby !== standby) {
        throw new RunnerUsageError(`global stack ${globalStack} routes ${routes.primary} → ${routes.standby}, not ${primary} → ${standby}: drill the regions its records point at, e.g. --primary ${routes.primary} --standby ${routes.standby}`);
    }
    // The failover components' defaults: Route 53 checks every 10 s, Cloud DNS every 30 s.
    const failover = {
        ...routes,
        healthCheck: { intervalSeconds: routes.healthCheck?.intervalSeconds ?? (global.cloud === "gcp" ? 30 : 10), failureThreshold: routes.healthCheck?.failureThreshold ?? 3 },
        ttlSeconds: routes.ttlSeconds ?? 30,
    };
    return { targets: { primary, standby, global: globalStack }, regions: { primary: String(p.region), standby: String(s.region) }, failover };
}

/** The last drill, as stack tags on the global stack: when, the RTO, and how it ended. */
export function recordOnGlobalStack(driver: StackDriver, result: DrillResult): Promise<void> {
    return driver.setTags(result.targets.global, {
        "paved:last-drill": result.startedAt,
        "paved:last-drill-rto": result.rtoSeconds === undefined ? "none" : `${result.rtoSeconds.toFixed(1)}s`,
        "paved:last-drill-result": result.outcome,
    });
}

function summary(result: DrillResult): string {
    const rto = result.rtoSeconds === undefined ? "RTO not measured" : `RTO ${result.rtoSeconds.toFixed(1)} s against ${result.settings.objectiveSeconds} s`;
    return `drill ${result.outcome}${result.reason ? ` (${result.reason})` : ""}: ${rto}`;
}

/** The last words: what is live now and, when the drill could not finish, the one command that does. */
function lastWords(result: DrillResult): string[] {
    const operator = result.live?.operator ? `; the Pulumi Kubernetes Operator: ${result.live.operator}` : "";
    const live = result.live ? [`live now: traffic on ${result.live.servedBy}; drill knob on ${result.targets.global}: ${result.live.knob}; standby ${result.targets.standby}: ${result.live.standby}${operator}`] : [];
    return [...live, ...(result.finish ? [`to finish the job: ${result.finish}`] : [])];
}

/**
 * `paved drill`: the region-failover drill against real stacks, `--simulate` for a rehearsal on
 * loopback, `--resume` to restore a drill whose process died. Exit 0 pass, 3 objective missed,
 * 1 anything else (rolled back, stopped, not restored, aborted at pre-flight, another drill holds
 * the lock), 2 bad input.
 */
export async function drillCommand(request: DrillRequest, projectDir: string, context: RunnerContext): Promise<number> {
    const scale = request.simulate ? positive("time-scale", request.timeScale, "20") : 1;
    // A rehearsal's loopback answers take the machine's time, not the world's: at least half a wall second.
    const settings = { ...drillSettings(request), ...(request.simulate ? { requestTimeout: Math.max(DEFAULT_DRILL_SETTINGS.requestTimeout, scale / 2) } : {}) };
    if (request.upLatency !== undefined && !request.simulate) throw new RunnerUsageError(`got --up-latency "${request.upLatency}" without --simulate: only a rehearsal's updates can be given a latency, e.g. paved drill --simulate --up-latency lognormal:2:0.5`);
    const up = request.upLatency === undefined ? undefined : parseLatency(request.upLatency);
    const drillsDir = path.resolve(request.out ?? path.join(projectDir, "drills", request.simulate ? "rehearsals" : ""));
    const log = request.json ? () => undefined : context.log;
    const clock = scaledClock(scale);

    const chosen = request.resume && !request.primary && !request.standby && !request.global ? undefined : drillTargets(request, projectDir, context.knownStacks);
    let driver = context.driver;
    let operator = context.operator;
    let close = () => Promise.resolve();
    if (request.simulate) {
        const targets = chosen ?? drillTargets({ ...request, primary: undefined, standby: undefined }, projectDir, context.knownStacks);
        const { failover } = targets;
        // The world persists beside the journal, so --simulate --resume after a SIGKILL restores what the dead drill left.
        const world = await startRehearsal(targets.targets, targets.regions, { ...failover.healthCheck, ttlSeconds: failover.ttlSeconds }, clock, { ...HARDER_WORLD, ...(up ? { up } : {}), worldFile: path.join(drillsDir, WORLD_FILE), operatorOwned: context.operatorOwned });
        driver = world.driver;
        operator = () => world.operator;
        close = () => world.close();
        log(`rehearsal: ${targets.targets.primary} (${targets.regions.primary}) → ${targets.targets.standby} (${targets.regions.standby}) on loopback, time ×${scale}; no cloud is touched`);
    } else if (chosen) {
        driver.assertReady([chosen.targets.primary, chosen.targets.standby, chosen.targets.global]);
    }
    const ctx: DrillContext = { driver, clock, log, drillsDir, projectDir, rehearsal: request.simulate === true, signal: context.signal, operator, operatorOwned: context.operatorOwned };
    try {
        let result: DrillResult;
        try {
            result = request.resume ? await resumeDrill(ctx, request.forceResume) : await runDrill(chosen!.targets, settings, ctx);
        } catch (e) {
            if (!(e instanceof DrillLockedError)) throw e;
            context.log(`drill refused, nothing changed: ${e.message}`);
            return EXIT.failure;
        }
        const files = writeDrillReport(result, reportDirOf(drillsDir, result.startedAt));
        await recordOnGlobalStack(driver, result).catch((e: Error) => log(`the result tags could not be set on ${result.targets.global}: ${e.message}`));
        const report = path.relative(projectDir, files.markdown);
        if (request.json) context.log(JSON.stringify({ ...result, samples: result.samples.length, report: files }));
        else for (const line of [`${summary(result)}; report: ${report}`, ...lastWords(result)]) log(line);
        return result.outcome === "pass" ? EXIT.ok : result.outcome === "objective missed" ? EXIT.findings : EXIT.failure;
    } finally {
        await close();
    }
}
