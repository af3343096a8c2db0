import { RunnerUsageError } from "../runner/usage-error";

/** `--workers <n>`: a positive whole number, or one clear line (exit 2). */
export function workersOption(value: string): number {
    if (!/^[1-9]\d*$/.test(value)) throw new RunnerUsageError(`got --workers "${value}": a positive whole number, e.g. --workers 4 (1 plans the stacks one after another in this process)`);
    return Number(value);
}
