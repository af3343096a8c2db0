#!/usr/bin/env node
/**
 * `paved`: the platform's runner. `paved plan` is the credential-free main job: it evaluates every
 * `Pulumi.<stack>.yaml` in-process under Pulumi's mock runtime, checks the platform policies, and
 * prints what each stack would build, what it costs and its critical path. The other commands drive
 * real stacks through the driver port: up/preview/refresh/destroy, drift, pr up/destroy/sweep and
 * deploy --ring. Exit codes (exit-codes.ts): 0 ok, 1 failure, 2 usage or config error (nothing
 * touched), 3 findings (mandatory policy violations, drift left unfixed).
 */
// First: any later load of Pulumi's SDK leaves the TypeScript compiler and npm's arborist until something needs them.
import "./defer-sdk-modules";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
// Only what parsing needs is imported here; each command's modules load when it runs (cli-modules.ts),
// so --version, --help and usage errors start without Pulumi's SDK, the Automation API or the clouds' SDKs.
import type { StackDriver } from "./driver/port";
import { Interrupt } from "./driver/interrupt";
import { LazyDriver } from "./driver/lazy-driver";
import { MissingPassphraseError, MissingPulumiCliError, OldPulumiCliError, PulumiReadiness } from "./driver/pulumi-readiness";
import { StackFileError, listStacks, readStackConfig } from "./offline/stack-file";
import type { PlanOptions } from "./plan/plan-command";
import { STACKS_PER_WORKER, workersOption } from "./plan/workers-option";
import { EXIT } from "./exit-codes";
import { pavedVersion } from "./version";
import type { TraceRequest } from "./trace/trace-command";
import { traceOptions } from "./trace/trace-options";
import type { DriftRequest } from "./runner/drift-command";
import type { CloudRules } from "./driver/cloud-rules";
import { TEST_WORLD_ENV, openTestWorld } from "./driver/test-world";
import type { DrillRequest } from "./runner/drill-command";
import { RunnerUsageError } from "./runner/usage-error";
import { RINGS_FILE } from "./runner/rings-file";
import type { OperationRequest, RunnerContext } from "./runner/stack-commands";
import type { WakeRequest } from "./runner/wake";
import type { OperatorPort } from "./driver/operator-port";
import { MemoryOperator } from "./driver/operator-memory";
import { DEFAULT_STACKS_NAMESPACE, KubectlOperator } from "./driver/operator-kubectl";
import { OVERRIDE_OPERATOR } from "./runner/operator-ownership";
import { load } from "./cli-modules";

function projectDir(): string {
    return process.env.PAVED_PROJECT_DIR ?? path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
}

/** A `--project` folder: it must hold the project's Pulumi.yaml. */
function projectFolder(chosen: string): string {
    const dir = path.resolve(chosen);
    if (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) throw new RunnerUsageError(`got --project ${JSON.stringify(chosen)}: no Pulumi.yaml there; name the folder of the project, e.g. --project ./platform`);
    return dir;
}

/**
 * The real driver, once the environment it hands to Pulumi is checked (a bad backend URL is exit 2,
 * nothing touched); the Automation API loads only when a stack is really worked on.
 */
function realDriver(dir: string): StackDriver {
    load.runnerEnv().checkRunnerEnv(process.env);
    return new LazyDriver(() => new (load.pulumiDriver().PulumiDriver)({ projectDir: dir, env: process.env }), new PulumiReadiness(process.env));
}

/** The runner's own usage errors are told at once; the other kinds' modules load only to judge another error. */
function isUsageError(e: unknown): boolean {
    const light = (x: unknown) => x instanceof RunnerUsageError || x instanceof StackFileError || x instanceof MissingPassphraseError || x instanceof MissingPulumiCliError || x instanceof OldPulumiCliError;
    if (light(e)) return true;
    const { StackEvaluationError } = load.evaluate();
    const cause = e instanceof StackEvaluationError ? e.cause : e;
    return cause instanceof load.configProblems().StackConfigError || light(cause);
}

/** What the commands that change stacks need; tests hand in the in-memory driver, a project and a clock. */
export interface MainDeps {
    readonly driver?: StackDriver;
    readonly signal?: AbortSignal;
    readonly projectDir?: string;
    readonly now?: () => Date;
    readonly retry?: RunnerContext["retry"];
    /** Reads and removes firewall rules through the clouds' APIs (drift's unmanaged-rule check). */
    readonly cloudRules?: CloudRules;
    /** The Pulumi Kubernetes Operator's Stack objects (drift of its stacks, pausing it). */
    readonly operator?: OperatorPort;
}

