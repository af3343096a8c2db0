/**
 * `npm run bench`: the wall time and peak memory of `paved plan` over every shipped stack (offline
 * evaluation, policies, critical path), and each environment's cost plan — its nodes as a share of
 * on-demand around the clock, with the breakdown per pool for every non-production stack; `paved drift` over 50 stacks at concurrency 1 and
 * 8; rehearsal drills' measured RTO against the failover router's own switch time; and the fleet
 * plan in worker threads against one after another (automation/bench/fleet-plan.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { benchDrill } from "./drill/bench-drill";
import { fleetPlanReport } from "./bench/fleet-plan";
import { programStartReport } from "./bench/program-start";
import { MemoryDriver } from "./driver/memory-driver";
import { listStacks } from "./offline/stack-file";
import { formatCostReport } from "./offline/summary";
import { runDrift } from "./runner/drift-command";
import { planStack } from "./plan/plan";

async function main(): Promise<void> {
    const projectDir = path.resolve(__dirname, "..");
    const rows: string[] = [];
    const started = performance.now();
    let peakRss = process.memoryUsage().rss;
    const sleeping: string[] = [];
    for (const stack of listStacks(projectDir)) {
        const t = performance.now();
        const plan = await planStack(projectDir, stack);
        const ms = performance.now() - t;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        const cost = plan.cost?.total;
        rows.push(
            `${stack.padEnd(16)} ${String(plan.resources).padStart(4)} resources ${ms.toFixed(0).padStart(6)} ms   ` +
                (cost
                    ? `$${cost.plannedMonthlyUsd.toFixed(2).padStart(9)} vs $${cost.baselineMonthlyUsd.toFixed(2).padStart(9)}   nodes ${(cost.shareOfOnDemand * 100).toFixed(1)} % of on-demand 24/7`
                    : "(no nodes of its own)"),
        );
        // Non-production sleeps: its breakdown per pool (system and app pools, hours a week, spot).
        if (plan.cost && plan.cost.environment !== "prod") sleeping.push(`${stack}:`, ...formatCostReport(plan.cost));
    }
    console.log("stack            paved plan (offline)          planned vs on-demand 24/7 (monthly)");
    for (const row of rows) console.log(row);
    for (const line of sleeping) console.log(line);
    console.log(`all stacks: ${(performance.now() - started).toFixed(0)} ms wall, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);

    // PR stacks scale with the number of open pull requests: plan 1, 10 and 50 copies of the template.
    const walls: Record<number, number> = {};
    for (const count of [1, 10, 50]) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-bench-"));
        for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(projectDir, file), path.join(dir, file));
        const template = fs.readFileSync(path.join(projectDir, "Pulumi.pr.yaml"), "utf8");
        for (let n = 1; n <= count; n++) fs.writeFileSync(path.join(dir, `Pulumi.pr-${n}.yaml`), template);
        const t = performance.now();
        for (let n = 1; n <= count; n++) await planStack(dir, `pr-${n}`);
        walls[count] = performance.now() - t;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        fs.rmSync(dir, { recursive: true, force: true });
        console.log(`${String(count).padStart(2)} PR stack(s): ${walls[count].toFixed(0)} ms wall`);
    }
    console.log(`added time per extra PR stack: ${((walls[50] - walls[1]) / 49).toFixed(1)} ms; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);

    // `paved drift --all` over 50 stacks, in-memory driver at a fixed 50 ms per call.
    const names = Array.from({ length: 50 }, (_, i) => `stack-${i}`);
    const drift: Record<number, number> = {};
    for (const concurrency of [1, 8]) {
        const driver = new MemoryDriver(new Set(names), new Map(), 50);
        const t = performance.now();
        await runDrift({ all: true, concurrency }, { driver, knownStacks: names, fleet: names, log: () => undefined });
        drift[concurrency] = performance.now() - t;
        console.log(`drift check, 50 stacks, concurrency ${concurrency}: ${drift[concurrency].toFixed(0)} ms wall (max ${driver.maxInFlight} at once)`);
    }
    console.log(`concurrency 8 is ${(drift[1] / drift[8]).toFixed(1)}× faster than 1`);

    // Rehearsal drills: RTO against each run's theoretical floor (automation/drill/bench-drill.ts).
    await benchDrill();

    // How long a stack program takes to start under Pulumi's language host, before any provider.
    for (const line of programStartReport(projectDir)) console.log(line);

    // The built `paved plan` at 1, 2 and N workers, shipped and 200 PR stacks (automation/bench/fleet-plan.ts).
    for (const line of await fleetPlanReport(projectDir)) console.log(line);
}

/** Ends the bench with one line and exit 1, whatever is still open (a server, a timer). */
function fail(message: string): never {
    console.error(`bench: ${message}`);
    process.exit(1);
}

// A hard limit on the whole bench: a rehearsal that never ends must not hang it (or CI) forever.
const limitSeconds = Number(process.env.PAVED_BENCH_TIMEOUT_SECONDS ?? 600);
if (!(limitSeconds > 0)) {
    console.error(`bench: got PAVED_BENCH_TIMEOUT_SECONDS=${process.env.PAVED_BENCH_TIMEOUT_SECONDS}: a number of seconds above 0, e.g. PAVED_BENCH_TIMEOUT_SECONDS=600`);
    process.exit(2);
}
setTimeout(() => fail(`gave up after ${limitSeconds} s (PAVED_BENCH_TIMEOUT_SECONDS); figures printed above are complete, the rest is missing`), limitSeconds * 1000).unref();

// Exit as soon as the figures are out: a handle left open must not keep the bench alive.
main().then(
    () => process.exit(0),
    (e: unknown) => fail(e instanceof Error ? e.message.split("\n")[0] : String(e)),
);
