import * as fs from "node:fs";
import * as path from "node:path";
import * as v8 from "node:v8";
import type { StackEvaluation } from "../automation/offline/evaluate";

/**
 * The folder, fresh for each `npm test`, where its mocha workers share the shipped stacks' evaluations
 * (scripts/test.mjs makes it and removes it). Unset when mocha runs by hand or under StrykerJS.
 */
export const SHARED_EVALUATIONS_ENV = "PAVED_TEST_EVALUATIONS";

/** How long a worker waits for another's evaluation before running the program itself. */
const WAIT_MS = 60_000;

/**
 * A shipped stack's evaluation, shared between processes: evaluation is deterministic, so the first
 * worker to need a stack runs its program and the others read the result (each worker used to run
 * every shipped stack itself, some 20 CPU-s of a run). A failed evaluation, or one holding anything
 * but plain data (which would not survive the copy as it is), is not shared: each process then
 * evaluates for itself and sees its own result.
 */
export async function sharedEvaluation(dir: string, stack: string, evaluate: () => Promise<StackEvaluation>): Promise<StackEvaluation> {
    const result = path.join(dir, `${stack}.v8`);
    const claim = path.join(dir, `${stack}.claim`);
    const unshared = path.join(dir, `${stack}.unshared`);
    const giveUp = Date.now() + WAIT_MS;
    for (;;) {
        if (fs.existsSync(result)) return v8.deserialize(fs.readFileSync(result)) as StackEvaluation;
        if (fs.existsSync(unshared) || Date.now() > giveUp) return evaluate();
        try {
            fs.writeFileSync(claim, String(process.pid), { flag: "wx" });
            break;
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
    let run: StackEvaluation;
    try {
        run = await evaluate();
    } catch (e) {
        fs.writeFileSync(unshared, "the evaluation failed");
        throw e;
    }
    const odd = notPlainData(run, "evaluation");
    if (odd) {
        fs.writeFileSync(unshared, `not plain data: ${odd}`);
        return run;
    }
    // Written whole, then renamed: a reader never sees half a file.
    fs.writeFileSync(`${result}.${process.pid}`, v8.serialize(run));
    fs.renameSync(`${result}.${process.pid}`, result);
    return run;
}

/** The path of the first value that is not a primitive, a plain object or an array; undefined if none. */
export function notPlainData(value: unknown, at: string): string | undefined {
    if (typeof value === "function" || typeof value === "symbol") return at;
    if (typeof value !== "object" || value === null) return undefined;
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) return at;
    for (const [key, member] of Object.entries(value)) {
        const odd = notPlainData(member, `${at}.${key}`);
        if (odd) return odd;
    }
    return undefined;
}