/** In-process runs that hand in their own driver never reach a real cluster: they hand in an operator too. */
const noOperator = (): OperatorPort => {
    throw new Error("this run was given a stack driver but no operator (MainDeps.operator): an operator-owned stack needs one");
};

/** The real operator: kubectl on the management cluster (PAVED_OPERATOR_CONTEXT, PAVED_OPERATOR_NAMESPACE). */
const realOperator = (): OperatorPort => new KubectlOperator({ namespace: process.env.PAVED_OPERATOR_NAMESPACE || DEFAULT_STACKS_NAMESPACE, context: process.env.PAVED_OPERATOR_CONTEXT || undefined, env: process.env });

/** What `--all` means: every stack but the PR template, its copies and the laptop's `local` stack. */
function fleetOf(dir: string, stacks: readonly string[]): string[] {
    return stacks.filter((s) => !load.prStacks().isPrStack(s) && !["preview", "local"].includes(readStackConfig(dir, s).config["paved:role"]));
}

type Output = { json?: boolean };
const overrideOption = [OVERRIDE_OPERATOR, "apply a stack the Pulumi Kubernetes Operator owns from here, with its reconciliation paused meanwhile"] as const;
const stackOptions = (command: Command) =>
    command
        .option("--stack <name>", "the stack")
        .option("--all", "every environment stack of this repository (not PR or local stacks)", false)
        .option("--concurrency <n>", "stacks at once", (v) => {
            if (!/^[1-9]\d*$/.test(v)) throw new RunnerUsageError(`got --concurrency "${v}": a positive whole number, e.g. --concurrency 4`);
            return Number(v);
        }, 4)
        .option("--json", "machine-readable output");

