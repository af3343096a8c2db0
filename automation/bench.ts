/**
 * `npm run bench`: the wall time and peak memory of `paved plan` over every shipped stack (offline
 * evaluation, policies, critical path), and each environment's cost plan — the savings ratio of
 * spot × schedule over on-demand around the clock.
 */
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { listStacks } from "./offline/stack-file";
import { planStack } from "./plan/plan";

async function main(): Promise<void> {
    const projectDir = path.resolve(__dirname, "..");
    const rows: string[] = [];
    const started = performance.now();
    let peakRss = process.memoryUsage().rss;
    for (const stack of listStacks(projectDir)) {
        const t = performance.now();
        const plan = await planStack(projectDir, stack);
        const ms = performance.now() - t;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        const cost = plan.cost?.total;
        rows.push(
            `${stack.padEnd(16)} ${String(plan.resources).padStart(4)} resources ${ms.toFixed(0).padStart(6)} ms   ` +
                (cost
                    ? `$${cost.plannedMonthlyUsd.toFixed(2).padStart(9)} vs $${cost.baselineMonthlyUsd.toFixed(2).padStart(9)}   savings ratio ${(cost.savingsRatio * 100).toFixed(1)} %`
                    : "(no nodes of its own)"),
        );
    }
    console.log("stack            paved plan (offline)          planned vs on-demand 24/7 (monthly)");
    for (const row of rows) console.log(row);
    console.log(`all stacks: ${(performance.now() - started).toFixed(0)} ms wall, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
}

main().catch((e: unknown) => {
    console.error(`bench: ${(e as Error).message}`);
    process.exitCode = 1;
});
