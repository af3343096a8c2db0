import * as os from "node:os";
import { RunnerUsageError } from "../runner/usage-error";

/** `--workers <n>`: a positive whole number, or one clear line (exit 2). */
export function workersOption(value: string): number {
    if (!/^[1-9]\d*$/.test(value)) throw new RunnerUsageError(`got --workers "${value}": a positive whole number, e.g. --workers 4 (1 plans the stacks one after another in this process)`);
    return Number(value);
}

/**
 * Stacks per plan worker when --workers is not given. A worker costs 2.4-2.9 CPU-s before its first
 * result (Pulumi's SDK loaded again, ajv compiling the Argo Rollouts and Gateway API schemas), while a
 * stack costs 13 ms (a PR stack) to 250 ms (a shipped one) once warm. Measured on the 2-core box, whole
 * process CPU-s (/usr/bin/time; wall was noise, load 13), 1 vs 2 workers, and the wall two idle cores
 * would give (the ~0.7 CPU-s the main thread spends first, then half the rest each): 8 shipped stacks
 * 5.1 vs 9.2 CPU-s (5.1 vs 5.0 s: no gain); 33 stacks (dev and PR copies) 3.9 vs 6.2 (3.9 vs 3.4 s); 65: 4.3 vs 6.7
 * (4.3 vs 3.7 s); 201: 5.9 vs 8.6 (5.9 vs 4.7 s). So below about 64 stacks a worker buys at most 15%
 * of the wall on idle cores for 1.6-1.8× the CPU (and loses on a busy machine); a worker per 32 stacks.
 */
export const STACKS_PER_WORKER = 32;

/** Workers for `stacks` stacks when --workers is not given: one per STACKS_PER_WORKER, at most the cores; 1 plans in this process. */
export function defaultWorkers(stacks: number, cores = os.availableParallelism()): number {
    return Math.max(1, Math.min(cores, Math.floor(stacks / STACKS_PER_WORKER)));
}
