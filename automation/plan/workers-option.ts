import * as os from "node:os";
import { RunnerUsageError } from "../runner/usage-error";

/** `--workers <n>`: a positive whole number, or one clear line (exit 2). */
export function workersOption(value: string): number {
    if (!/^[1-9]\d*$/.test(value)) throw new RunnerUsageError(`got --workers "${value}": a positive whole number, e.g. --workers 4 (1 plans the stacks one after another in this process)`);
    return Number(value);
}

/**
 * Stacks per plan worker when --workers is not given. A worker costs about 0.7 CPU-s before its first
 * result (Pulumi's SDK, the program and the clouds' SDKs loaded again; the main thread of a plan in
 * workers loads none of them), while a stack costs about 10 ms (a PR stack) to 150 ms (a shipped one)
 * once warm. Measured on the idle 2-core box (npm run bench, whole process, 1 vs 2 workers): 8 shipped
 * stacks 1.8-1.9 vs 2.1-2.3 s wall (2.4-2.5 vs 3.9-4.1 CPU-s); 200 PR stacks 2.2-2.4 vs 2.3-2.4 s
 * (2.9-3.1 vs 4.3-4.5 CPU-s). So a worker about breaks even at 200 PR stacks on two cores, and costs
 * CPU on a busy machine: a worker per 100 stacks.
 */
export const STACKS_PER_WORKER = 100;

/** Workers for `stacks` stacks when --workers is not given: one per STACKS_PER_WORKER, at most the cores; 1 plans in this process. */
export function defaultWorkers(stacks: number, cores = os.availableParallelism()): number {
    return Math.max(1, Math.min(cores, Math.floor(stacks / STACKS_PER_WORKER)));
}
