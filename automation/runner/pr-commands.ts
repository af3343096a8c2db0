import { EXIT } from "../exit-codes";
import { PrStackInfo, RunnerUsageError, isPrStack, prStackName, sweepSelection } from "./pr-stacks";
import { RunnerContext, forEachStack, formatChanges } from "./stack-commands";

/** The stack file every PR stack's config is copied from. */
export const PR_TEMPLATE = "pr";
export const PR_TAG = "paved:pr";
export const CREATED_AT_TAG = "paved:created-at";

function assertTemplate(context: RunnerContext): void {
    if (!context.knownStacks.includes(PR_TEMPLATE)) throw new RunnerUsageError(`no Pulumi.${PR_TEMPLATE}.yaml: PR stacks are copies of that template; add it (role: preview)`);
}

/**
 * When the template is the operator's, Argo CD's pull-request generator creates each pr-<n> Stack as
 * its PR opens and removes it as it closes: paved creating, updating or destroying them too would be
 * a second writer (a destroyed stack the operator builds again). No override: the template's file decides.
 */
function assertPrStacksPaved(command: string, context: RunnerContext): void {
    if (!(context.operatorOwned ?? []).includes(PR_TEMPLATE)) return;
    throw new RunnerUsageError(`refusing paved pr ${command}: PR stacks are the Pulumi Kubernetes Operator's (Pulumi.${PR_TEMPLATE}.yaml says paved:reconciler: operator): Argo CD creates pr-<n> when its PR opens and removes it when it closes; to drive PR stacks with paved instead, set paved:reconciler: paved in Pulumi.${PR_TEMPLATE}.yaml`);
}

/**
 * `paved pr up <n>`: creates `pr-<n>` from the template (or selects it), tags it with its PR number
 * and creation time (kept on later updates, so the TTL counts from the first), updates it and prints
 * its URL.
 */
export async function prUp(pr: string, request: { readonly json?: boolean }, context: RunnerContext): Promise<number> {
    const stack = prStackName(pr);
    assertTemplate(context);
    assertPrStacksPaved("up", context);
    context.driver.assertReady([stack]);
    const log = request.json ? () => undefined : context.log;
    const [outcome] = await forEachStack(context, [stack], async (s, signal) => {
        await context.driver.createStack(s, PR_TEMPLATE);
        const tags = await context.driver.getTags(s);
        if (!tags[CREATED_AT_TAG]) await context.driver.setTags(s, { [PR_TAG]: pr, [CREATED_AT_TAG]: (context.now?.() ?? new Date()).toISOString() });
        const result = await context.driver.run(s, "up", { signal, onEvent: log });
        return { changes: result.changes, url: (await context.driver.outputs(s)).url };
    });
    if (request.json) {
        context.log(JSON.stringify(outcome.ok ? { stack, ok: true, ...outcome.value } : { stack, ok: false, error: outcome.error.message }));
    } else {
        log(outcome.ok ? `${stack}: up succeeded (${formatChanges(outcome.value.changes)}) → ${String(outcome.value.url)}` : `${stack}: up FAILED — ${outcome.error.message}`);
    }
    return outcome.ok ? EXIT.ok : EXIT.failure;
}

async function destroyAndRemove(stacks: readonly string[], context: RunnerContext, log: (line: string) => void) {
    const outcomes = await forEachStack(context, stacks, async (s, signal) => {
        await context.driver.run(s, "destroy", { signal, onEvent: log });
        await context.driver.removeStack(s);
    }, 4);
    for (const o of outcomes) log(o.ok ? `${o.stack}: destroyed and removed` : `${o.stack}: destroy FAILED — ${o.error.message}`);
    return outcomes;
}

/** `paved pr destroy <n>`: destroys `pr-<n>` and removes the stack. No confirmation: it is a PR stack. */
export async function prDestroy(pr: string, request: { readonly json?: boolean }, context: RunnerContext): Promise<number> {
    const stack = prStackName(pr);
    assertPrStacksPaved("destroy", context);
    context.driver.assertReady([stack]);
    const existing = (await context.driver.listStacks()).filter(isPrStack);
    if (!existing.includes(stack)) throw new RunnerUsageError(`no stack ${stack}; PR stacks now: ${existing.join(", ") || "none"}`);
    const [outcome] = await destroyAndRemove([stack], context, request.json ? () => undefined : context.log);
    if (request.json) context.log(JSON.stringify(outcome.ok ? { stack, ok: true } : { stack, ok: false, error: outcome.error.message }));
    return outcome.ok ? EXIT.ok : EXIT.failure;
}

/** Parses `--open 12,15`: every entry a PR number. */
export function openPrs(list: string): number[] {
    return list.split(",").map((s) => Number(prStackName(s.trim()).slice(3)));
}

/**
 * `paved pr sweep --ttl 72h [--open 12,15] [--dry-run]`: destroys and removes the PR stacks older
 * than the TTL or whose PR is not in the open list. Only stacks named `pr-<number>` are ever
 * considered; a PR stack without a creation tag is kept unless its PR is closed.
 */
export async function prSweep(request: { readonly ttl: string; readonly open?: string; readonly dryRun?: boolean; readonly json?: boolean }, context: RunnerContext): Promise<number> {
    const open = request.open === undefined ? undefined : openPrs(request.open);
    const now = context.now?.() ?? new Date();
    sweepSelection([], { ttl: request.ttl, now }); // a bad TTL fails here, before the backend is read
    if (!request.dryRun) assertPrStacksPaved("sweep", context);
    context.driver.assertReady([]);
    const log = request.json ? () => undefined : context.log;
    const prStacks = (await context.driver.listStacks()).filter(isPrStack);
    const info: PrStackInfo[] = await Promise.all(prStacks.map(async (stack) => ({ stack, createdAt: (await context.driver.getTags(stack))[CREATED_AT_TAG] })));
    const selected = sweepSelection(info, { ttl: request.ttl, now, open });
    for (const i of info.filter((i) => !i.createdAt && !selected.includes(i.stack))) log(`${i.stack}: no ${CREATED_AT_TAG} tag, age unknown: kept`);
    log(`sweep: ${selected.length} of ${prStacks.length} PR stack(s) to remove${selected.length ? `: ${selected.join(", ")}` : ""}${request.dryRun ? " (dry run: nothing removed)" : ""}`);
    if (request.dryRun || selected.length === 0) {
        if (request.json) context.log(JSON.stringify({ selected, removed: [], failed: [] }));
        return EXIT.ok;
    }
    context.driver.assertReady(selected);
    const outcomes = await destroyAndRemove(selected, context, log);
    if (request.json) {
        context.log(JSON.stringify({ selected, removed: outcomes.filter((o) => o.ok).map((o) => o.stack), failed: outcomes.flatMap((o) => (o.ok ? [] : [{ stack: o.stack, error: o.error.message }])) }));
    }
    return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failure;
}
