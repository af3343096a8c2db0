import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    ConcurrentUpdateError,
    EngineEvent,
    LocalProgramArgs,
    LocalWorkspace,
    LocalWorkspaceOptions,
    Stack,
    StackNotFoundError,
} from "@pulumi/pulumi/automation";
import { driftFromEvent } from "./engine-drift";
import { childSignal } from "./interrupt";
import { isProductionStack, policyPackConfig } from "./policy-config";
import { DriftFinding, Operation, OperationCancelledError, OperationOptions, OperationResult, StackBusyError, StackDriver, StackMissingError } from "./port";
import { withConfig, withStackFile } from "./stack-file-config";
import { stackBaseName } from "./stack-name";
import { PulumiReadiness, passphraseFor } from "./pulumi-readiness";

export { driftFromEvent } from "./engine-drift";
export { stackBaseName } from "./stack-name";

/** How the driver gets a Stack from the Automation API; tests hand in a fake to see the arguments. */
export type StackFactory = (args: LocalProgramArgs, options: LocalWorkspaceOptions, mode: "select" | "createOrSelect") => Promise<Stack>;

const automationApi: StackFactory = (args, options, mode) => (mode === "select" ? LocalWorkspace.selectStack(args, options) : LocalWorkspace.createOrSelectStack(args, options));

export interface PulumiDriverOptions {
    /** The Pulumi project (the folder holding Pulumi.yaml and the stack files). */
    readonly projectDir: string;
    /** The process environment the backend and passphrase come from. */
    readonly env: Readonly<Record<string, string | undefined>>;
    /**
     * The policy pack run with every up and preview; false for none (only for tests of the adapter).
     * @default `<projectDir>/policy`
     */
    readonly policyPack?: string | false;
    /** @default the Automation API's LocalWorkspace */
    readonly stacks?: StackFactory;
}

/** The embedded default backend: Pulumi's file backend in the repository's ignored `.pulumi/` folder. */
export function backendUrl(projectDir: string, env: Readonly<Record<string, string | undefined>>): string {
    // An unset GitHub `vars.` is "": that must not fall through to Pulumi Cloud (pkg/workspace/creds.go).
    return env.PULUMI_BACKEND_URL || `file://${path.join(projectDir, ".pulumi")}`;
}

/**
 * Creates the default backend's folder: Pulumi adds only `no_tmp_dir` to a file URL
 * (pkg/backend/diy/backend.go), and the file bucket refuses a folder that does not exist
 * (pulumi/pulumi#15841), which a fresh clone lacks (`.pulumi/` is git-ignored).
 */
export function ensureBackend(projectDir: string, env: Readonly<Record<string, string | undefined>>): string {
    const url = backendUrl(projectDir, env);
    if (!env.PULUMI_BACKEND_URL) fs.mkdirSync(path.join(projectDir, ".pulumi"), { recursive: true });
    return url;
}

/** The CLI the workflows install, pinned in one file (`.pulumi-version`, read by pulumi/actions' `pulumi-version-file`). */
export function pinnedPulumiCli(projectDir: string): string {
    return fs.readFileSync(path.join(projectDir, ".pulumi-version"), "utf8").trim();
}

/**
 * The real adapter on Pulumi's Automation API: one LocalWorkspace per stack (parallel
 * createOrSelectStack on one workspace races on workspace.json, pulumi/pulumi#8186), the file
 * backend in `.pulumi/` unless PULUMI_BACKEND_URL says otherwise, the policy pack on every up and
 * preview with its per-stack config, and the SDK's errors mapped to the port's types. Operations
 * read the stack's config from a scratch copy, so no tracked file is ever rewritten.
 */
export class PulumiDriver implements StackDriver {
    private readonly stacks: StackFactory;

    private readonly readiness: PulumiReadiness;

    constructor(private readonly options: PulumiDriverOptions) {
        this.stacks = options.stacks ?? automationApi;
        this.readiness = new PulumiReadiness(options.env);
    }

