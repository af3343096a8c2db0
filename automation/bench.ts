/**
 * `npm run bench`: the wall time and peak memory of `paved plan` over every shipped stack (offline
 * evaluation, policies, critical path), and each environment's cost plan — the savings ratio of
 * spot × schedule over on-demand around the clock; `paved drift` over 50 stacks at concurrency 1 and
 * 8; and rehearsal drills' measured RTO against the failover router's own switch time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { scaledClock } from "./drill/clock";
import { DEFAULT_DRILL_SETTINGS, runDrill } from "./drill/drill";
import { startRehearsal } from "./drill/rehearsal";
import { MemoryDriver } from "./driver/memory-driver";
import { listStacks } from "./offline/stack-file";
import { runDrift } from "./runner/drift-command";
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

    // Rehearsal drills: measured RTO against the theoretical floor of each run (the router's detection,
    // then the cached answer running out) — the measurement's overhead — and the static bound.
    const targets = { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" };
    const router = { intervalSeconds: 10, failureThreshold: 3, ttlSeconds: 30 };
    const overheads: number[] = [];
    for (let run = 1; run <= 5; run++) {
        const clock = scaledClock(50);
        const world = await startRehearsal(targets, { primary: "us-east-1", standby: "us-west-2" }, router, clock);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-bench-drill-"));
        const t = performance.now();
        const result = await runDrill(targets, DEFAULT_DRILL_SETTINGS, { driver: world.driver, clock, log: () => undefined, drillsDir: dir, rehearsal: true });
        const wall = performance.now() - t;
        const injected = result.marks.find((m) => m.name === "injected")!.t;
        const floor = world.router.standbyReachableAfter(injected)! - injected;
        overheads.push(result.rtoSeconds! - floor);
        console.log(`rehearsal drill ${run} (×50): RTO ${result.rtoSeconds!.toFixed(2)} s, theoretical (detection, then the cached answer's TTL) ${floor.toFixed(2)} s, overhead ${(result.rtoSeconds! - floor).toFixed(2)} s; bound 3 × 10 s + 30 s = 60 s; ${wall.toFixed(0)} ms wall`);
        await world.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
    console.log(`rehearsal RTO overhead over the theoretical floor: mean ${(overheads.reduce((a, b) => a + b, 0) / overheads.length).toFixed(2)} s, max ${Math.max(...overheads).toFixed(2)} s (probe interval 1 s)`);
}

main().catch((e: unknown) => {
    console.error(`bench: ${(e as Error).message}`);
    process.exitCode = 1;
});
