/* Updates that check the applied state (the stacks' outputs), and what is live when the drill ends. */
import { OperationCancelledError } from "../driver/port";
import { probeOnce } from "../health/probe";
import { Clock } from "./clock";
import { DrillContext, DrillResult, DrillTargets, Endpoints, KNOB_OUTPUT, LiveState, Mark, MarkName, PROMOTED_OUTPUT, UpdateRecord } from "./model";
import { Sample } from "./measure";

/** One drill's bookkeeping: marks with UTC times, samples and updates, shared by the drill and its restore. */
export class DrillRecord {
    readonly marks: Mark[] = [];
    readonly samples: Sample[] = [];
    readonly updates: UpdateRecord[] = [];
    readonly notMeasured: string[] = [];
    constructor(private readonly clock: Clock) {}

    mark(name: MarkName, t = this.clock.now()): number {
        this.marks.push({ name, t, at: new Date(Date.now() - this.clock.ms(this.clock.now() - t)).toISOString() });
        return t;
    }
}

/**
 * Runs `up` on one stack with temporary config (none: Git's state), bounded by `timeout` drill
 * seconds when given, then checks the *applied* state in the stack's outputs.
 */
export async function update(ctx: DrillContext, rec: DrillRecord, step: string, stack: string, config: Record<string, string> | undefined, applied: { output: string; value: boolean }, timeout?: number): Promise<void> {
    const { driver, clock } = ctx;
    const deadline = timeout === undefined ? undefined : AbortSignal.timeout(clock.ms(timeout));
    const signals = [ctx.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
    const start = clock.now();
    const at = new Date().toISOString();
    try {
        const result = await driver.run(stack, "up", { signal: signals.length ? AbortSignal.any(signals) : undefined, ...(config ? { config } : {}) });
        const updateId = (result as { updateId?: string }).updateId;
        rec.updates.push({ step, stack, ...(config ? { config } : {}), at, seconds: clock.now() - start, changes: result.changes, ...(updateId ? { updateId } : {}) });
    } catch (e) {
        if (e instanceof OperationCancelledError && deadline?.aborted) throw new Error(`${step}: the update of ${stack} took longer than the step timeout (${timeout} s) and was cancelled`);
        if (e instanceof OperationCancelledError) throw new Error("cancelled (SIGINT/SIGTERM)");
        throw e;
    }
    const value = (await driver.outputs(stack))[applied.output];
    if (value !== applied.value) throw new Error(`${step}: ${stack} was updated, but its output ${applied.output} is ${JSON.stringify(value ?? null)}, not ${applied.value}`);
}

/** What is live now: who answers the global endpoint, and the knob and the promotion as the stacks' outputs say. */
export async function liveNow(ctx: DrillContext, targets: DrillTargets, endpoints: Endpoints | undefined, regions: DrillResult["regions"]): Promise<LiveState> {
    const read = async (stack: string, output: string, yes: string, no: string) => {
        try {
            const v = (await ctx.driver.outputs(stack))[output];
            return v === true ? yes : v === false ? no : `unknown (${stack} exports no ${output})`;
        } catch (e) {
            return `unknown (${(e as Error).message})`;
        }
    };
    let servedBy = "unknown (the global stack's outputs could not be read)";
    if (endpoints) {
        const answer = await probeOnce(endpoints.global, ctx.clock.ms(5));
        const region = answer.ok ? answer.body?.trim() : undefined;
        servedBy = region === regions.primary ? `the primary ${targets.primary} (${region})` : region === regions.standby ? `the standby ${targets.standby} (${region})` : `no region (${answer.error ?? `HTTP ${answer.status}`})`;
    }
    return {
        servedBy,
        knob: await read(targets.global, KNOB_OUTPUT, "on (the primary's health check inverted)", "off"),
        standby: await read(targets.standby, PROMOTED_OUTPUT, "promoted (primary capacity)", "warm"),
    };
}