    private workspaceOptions(stack: string): LocalWorkspaceOptions {
        return {
            workDir: this.options.projectDir,
            envVars: {
                PULUMI_BACKEND_URL: ensureBackend(this.options.projectDir, this.options.env),
                PULUMI_CONFIG_PASSPHRASE: passphraseFor(stack, this.options.env),
                // The salt lives in the stack's state, not in the committed stack file (pkg/cmd/pulumi/stack/secrets.go).
                PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
            },
        };
    }

    private stackFile(stack: string): string {
        return path.join(this.options.projectDir, `Pulumi.${stack}.yaml`);
    }

    private async stack(name: string, mode: "select" | "createOrSelect" = "select"): Promise<Stack> {
        try {
            // `stack init` writes a fresh encryptionsalt into the stack file: the committed one is kept as it is.
            return await withStackFile(this.stackFile(name), () => this.stacks({ stackName: name, workDir: this.options.projectDir }, this.workspaceOptions(name), mode));
        } catch (e) {
            throw this.mapped(name, e);
        }
    }

    private mapped(stack: string, e: unknown, signal?: AbortSignal): Error {
        if (e instanceof ConcurrentUpdateError) return new StackBusyError(stack);
        if (e instanceof StackNotFoundError) return new StackMissingError(stack);
        // The SDK reports a cancelled command as a CommandError (sdk/nodejs/automation/cmd.ts), never an AbortError.
        if (signal?.aborted) return new OperationCancelledError(stack);
        return e instanceof Error ? e : new Error(String(e));
    }

    /** The passphrase of every stack, then the CLI and its version: all before any stack is touched. */
    assertReady(stacks: readonly string[]): void {
        this.readiness.assertReady(stacks);
    }

    async listStacks(): Promise<string[]> {
        const ws = await LocalWorkspace.create(this.workspaceOptions("local"));
        return (await ws.listStacks()).map((s) => stackBaseName(s.name)).sort();
    }

    /**
     * Runs one operation with the stack's config read from a scratch copy outside the checkout (the
     * CLI's `--config-file`), plus the operation's temporary config, and the policy pack config for
     * the stack's level. Nothing starts when the signal is already aborted.
     */
    private async operate<T>(stack: string, options: OperationOptions, mode: "select" | "createOrSelect", work: (s: Stack, scratch: Scratch) => Promise<T>): Promise<T> {
        if (options.signal?.aborted) throw new OperationCancelledError(stack);
        const s = await this.stack(stack, mode);
        const scratch = new Scratch(this.stackFile(stack), options.config ?? {});
        try {
            return await work(s, scratch);
        } catch (e) {
            throw this.mapped(stack, e, options.signal);
        } finally {
            scratch.remove();
        }
    }

    async run(stack: string, operation: Operation, options: OperationOptions = {}): Promise<OperationResult> {
        const onEvent = (e: EngineEvent) => {
            const m = e.resourcePreEvent?.metadata;
            if (m && m.op !== "same") options.onEvent?.(`${stack}: ${m.op} ${m.type} ${m.urn.split("::").pop() ?? ""}`);
        };
        // A committed stack that the backend does not know yet (a fresh clone, a new backend) is created by up/preview.
        const mode = (operation === "up" || operation === "preview") && fs.existsSync(this.stackFile(stack)) ? "createOrSelect" : "select";
        return this.operate(stack, options, mode, async (s, scratch) => {
            const common = { onEvent, signal: childSignal(options.signal), configFile: scratch.configFile };
            const policies = () => this.policyOptions(stack, scratch);
            switch (operation) {
                case "up": {
                    const r = await s.up({ ...common, ...policies() });
                    return { stack, operation, changes: { ...r.summary.resourceChanges } };
                }
                case "preview": {
                    const r = await s.preview({ ...common, ...policies() });
                    return { stack, operation, changes: { ...r.changeSummary } };
                }
                case "refresh": {
                    const r = await s.refresh(common);
                    return { stack, operation, changes: { ...r.summary.resourceChanges } };
                }
                case "destroy": {
                    const r = await s.destroy(common);
                    return { stack, operation, changes: { ...r.summary.resourceChanges } };
                }
            }
        });
    }

