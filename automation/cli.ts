#!/usr/bin/env node
/**
 * `paved`: the platform's runner. `paved plan` is the credential-free main job: it evaluates every
 * `Pulumi.<stack>.yaml` in-process under Pulumi's mock runtime, checks the platform policies, and
 * prints what each stack would build, what it costs and its critical path. Exit codes: 0 ok,
 * 1 failure, 2 usage or config error, 3 mandatory policy violations.
 */
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { StackConfigError } from "../stacks/config";
import { StackDriver } from "./driver/port";
import { MissingPassphraseError, PulumiDriver } from "./driver/pulumi-driver";
import { StackEvaluationError } from "./offline/evaluate";
import { StackFileError, listStacks } from "./offline/stack-file";
import { diffStacks } from "./plan/diff";
import { StackPlan, formatPlan, planJson, planStack } from "./plan/plan";
import { RunnerUsageError } from "./runner/pr-stacks";
import { RunnerContext, runOperation } from "./runner/stack-commands";

const EXIT = { ok: 0, failure: 1, usage: 2, policy: 3 } as const;
const NOTICE = "Credential-free evaluation under Pulumi's mock runtime: no cloud was asked; this is not a cloud preview.";

/** A problem with what the user asked for: one line, exit 2. */
class UsageError extends Error {}

function projectDir(): string {
    return process.env.PAVED_PROJECT_DIR ?? path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
}

function isUsageError(e: unknown): boolean {
    const cause = e instanceof StackEvaluationError ? e.cause : e;
    return cause instanceof StackConfigError || cause instanceof StackFileError || cause instanceof UsageError || cause instanceof RunnerUsageError || cause instanceof MissingPassphraseError;
}

function knownStack(stack: string, stacks: readonly string[]): string {
    if (!stacks.includes(stack)) throw new UsageError(`unknown stack "${stack}": there is no Pulumi.${stack}.yaml; stacks here: ${stacks.join(", ")}`);
    return stack;
}

async function plan(names: string[], options: { json?: boolean; diff?: string[] }): Promise<number> {
    const dir = projectDir();
    const stacks = listStacks(dir);
    if (options.diff) {
        if (options.diff.length !== 2) throw new UsageError(`--diff takes two stacks, got ${options.diff.length}; e.g. paved plan --diff prod-us-east-1 prod-us-west-2`);
        const [a, b] = options.diff.map((s) => knownStack(s, stacks));
        const pa = await planStack(dir, a);
        const pb = await planStack(dir, b);
        const diffs = diffStacks(pa.evaluation, pb.evaluation);
        if (options.json) {
            console.log(JSON.stringify({ a, b, diffs }, undefined, 2));
        } else {
            console.log(`${NOTICE}\n\n${a} → ${b}: ${diffs.length} resource(s) differ (names derived from the stack name are matched as {stack})`);
            for (const d of diffs) {
                console.log(`  ${d.change === "changed" ? "~" : d.change === "only-in-a" ? `- only in ${a}:` : `+ only in ${b}:`} ${d.key}`);
                for (const c of d.inputs) console.log(`      ${c.path}: ${JSON.stringify(c.a)} → ${JSON.stringify(c.b)}`);
            }
        }
        return EXIT.ok;
    }
    const selected = names.length > 0 ? names.map((s) => knownStack(s, stacks)) : stacks;
    if (!options.json) console.log(`${NOTICE}\n`);
    const plans: StackPlan[] = [];
    let code: number = EXIT.ok;
    for (const stack of selected) {
        try {
            const p = await planStack(dir, stack);
            plans.push(p);
            if (!options.json) console.log(`${formatPlan(p)}\n`);
            if (p.violations.some((v) => v.level === "mandatory")) code = Math.max(code, EXIT.policy);
        } catch (e) {
            if (!isUsageError(e)) throw e;
            console.error(`${stack}: ${(e as Error).message}`);
            code = Math.max(code, EXIT.usage);
        }
    }
    if (options.json) console.log(JSON.stringify({ notice: NOTICE, stacks: plans.map(planJson) }, undefined, 2));
    return code;
}

/** What the commands that change stacks need; tests hand in the in-memory driver. */
export interface MainDeps {
    readonly driver?: StackDriver;
    readonly signal?: AbortSignal;
}

export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
    const cli = new Command("paved").description("The paved road's runner.").exitOverride();
    let result: number = EXIT.ok;
    const context = (): RunnerContext => ({
        driver: deps.driver ?? new PulumiDriver({ projectDir: projectDir(), env: process.env }),
        knownStacks: listStacks(projectDir()),
        log: (line) => console.log(line),
        signal: deps.signal,
    });
    for (const operation of ["up", "preview", "refresh", "destroy"] as const) {
        cli.command(operation)
            .description(operation === "destroy" ? "Destroy one stack (a non-PR stack needs --yes-destroy-<stack>)" : `${operation} one stack or all of them, with the platform policy pack`)
            .option("--stack <name>", "the stack")
            .option("--all", "every stack of this repository", false)
            .option("--concurrency <n>", "stacks at once", (v) => Number(v), 4)
            .option("--json", "machine-readable output")
            .allowUnknownOption(operation === "destroy")
            .allowExcessArguments(operation === "destroy")
            .action(async (options: { stack?: string; all?: boolean; concurrency: number; json?: boolean }) => {
                result = await runOperation(operation, { ...options, confirmations: argv }, context());
            });
    }
    cli.command("plan")
        .description("Evaluate stacks offline (no cloud, no credentials): resources, policy violations, cost and critical path")
        .argument("[stacks...]", "stacks to plan (default: every Pulumi.<stack>.yaml)")
        .option("--json", "machine-readable output")
        .option("--diff <stacks...>", "show which resources and inputs differ between two stacks")
        .action(async (names: string[], options: { json?: boolean; diff?: string[] }) => {
            result = await plan(names, options);
        });
    try {
        await cli.parseAsync(argv, { from: "user" });
        return result;
    } catch (e) {
        if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
        if (isUsageError(e)) {
            console.error(`paved: ${(e as Error).message}`);
            return EXIT.usage;
        }
        console.error(`paved: ${(e as Error).message}`);
        return EXIT.failure;
    }
}

if (require.main === module) {
    // Ctrl-C cancels running operations cleanly (the driver stops them) instead of killing the process mid-update.
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort());
    process.once("SIGTERM", () => controller.abort());
    main(process.argv.slice(2), { signal: controller.signal }).then((code) => (process.exitCode = code), () => (process.exitCode = EXIT.failure));
}
