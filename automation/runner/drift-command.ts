import { CONTROLLER_OWNED, SLEEP_OWNED, StackDrift, classifyDrift, formatDrift } from "./drift";
import { CloudRules } from "../driver/cloud-rules";
import { EXIT } from "../exit-codes";
import { RunnerUsageError } from "./pr-stacks";
import { OperationRequest, RunnerContext, forEachStack, targetStacks } from "./stack-commands";
import { UnmanagedRule, findUnmanaged, firewallScope, removeUnmanaged } from "./unmanaged-rules";
import { OperatorDrift, judgeOperatorDrift } from "./operator-drift";
import { ownedAmong } from "./operator-ownership";

export interface DriftRequest extends OperationRequest {
    /** Re-apply Git's state where something changed outside it: refresh, then up; remove unmanaged rules. */
    readonly fix?: boolean;
    /** With --fix: say what would be re-applied and removed, change nothing. */
    readonly dryRun?: boolean;
    /** Fix only the stacks whose environment opts in to auto-fix (drift.yaml); report the others. */
    readonly autoFix?: boolean;
}

/** What the drift command may use besides the stack driver. */
export interface DriftDeps {
    /** Reads and removes firewall rules through the cloud APIs; without it the unmanaged check is skipped, and says so. */
    readonly cloudRules?: CloudRules;
    /** Stacks whose environment opted in to auto-fix (drift.yaml); needed for --auto-fix. */
    readonly autoFixStacks?: readonly string[];
    /** Non-production stacks whose node pools sleep on a schedule: their pools' sizes are the schedule's, not drift. */
    readonly sleepingStacks?: readonly string[];
}

/** The exact words of the drift protocol, printed for every change `--fix` reverted. */
export const REVERTED = "Re-applying state from Git. Manual change reverted.";

interface DriftOutcome {
    readonly stack: string;
    readonly drift?: StackDrift;
    readonly unmanaged?: readonly UnmanagedRule[];
    readonly fixed?: boolean;
    readonly error?: string;
    /** For a stack the operator owns: its last result instead of a refresh of ours. */
    readonly operator?: OperatorDrift;
}

/** Rules outside Git that are drift: not those a controller (GKE) owns. */
const unexpectedRules = (o: DriftOutcome) => (o.unmanaged ?? []).filter((u) => !u.ownedBy);
const hasDrift = (o: DriftOutcome) => (o.drift?.unexpected.length ?? 0) > 0 || unexpectedRules(o).length > 0 || o.operator?.applied === false;

/** One stack's check: the refresh preview, and the rules in its firewall scope that no state declares. */
async function check(stack: string, context: RunnerContext, deps: DriftDeps, signal?: AbortSignal): Promise<{ drift: StackDrift; unmanaged: UnmanagedRule[] }> {
    const allowList = deps.sleepingStacks?.includes(stack) ? [...CONTROLLER_OWNED, ...SLEEP_OWNED] : CONTROLLER_OWNED;
    const drift = classifyDrift(stack, await context.driver.previewRefresh(stack, { signal }), allowList);
    const cloud = deps.cloudRules;
    const scope = cloud && firewallScope(await context.driver.outputs(stack));
    return { drift, unmanaged: scope ? await findUnmanaged(scope, cloud) : [] };
}

function report(o: DriftOutcome, log: (line: string) => void): void {
    if (o.operator) {
        [o.operator.summary, ...o.operator.details].forEach((line) => log(line));
        return;
    }
    if (!o.drift) {
        log(`${o.stack}: drift check FAILED — ${o.error}`);
        return;
    }
    const lines = formatDrift(o.drift);
    const rules = unexpectedRules(o).length;
    if (rules > 0) lines[0] = o.drift.unexpected.length > 0 ? `${lines[0]}; ${rules} rule(s) outside Git` : `${o.stack}: ${rules} rule(s) outside Git`;
    lines.forEach((line) => log(line));
    for (const u of o.unmanaged ?? []) log(`  unmanaged: ${u.text}${u.ownedBy ? `   (allowed: owned by ${u.ownedBy})` : ""}`);
}

/**
 * Fixes one stack and proves it: refresh then up where resources drifted (the state learns the
 * manual change, then Git's values are applied again), removal of every unmanaged rule the up did
 * not already take away, then the same check again. Throws when anything is left.
 */
async function fixStack(o: DriftOutcome, context: RunnerContext, deps: DriftDeps, signal?: AbortSignal): Promise<void> {
    if (o.drift!.unexpected.length > 0) {
        await context.driver.run(o.stack, "refresh", { signal });
        await context.driver.run(o.stack, "up", { signal });
    }
    const wanted = unexpectedRules(o);
    if (wanted.length > 0) {
        // An inline rule of an authoritative group is gone after the up; remove only what is still there.
        const still = new Set((await check(o.stack, context, deps, signal)).unmanaged.map((u) => u.text));
        for (const u of wanted.filter((w) => still.has(w.text))) await removeUnmanaged(u, deps.cloudRules!);
    }
    const after = await check(o.stack, context, deps, signal);
    const left = [...after.drift.unexpected.map((r) => `${r.type} ${r.name}`), ...unexpectedRules({ stack: o.stack, unmanaged: after.unmanaged }).map((u) => u.text)];
    if (left.length > 0) throw new Error(`still changed outside Git after the fix: ${left.join("; ")}`);
}