export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
    const cli = new Command("paved")
        .description("The paved road's runner.")
        .version(pavedVersion(), "-V, --version", "print paved's version")
        .exitOverride()
        .configureOutput({ writeOut: (s) => console.log(s.trimEnd()), writeErr: (s) => console.error(s.trimEnd()) });
    let result: number = EXIT.ok;
    let dir = deps.projectDir ?? projectDir();
    cli.option("--project <dir>", "the project folder (Pulumi.yaml and the stack files): the platform's, or a team's own project, whose program plan runs; default: this checkout, or PAVED_PROJECT_DIR").hook("preAction", () => {
        const chosen = cli.opts<{ project?: string }>().project;
        if (chosen !== undefined) dir = projectFolder(chosen);
    });
    // TEST ONLY: a persisted in-memory world instead of Pulumi and the clouds (driver/test-world.ts).
    const testWorld = deps.driver ? undefined : openTestWorld(process.env[TEST_WORLD_ENV]);
    if (testWorld) console.log(`${TEST_WORLD_ENV} is set: in-memory world (test only), no stack or cloud is touched`);
    let operator: OperatorPort | undefined;
    const context = (): RunnerContext => {
        const knownStacks = listStacks(dir);
        const operatorOwned = load.reconciler().operatorOwnedStacks(dir);
        return {
            operatorOwned,
            operator: () => (operator ??= deps.operator ?? (testWorld ? new MemoryOperator(operatorOwned) : deps.driver ? noOperator() : realOperator())),
            driver: deps.driver ?? testWorld?.driver ?? realDriver(dir),
            knownStacks,
            fleet: fleetOf(dir, knownStacks),
            log: (line) => console.log(line),
            signal: deps.signal,
            now: deps.now,
            retry: deps.retry,
        };
    };
    for (const operation of ["up", "preview", "refresh", "destroy"] as const) {
        const command = cli.command(operation);
        // Only the writers that may take over from the operator: preview only reads; destroy of its stack is always refused.
        if (operation === "up" || operation === "refresh") command.option(...overrideOption);
        stackOptions(command)
            .description(operation === "destroy" ? "Destroy one stack (a non-PR stack needs --yes-destroy-<stack>)" : `${operation} one stack or all of them${operation === "refresh" ? "" : ", with the platform policy pack"}`)
            .allowUnknownOption(operation === "destroy")
            .allowExcessArguments(operation === "destroy")
            .action(async (options: OperationRequest) => {
                result = await load.stackCommands().runOperation(operation, { ...options, confirmations: argv }, context());
            });
    }
    stackOptions(cli.command("drift"))
        .description("Report what changed outside Git, per resource and property (controller-owned fields set aside); exit 3 on drift")
        .option("--fix", "re-apply Git's state where it drifted (refresh, then up) and remove firewall rules no stack declares")
        .option("--auto-fix", "fix only the environments drift.yaml opts in to auto-fix; report the others")
        .option("--dry-run", "with --fix or --auto-fix: say what would be re-applied or removed, change nothing")
        .action(async (options: DriftRequest) => {
            const { runDrift } = load.drift();
            const { autoFixStacks } = load.driftPolicy();
            const { sleepsAtNight } = load.wake();
            const ctx = context();
            const environmentOf = (stack: string) => readStackConfig(dir, stack).config["paved:environment"];
            result = await runDrift(options, ctx, {
                // The clouds' APIs for real runs; a test hands in its own (or the test world's), never the real one.
                cloudRules: deps.cloudRules ?? testWorld?.world.cloud ?? (deps.driver ? undefined : new (load.cloudRulesSdk().SdkCloudRules)()),
                autoFixStacks: options.autoFix ? autoFixStacks(dir, ctx.fleet, environmentOf) : undefined,
                sleepingStacks: ctx.knownStacks.filter((s) => sleepsAtNight(readStackConfig(dir, s).config)),
            });
            testWorld?.save();
        });
    const pr = cli.command("pr").description("Per-pull-request stacks pr-<n>, copies of the pr template");
    pr.command("up")
        .description("Create (or update) stack pr-<n> from the pr template and print its URL")
        .argument("<n>", "the pull request number")
        .option("--json", "machine-readable output")
        .action(async (n: string, options: Output) => {
            result = await load.prCommands().prUp(n, options, context());
        });
    pr.command("destroy")
        .description("Destroy stack pr-<n> and remove it")
        .argument("<n>", "the pull request number")
        .option("--json", "machine-readable output")
        .action(async (n: string, options: Output) => {
            result = await load.prCommands().prDestroy(n, options, context());
        });
    pr.command("sweep")
        .description("Destroy and remove PR stacks older than the TTL or whose PR is closed")
        .requiredOption("--ttl <duration>", "maximum age, e.g. 72h")
        .option("--open <numbers>", "the open PRs, comma-separated, e.g. 12,15: stacks of other PRs go")
        .option("--dry-run", "list what would be removed, remove nothing")
        .option("--json", "machine-readable output")
        .action(async (options: { ttl: string; open?: string; dryRun?: boolean; json?: boolean }) => {
            result = await load.prCommands().prSweep(options, context());
        });
    cli.command("deploy")
        .description(`Progressive rollout: up the ring's stacks in order (${RINGS_FILE}), a health gate after each; stop at the first failure`)
        .option("--ring [name]", "the ring to roll out", "default")
        .option(...overrideOption)
        .option("--json", "machine-readable output")
        .action(async (options: { ring: string | true; json?: boolean; overrideOperator?: boolean }) => {
            const ctx = context();
            result = await load.deployRing().deployRing(load.rings().loadRing(dir, options.ring === true ? "default" : options.ring, ctx.knownStacks), options, ctx);
        });
    cli.command("drill")
        .description("The region-failover drill: promote the standby, fail DNS over, measure RTO, fail back; restores on any failure or Ctrl-C")
        .option("--primary <stack>", "the primary regional stack (default: the global stack's)")
        .option("--standby <stack>", "the standby regional stack (default: the global stack's)")
        .option("--global <stack>", "the global stack whose failover records the drill turns (default: this repository's only one)")
        .option("--objective <duration>", "the RTO objective", "120s")
        .option("--consecutive <n>", "answers in a row from a region that make it serving", "3")
        .option("--probe-interval <duration>", "how often the global endpoint is probed", "1s")
        .option("--step-timeout <duration>", "the longest promotion, failover or failback may take before the drill restores", "10m")
        .option("--prometheus <url>", "the standby's Prometheus, for its error ratio during the failover")
        .option("--rpo-probe <url>", "a URL answering the standby's replication lag in seconds")
        .option("--rpo-objective <duration>", "the most replication lag acceptable at injection")
        .option("--failback-objective <duration>", "the longest the primary may take to serve again after failback (default: the objective)")
        .option("--stop-failed-share <share>", "stop condition: revert at once when this share of probes fails over the window (default 0.5)")
        .option("--stop-window <duration>", "stop condition: the window the share is measured over (default 30s)")
        .option("--resume", "restore a drill whose process died, from its journal, and report it")
        .option("--force-resume <holder>", "with --resume: restore although the drill lock's holder (owner@host:pid, as the refusal names it) may be alive")
        .option("--simulate", "a rehearsal: the same drill against loopback services and a failover router, no cloud")
        .option("--time-scale <n>", "how much faster a rehearsal runs than real time", "20")
        .option("--up-latency <spec>", "with --simulate: how long updates take, in seconds: 2, uniform:1:5 or lognormal:2:0.5 (default lognormal:2:0.5)")
        .option("--out <dir>", "where journals and reports go (default: drills/, rehearsals under drills/rehearsals/)")
        .option("--json", "machine-readable output")
        .action(async (options: DrillRequest) => {
            result = await load.drill().drillCommand(options, dir, context());
        });
    cli.command("wake")
        .description("Wake a sleeping non-production cluster now, system pool first, until --until or its next scheduled sleep")
        .option("--stack <name>", "the stack")
        .option("--until <HH:MM>", "when it sleeps again, in the schedule's time zone (default: the next scheduled sleep)")
        .action(async (options: WakeRequest) => {
            result = await load.wake().wakeCommand(options, dir, context());
        });
    const operatorCli = cli.command("operator").description("The Pulumi Kubernetes Operator's view of the stacks it owns (paved:reconciler: operator)");
    for (const action of ["status", "resume"] as const) {
        operatorCli.command(action)
            .description(action === "status" ? "Its last result for a stack: last update, conditions, whether paved paused it" : "Let the operator reconcile a stack again after a paved run could not (its last words say so)")
            .requiredOption("--stack <name>", "the stack")
            .action(async (options: { stack: string }) => {
                result = await load.operatorCommand().operatorCommand(action, options.stack, context());
            });
    }
    cli.command("plan")
        .description("Evaluate stacks offline (no cloud, no credentials): resources, policy violations, cost and critical path")
        .argument("[stacks...]", "stacks to plan (default: every Pulumi.<stack>.yaml)")
        .option("--json", "machine-readable output")
        .option("--diff <stacks...>", "show which resources and inputs differ between two stacks")
        .option("--workers <n>", `stacks evaluated at once, each in its own worker thread (default: one per ${STACKS_PER_WORKER} stacks, at most the machine's cores; 1: one after another in this process)`, workersOption)
        .action(async (names: string[], options: PlanOptions) => {
            result = await load.plan().planCommand(dir, names, options);
        });
    traceOptions(cli.command("trace")).action(async (service: string, options: TraceRequest) => {
        result = await load.trace().traceCommand(service, options, { projectDir: dir, driver: () => context().driver, log: (line) => console.log(line), now: deps.now });
    });
    try {
        await cli.parseAsync(argv, { from: "user" });
        return result;
    } catch (e) {
        if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
        console.error(`paved: ${(e as Error).message}`);
        return isUsageError(e) ? EXIT.usage : EXIT.failure;
    }
}

if (require.main === module) {
    // Ctrl-C reaches the terminal's whole foreground group: each running `pulumi` already has its SIGINT
    // and cancels gracefully; a second one from us would mean "terminate now" (pkg/backend/cancellation_scope.go)
    // and can orphan resources. So SIGINT only stops new operations. SIGTERM (CI cancelling a job signals
    // just this process) cancels the running ones, once: the SDK sends each child one SIGINT.
    const stop = new AbortController();
    const cancelRunning = new AbortController();
    // Both handlers stay installed: with none left, the SDK's child cleanup (execa, signal-exit) would
    // SIGTERM the children and kill this process on a repeated signal.
    process.on("SIGINT", () => stop.abort(new Interrupt(cancelRunning.signal)));
    process.on("SIGTERM", () => {
        cancelRunning.abort();
        stop.abort(new Interrupt(cancelRunning.signal));
    });
    main(process.argv.slice(2), { signal: stop.signal }).then((code) => (process.exitCode = code), () => (process.exitCode = EXIT.failure));
}
