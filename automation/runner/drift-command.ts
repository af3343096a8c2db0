import { StackDrift, classifyDrift, formatDrift } from "./drift";
import { EXIT } from "../exit-codes";
import { OperationRequest, RunnerContext, forEachStack, targetStacks } from "./stack-commands";

export interface DriftRequest extends OperationRequest {
    /** Re-apply Git's state where something changed outside it: refresh, then up. */
    readonly fix?: boolean;
}

interface DriftOutcome {
    readonly stack: string;
    readonly drift?: StackDrift;
    readonly fixed?: boolean;
    readonly error?: string;
}

/**
 * `paved drift`: a refresh preview per stack, reported per resource and property, with the fields
 * controllers own set aside. With `--fix`, each stack with unexpected drift is refreshed (the state
 * learns the manual change) and then updated (Git's values are applied again) — nothing else.
 * Exit 1 when a stack could not be checked or fixed, else 3 when unexpected drift remains, else 0.
 */
export async function runDrift(request: DriftRequest, context: RunnerContext): Promise<number> {
    const stacks = targetStacks(request, context);
    context.driver.assertReady(stacks);
    const log = request.json ? () => undefined : context.log;
    const concurrency = request.concurrency ?? 4;
    const checked = await forEachStack(context, stacks, (stack, signal) => context.driver.previewRefresh(stack, { signal }), concurrency);
    const outcomes = new Map<string, DriftOutcome>(
        checked.map((o) => [o.stack, o.ok ? { stack: o.stack, drift: classifyDrift(o.stack, o.value) } : { stack: o.stack, error: o.error.message }]),
    );
    for (const o of outcomes.values()) {
        if (o.drift) formatDrift(o.drift).forEach((line) => log(line));
        else log(`${o.stack}: drift check FAILED — ${o.error}`);
    }

    const drifted = [...outcomes.values()].filter((o) => o.drift && o.drift.unexpected.length > 0).map((o) => o.stack);
    if (request.fix && drifted.length > 0) {
        const fixes = await forEachStack(context, drifted, async (stack, signal) => {
            await context.driver.run(stack, "refresh", { signal });
            await context.driver.run(stack, "up", { signal });
        }, concurrency);
        for (const f of fixes) {
            const before = outcomes.get(f.stack)!;
            outcomes.set(f.stack, f.ok ? { ...before, fixed: true } : { ...before, error: `fix failed: ${f.error.message}` });
            if (f.ok) before.drift!.unexpected.forEach((r) => log(`${f.stack}: manual change reverted: ${r.type} ${r.name}`));
            else log(`${f.stack}: fix FAILED — ${f.error.message}`);
        }
    }

    const all = [...outcomes.values()];
    if (request.json) context.log(JSON.stringify(all));
    if (all.some((o) => o.error)) return EXIT.failure;
    return all.some((o) => o.drift!.unexpected.length > 0 && !o.fixed) ? EXIT.findings : EXIT.ok;
}
