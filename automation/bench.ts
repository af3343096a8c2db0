/**
 * `npm run bench`: how long the offline evaluation of every shipped stack takes, its peak memory,
 * and each environment's cost plan — the savings ratio of spot × schedule over on-demand 24/7.
 */
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { CostReport } from "../components/nodepools/cost";
import { program } from "../stacks/program";
import { evaluateStack } from "./offline/evaluate";
import { listStacks } from "./offline/stack-file";

async function main(): Promise<void> {
    const projectDir = path.resolve(__dirname, "..");
    const rows: string[] = [];
    const started = performance.now();
    let peakRss = process.memoryUsage().rss;
    for (const stack of listStacks(projectDir)) {
        const t = performance.now();
        const run = await evaluateStack(projectDir, stack, program);
        const ms = performance.now() - t;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        const cost = run.outputs.costReport as CostReport;
        rows.push(
            `${stack.padEnd(16)} ${String(run.resources.filter((r) => r.custom).length).padStart(4)} resources ${ms.toFixed(0).padStart(6)} ms   ` +
                `$${cost.total.plannedMonthlyUsd.toFixed(2).padStart(9)} vs $${cost.total.baselineMonthlyUsd.toFixed(2).padStart(9)}   savings ratio ${(cost.total.savingsRatio * 100).toFixed(1)} %`,
        );
    }
    console.log("stack            evaluate (offline, mocks)     planned vs on-demand 24/7 (monthly)");
    for (const row of rows) console.log(row);
    console.log(`all stacks: ${(performance.now() - started).toFixed(0)} ms wall, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
}

main().catch((e: unknown) => {
    console.error(`bench: ${(e as Error).message}`);
    process.exitCode = 1;
});