/**
 * `paved drift`: a refresh preview per stack, reported per resource and property, with the fields
 * controllers own set aside, plus the firewall rules in the stack's scope that no state declares.
 * `--fix` re-applies Git's state and removes those rules, then checks again; `--dry-run` says what
 * it would do; `--auto-fix` fixes only the environments that opted in. Exit 1 when a stack could not
 * be checked or fixed, else 3 when unexpected drift remains, else 0.
 */
export async function runDrift(request: DriftRequest, context: RunnerContext, deps: DriftDeps = {}): Promise<number> {
    const stacks = targetStacks(request, context);
    if (request.dryRun && !request.fix && !request.autoFix) throw new RunnerUsageError("--dry-run goes with --fix or --auto-fix: it shows what they would change, e.g. paved drift --stack dev --fix --dry-run");
    if (request.fix && request.autoFix) throw new RunnerUsageError("give --fix (every named stack) or --auto-fix (only stacks that opted in, drift.yaml), not both");
    // The operator's stacks: its last result, read from their Stack objects; no refresh of ours, no second writer.
    const owned = ownedAmong(stacks, context);
    const refreshed = stacks.filter((s) => !owned.includes(s));
    context.driver.assertReady(refreshed);
    const cloud = deps.cloudRules;
    const log = request.json ? () => undefined : context.log;
    if (!cloud && refreshed.length > 0) log("note: no cloud access configured: rules outside any stack's state are not checked, only what a refresh sees");
    const concurrency = request.concurrency ?? 4;
    const checked = await forEachStack(context, refreshed, (stack, signal) => check(stack, context, deps, signal), concurrency);
    const operator = owned.length > 0 ? context.operator?.() : undefined;
    const read = await forEachStack(context, owned, async (stack) => {
        if (!operator) throw new Error("no access to the Pulumi Kubernetes Operator configured");
        return judgeOperatorDrift(await operator.stackStatus(stack), (context.now ?? (() => new Date()))());
    }, concurrency);
    const outcomes = new Map<string, DriftOutcome>(
        stacks.map((stack) => {
            const o = [...checked, ...read].find((c) => c.stack === stack)!;
            if (!o.ok) return [stack, { stack, error: o.error.message }];
            return [stack, "summary" in o.value ? { stack, operator: o.value } : { stack, ...o.value }];
        }),
    );
    for (const o of outcomes.values()) report(o, log);

    const drifted = [...outcomes.values()].filter((o) => hasDrift(o) && !o.operator);
    // The operator re-applies Git itself; paved reports, and the override is the one way to write from here.
    const notApplied = [...outcomes.values()].filter((o) => o.operator?.applied === false).map((o) => o.stack);
    const fixable = request.fix ? drifted : request.autoFix ? drifted.filter((o) => (deps.autoFixStacks ?? []).includes(o.stack)) : [];
    if (request.autoFix) {
        for (const o of drifted.filter((d) => !fixable.includes(d))) log(`${o.stack}: not fixed: auto-fix is off for this environment (drift.yaml); to fix it: paved drift --stack ${o.stack} --fix`);
    }
    if (request.dryRun) {
        for (const o of fixable) {
            for (const r of o.drift!.unexpected) log(`${o.stack}: would re-apply state from Git (refresh, then up): ${r.type} ${r.name}`);
            for (const u of unexpectedRules(o)) log(`${o.stack}: would remove unmanaged: ${u.text}`);
        }
        if (fixable.length > 0) log(`dry run: nothing changed; to apply: paved drift ${request.all ? "--all" : `--stack ${stacks[0]}`} ${request.autoFix ? "--auto-fix" : "--fix"}`);
    } else if (fixable.length > 0) {
        const fixes = await forEachStack(context, fixable.map((o) => o.stack), (stack, signal) => fixStack(outcomes.get(stack)!, context, deps, signal), concurrency);
        for (const f of fixes) {
            const before = outcomes.get(f.stack)!;
            outcomes.set(f.stack, f.ok ? { ...before, fixed: true } : { ...before, error: `fix failed: ${f.error.message}` });
            if (f.ok) {
                before.drift!.unexpected.forEach((r) => log(`${f.stack}: ${r.type} ${r.name}: ${REVERTED}`));
                unexpectedRules(before).forEach((u) => log(`${f.stack}: unmanaged ${u.text}: ${REVERTED}`));
            } else {
                log(`${f.stack}: fix FAILED — ${f.error.message}; what is live is unchanged or partly fixed: check it with paved drift --stack ${f.stack}`);
            }
        }
    }

    const all = [...outcomes.values()];
    const left = all.filter((o) => hasDrift(o) && !o.fixed && !o.error && !o.operator).map((o) => o.stack);
    // The last words: what is still different from Git, and the one command that puts it back.
    if (notApplied.length > 0) log(`not known to match Git, and the operator's to apply: ${notApplied.join(", ")}; once the cause above is fixed the operator re-applies Git, or from here: paved up --stack ${notApplied[0]} --override-operator`);
    if (left.length > 0) log(`changed outside Git and not reverted: ${left.join(", ")}; to re-apply Git's state: paved drift --stack ${left[0]} --fix (add --dry-run to see what it would change)`);
    if (request.json) context.log(JSON.stringify(all.map((o) => (o.operator ? { stack: o.stack, operator: { applied: o.operator.applied, summary: o.operator.summary, status: o.operator.status } } : o))));
    if (all.some((o) => o.error)) return EXIT.failure;
    return all.some((o) => hasDrift(o) && !o.fixed) ? EXIT.findings : EXIT.ok;
}
