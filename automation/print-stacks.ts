/**
 * `npm start` until `paved plan` exists: evaluates every `Pulumi.<stack>.yaml` in-process under
 * Pulumi's mock runtime and prints what each stack declares. No CLI, no credentials, no network.
 */
import * as path from "node:path";
import { StackEvaluationError, evaluateStack } from "./offline/evaluate";
import { StackFileError, listStacks } from "./offline/stack-file";
import { formatEvaluation } from "./offline/summary";
import { program } from "../stacks/program";
import { StackConfigError } from "../stacks/config";

async function main(): Promise<number> {
    const projectDir = path.resolve(__dirname, "..");
    const stacks = listStacks(projectDir);
    console.log(`Offline evaluation of ${stacks.length} stacks: credential-free, under Pulumi's mock runtime — not a cloud preview.\n`);
    let exitCode = 0;
    for (const stack of stacks) {
        try {
            console.log(formatEvaluation(await evaluateStack(projectDir, stack, program)), "\n");
        } catch (e) {
            const cause = e instanceof StackEvaluationError ? e.cause : e;
            const usage = cause instanceof StackConfigError || cause instanceof StackFileError;
            console.error(`${stack}: FAILED — ${(cause as Error).message}\n`);
            exitCode = Math.max(exitCode, usage ? 2 : 1);
        }
    }
    return exitCode;
}

main().then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
        console.error(`paved: ${(e as Error).message}`);
        process.exitCode = 1;
    },
);