    /** The pack and its config: every policy advisory outside production; a stack without a file counts as production. */
    private policyOptions(stack: string, scratch: Scratch): { policyPacks: string[]; policyPackConfigs: string[] } {
        const pack = this.options.policyPack ?? path.join(this.options.projectDir, "policy");
        if (pack === false) return { policyPacks: [], policyPackConfigs: [] };
        const production = !fs.existsSync(this.stackFile(stack)) || isProductionStack(this.options.projectDir, stack);
        return { policyPacks: [pack], policyPackConfigs: [scratch.write("policy-config.json", JSON.stringify(policyPackConfig(production), undefined, 2))] };
    }

    async previewRefresh(stack: string, options: OperationOptions = {}): Promise<DriftFinding[]> {
        const findings: DriftFinding[] = [];
        await this.operate(stack, options, "select", (s, scratch) =>
            s.previewRefresh({ signal: childSignal(options.signal), configFile: scratch.configFile, onEvent: (e) => findings.push(...driftFromEvent(e)) }),
        );
        return findings;
    }

    /**
     * Pulumi reads a stack's config from `Pulumi.<stack>.yaml`, so the copy is that file (ignored by
     * Git: PR stacks are not committed); it is rewritten from the template only when missing, so a
     * sweep on a fresh checkout can still destroy the stack.
     */
    async createStack(stack: string, template: string): Promise<void> {
        const file = this.stackFile(stack);
        if (!fs.existsSync(file)) {
            const source = fs.readFileSync(this.stackFile(template), "utf8");
            fs.writeFileSync(file, `# Created by paved from Pulumi.${template}.yaml; not committed.\n${source}`);
        }
        await this.stack(stack, "createOrSelect");
    }

    async getConfig(stack: string, key: string): Promise<string | undefined> {
        const s = await this.stack(stack);
        // The CLI fails for a missing key; for the runner that is "unset".
        return s.getConfig(key, true).then((c) => c.value, () => undefined);
    }

    async outputs(stack: string): Promise<Record<string, unknown>> {
        const s = await this.stack(stack);
        const outputs = await s.outputs();
        return Object.fromEntries(Object.entries(outputs).map(([key, o]) => [key, o.secret ? "[secret]" : o.value]));
    }

    async removeStack(stack: string): Promise<void> {
        const s = await this.stack(stack);
        await s.workspace.removeStack(stack);
    }

    /**
     * `pulumi cancel`: on the DIY backends it deletes the lock files and succeeds when there are none
     * (CancelCurrentUpdate, pkg/backend/diy/backend.go); Pulumi Cloud refuses when no update runs,
     * which is the same "nothing to clear".
     */
    async cancelStaleUpdate(stack: string): Promise<void> {
        const s = await this.stack(stack);
        try {
            await s.cancel();
        } catch (e) {
            if (!/no (active )?update|not (currently )?(running|in progress)|is not locked/i.test(String((e as Error).message))) throw this.mapped(stack, e);
        }
    }

    async getTags(stack: string): Promise<Record<string, string>> {
        const s = await this.stack(stack);
        return { ...(await s.workspace.listTags(stack)) };
    }

    async setTags(stack: string, tags: Record<string, string>): Promise<void> {
        const s = await this.stack(stack);
        for (const [key, value] of Object.entries(tags)) await s.workspace.setTag(stack, key, value);
    }
}

/** A scratch folder outside the checkout for one operation: the stack's config copy and the policy config. */
class Scratch {
    private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-run-"));
    readonly configFile: string;

    constructor(stackFile: string, config: Readonly<Record<string, string>>) {
        this.configFile = path.join(this.dir, path.basename(stackFile));
        fs.writeFileSync(this.configFile, withConfig(fs.existsSync(stackFile) ? fs.readFileSync(stackFile, "utf8") : "", config));
    }

    write(name: string, content: string): string {
        const file = path.join(this.dir, name);
        fs.writeFileSync(file, content);
        return file;
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
