import { EXIT } from "../exit-codes";
import { healthGate } from "../health/health-gate";
import { Ring } from "./rings";
import { RunnerContext, forEachStack } from "./stack-commands";
import { checkVersionSteps } from "./version-step";
import { assertNotOperatorOwned, ownedAmong, withOperatorPaused } from "./operator-ownership";

export interface RingStep {
    readonly stack: string;
    readonly up: "succeeded" | "failed" | "not run";
    readonly gate?: { readonly healthy: boolean; readonly checks: string[] };
    readonly error?: string;
}

/**
 * `paved deploy --ring`: `up` on the ring's stacks one after another, each followed by its health
 * gate (health endpoint probes, then the error ratio when the stack has a Prometheus). The first
 * failed update or gate stops the rollout: no further stack is touched, and the report says which
 * stacks were left alone. Exit 0 when the whole ring is through, 1 when it stopped.
 */
export async function deployRing(ring: Ring, request: { readonly json?: boolean; readonly overrideOperator?: boolean }, context: RunnerContext): Promise<number> {
    assertNotOperatorOwned("deploy", ring.stacks, context, request.overrideOperator, `paved deploy --ring ${ring.name}`);
    context.driver.assertReady(ring.stacks);
    const log = request.json ? () => undefined : context.log;
    // The whole ring goes one minor version at a time, checked before its first stack is touched.
    (await checkVersionSteps(context.driver, ring.stacks)).forEach((line) => log(line));
    const steps: RingStep[] = [];
    for (const stack of ring.stacks) {
        log(`ring ${ring.name}: ${stack}: up`);
        // The operator is paused for this stack's update only: it keeps reconciling the others meanwhile.
        const [outcome] = await withOperatorPaused(context.operator, ownedAmong([stack], context), `paved deploy --ring ${ring.name} --override-operator`, log, () =>
            forEachStack(context, [stack], (s, signal) => context.driver.run(s, "up", { signal, onEvent: log })),
        );
        if (!outcome.ok) {
            steps.push({ stack, up: "failed", error: outcome.error.message });
            break;
        }
        const endpoint = (await context.driver.outputs(stack)).healthEndpoint;
        if (typeof endpoint !== "string") {
            steps.push({ stack, up: "succeeded", gate: { healthy: false, checks: ["the stack exports no healthEndpoint to probe"] } });
            break;
        }
        const gate = await healthGate(endpoint, { ...ring.gate, prometheusUrl: ring.prometheus[stack], signal: context.signal });
        steps.push({ stack, up: "succeeded", gate });
        gate.checks.forEach((c) => log(`ring ${ring.name}: ${stack}: ${c}`));
        if (!gate.healthy) break;
    }
    const untouched = ring.stacks.slice(steps.length);
    const completed = untouched.length === 0 && steps.every((s) => s.up === "succeeded" && s.gate?.healthy);
    const stoppedAt = completed ? undefined : steps[steps.length - 1];
    if (request.json) {
        context.log(JSON.stringify({ ring: ring.name, completed, steps, untouched }));
    } else if (completed) {
        log(`ring ${ring.name}: all ${ring.stacks.length} stacks updated and healthy`);
    } else {
        const why = stoppedAt!.up === "failed" ? `up failed: ${stoppedAt!.error}` : "health gate failed";
        log(`ring ${ring.name}: STOPPED at ${stoppedAt!.stack} (${why}); not touched: ${untouched.join(", ") || "none"}`);
    }
    return completed ? EXIT.ok : EXIT.failure;
}
