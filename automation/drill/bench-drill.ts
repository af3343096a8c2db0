import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { scaledClock } from "./clock";
import { DEFAULT_DRILL_SETTINGS, runDrill } from "./drill";
import { HARDER_WORLD, startRehearsal } from "./rehearsal";

/**
 * `npm run bench`'s drill figures: five rehearsal drills in the harder world (warm standby of
 * limited capacity, four jittered resolvers, one holding answers for 2 × TTL, lognormal update
 * times), each RTO against that run's theoretical floor (the router's detection, then the first
 * resolver's cached answer running out), as mean and max, next to the static bound.
 */
export async function benchDrill(log: (line: string) => void = console.log): Promise<void> {
    const targets = { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" };
    const router = { intervalSeconds: 10, failureThreshold: 3, ttlSeconds: 30 };
    const rtos: number[] = [];
    const floors: number[] = [];
    for (let run = 1; run <= 5; run++) {
        const clock = scaledClock(50);
        const world = await startRehearsal(targets, { primary: "us-east-1", standby: "us-west-2" }, router, clock, HARDER_WORLD);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-bench-drill-"));
        const t = performance.now();
        try {
            const result = await runDrill(targets, DEFAULT_DRILL_SETTINGS, { driver: world.driver, clock, log: () => undefined, drillsDir: dir, projectDir: dir, rehearsal: true });
            if (result.rtoSeconds === undefined) throw new Error(`rehearsal drill ${run} measured no RTO: ${result.outcome}${result.reason ? ` (${result.reason})` : ""}`);
            const injected = result.marks.find((m) => m.name === "injected")!.t;
            const floor = world.router.standbyReachableAfter(injected)! - injected;
            rtos.push(result.rtoSeconds);
            floors.push(floor);
            log(`rehearsal drill ${run} (harder world, ×50): RTO ${result.rtoSeconds.toFixed(2)} s, floor (detection, then the first resolver's TTL) ${floor.toFixed(2)} s, overhead ${(result.rtoSeconds - floor).toFixed(2)} s; fail-back ${result.failbackSeconds?.toFixed(2) ?? "not measured"} s; ${(performance.now() - t).toFixed(0)} ms wall`);
        } finally {
            await world.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    log(`rehearsal RTO over 5 runs (harder world): mean ${mean(rtos).toFixed(2)} s, max ${Math.max(...rtos).toFixed(2)} s; floor mean ${mean(floors).toFixed(2)} s, max ${Math.max(...floors).toFixed(2)} s; bound ${router.failureThreshold} × ${router.intervalSeconds} s + ${router.ttlSeconds} s = ${router.failureThreshold * router.intervalSeconds + router.ttlSeconds} s (probe interval 1 s)`);
}
