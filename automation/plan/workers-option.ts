import * as os from "node:os";
import { RunnerUsageError } from "../runner/usage-error";

/** `--workers <n>`: a positive whole number, or one clear line (exit 2). */
export function workersOption(value: string): number {
    if (!/^[1-9]\d*$/.test(value)) throw new RunnerUsageError(`got --workers "${value}": a positive whole number, e.g. --workers 4 (1 plans the stacks one after another in this process)`);
    return Number(value);
}

/**
 * Stacks per plan worker when --workers is not given. A worker costs about 1.3 CPU-s before its first
 * result (Pulumi's SDK, the program and the clouds' SDKs loaded again; the main thread of a plan in
 * workers loads none of them), while a stack costs about 10 ms (a PR stack) to 150 ms (a shipped one)
 * once warm. Measured on the idle 2-core box (/usr/bin/time, whole process, 1 vs 2 workers): 8 shipped
 * stacks 2.0-2.4 vs 2.4-2.6 s wall (2.7 vs 4.4 CPU-s); 65 stacks (dev and PR copies) 1.84 vs 1.95 s;
 * 201 stacks 2.8-3.0 vs 2.7-2.9 s (3.6 vs 4.7 CPU-s). So a worker breaks even at about 200 PR stacks on
 * two cores, and costs CPU on a busy machine: a worker per 100 stacks.
 */
export const STACKS_PER_WORKER = 100;

/** Workers for `stacks` stacks when --workers is not given: one per STACKS_PER_WORKER, at most the cores; 1 plans in this process. */
export function defaultWorkers(stacks: number, cores = os.availableParallelism()): number {
    return Math.max(1, Math.min(cores, Math.floor(stacks / STACKS_PER_WORKER)));
}
