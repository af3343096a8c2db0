import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    ConcurrentUpdateError,
    EngineEvent,
    LocalWorkspace,
    LocalWorkspaceOptions,
    Stack,
    StackNotFoundError,
} from "@pulumi/pulumi/automation";
import { DriftFinding, Operation, OperationCancelledError, OperationOptions, OperationResult, StackBusyError, StackDriver, StackMissingError } from "./port";

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
}

/** The embedded default backend: Pulumi's file backend in the repository's ignored `.pulumi/` folder. */
export function backendUrl(projectDir: string, env: Readonly<Record<string, string | undefined>>): string {
    return env.PULUMI_BACKEND_URL ?? `file://${path.join(projectDir, ".pulumi")}`;
}

/** A missing secrets passphrase: never a default in code, except for the laptop's `local` stack. */
export class MissingPassphraseError extends Error {}

export function passphraseFor(stack: string, env: Readonly<Record<string, string | undefined>>): string {
    const passphrase = env.PULUMI_CONFIG_PASSPHRASE;
    if (passphrase !== undefined) return passphrase;
    if (stack === "local") return "local-only";
    throw new MissingPassphraseError(`PULUMI_CONFIG_PASSPHRASE is not set: export it for stack ${stack} (the runner has no default passphrase)`);
}

/** No `pulumi` on the PATH the driver runs with: the Automation API drives that CLI. */
export class MissingPulumiCliError extends Error {
    constructor() {
        super("the Pulumi CLI is not on PATH: the runner drives it through the Automation API; install it (https://www.pulumi.com/docs/iac/download-install/) and run again");
    }
}

/** The drifted properties of one engine event of a refresh preview, property by property. */
export function driftFromEvent(event: EngineEvent): DriftFinding[] {
    const meta = event.resourcePreEvent?.metadata;
    if (!meta || meta.op === "same" || !meta.diffs?.length) return [];
    const deployed = (meta.old?.outputs ?? {}) as Record<string, unknown>;
    const live = (meta.new?.outputs ?? {}) as Record<string, unknown>;
    return meta.diffs.map((property) => ({ urn: meta.urn, type: meta.type, property, deployed: deployed[property], live: live[property] }));
}

/**
 * The real adapter on Pulumi's Automation API: one LocalWorkspace per stack (parallel
 * createOrSelectStack on one workspace races on workspace.json, pulumi/pulumi#8186), the file
 * backend in `.pulumi/` unless PULUMI_BACKEND_URL says otherwise, the policy pack on every up and
 * preview, and the SDK's errors mapped to the port's types.
 */
export class PulumiDriver implements StackDriver {
    constructor(private readonly options: PulumiDriverOptions) {}

    private workspaceOptions(stack: string): LocalWorkspaceOptions {
        return {
            workDir: this.options.projectDir,
            envVars: {
                PULUMI_BACKEND_URL: backendUrl(this.options.projectDir, this.options.env),
                PULUMI_CONFIG_PASSPHRASE: passphraseFor(stack, this.options.env),
            },
        };
    }

    private async stack(name: string): Promise<Stack> {
        try {
            return await LocalWorkspace.selectStack({ stackName: name, workDir: this.options.projectDir }, this.workspaceOptions(name));
        } catch (e) {
            throw this.mapped(name, e);
        }
    }

    private mapped(stack: string, e: unknown): Error {
        if (e instanceof ConcurrentUpdateError) return new StackBusyError(stack);
        if (e instanceof StackNotFoundError) return new StackMissingError(stack);
        if (e instanceof Error && e.name === "AbortError") return new OperationCancelledError(stack);
        return e instanceof Error ? e : new Error(String(e));
    }

    private cliFound?: boolean;

    /** The passphrase of every stack, then the CLI: both before any stack is touched. */
    assertReady(stacks: readonly string[]): void {
        for (const stack of stacks) passphraseFor(stack, this.options.env);
        this.cliFound ??= spawnSync("pulumi", ["version"], { env: { ...this.options.env }, stdio: "ignore" }).status === 0;
        if (!this.cliFound) throw new MissingPulumiCliError();
    }

    async listStacks(): Promise<string[]> {
        const ws = await LocalWorkspace.create(this.workspaceOptions("local"));
        return (await ws.listStacks()).map((s) => s.name).sort();
    }

    async run(stack: string, operation: Operation, options: OperationOptions = {}): Promise<OperationResult> {
        const s = await this.stack(stack);
        const onEvent = (e: EngineEvent) => {
            const m = e.resourcePreEvent?.metadata;
            if (m && m.op !== "same") options.onEvent?.(`${stack}: ${m.op} ${m.type} ${m.urn.split("::").pop() ?? ""}`);
        };
        const common = { onEvent, signal: options.signal };
        const pack = this.options.policyPack ?? path.join(this.options.projectDir, "policy");
        const policyPacks = pack === false ? [] : [pack];
        try {
            switch (operation) {
                case "up": {
                    const r = await s.up({ ...common, policyPacks });
                    return { stack, operation, changes: { ...r.summary.resourceChanges } };
                }
                case "preview": {
                    const r = await s.preview({ ...common, policyPacks });
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
        } catch (e) {
            throw this.mapped(stack, e);
        }
    }

    async previewRefresh(stack: string, options: OperationOptions = {}): Promise<DriftFinding[]> {
        const s = await this.stack(stack);
        const findings: DriftFinding[] = [];
        try {
            await s.previewRefresh({ signal: options.signal, onEvent: (e) => findings.push(...driftFromEvent(e)) });
        } catch (e) {
            throw this.mapped(stack, e);
        }
        return findings;
    }

    /**
     * Pulumi reads a stack's config from `Pulumi.<stack>.yaml`, so the copy is that file (ignored by
     * Git: PR stacks are not committed); it is rewritten from the template only when missing, so a
     * sweep on a fresh checkout can still destroy the stack.
     */
    async createStack(stack: string, template: string): Promise<void> {
        const file = path.join(this.options.projectDir, `Pulumi.${stack}.yaml`);
        if (!fs.existsSync(file)) {
            const source = fs.readFileSync(path.join(this.options.projectDir, `Pulumi.${template}.yaml`), "utf8");
            fs.writeFileSync(file, `# Created by paved from Pulumi.${template}.yaml; not committed.\n${source}`);
        }
        try {
            await LocalWorkspace.createOrSelectStack({ stackName: stack, workDir: this.options.projectDir }, this.workspaceOptions(stack));
        } catch (e) {
            throw this.mapped(stack, e);
        }
    }

    async getConfig(stack: string, key: string): Promise<string | undefined> {
        const s = await this.stack(stack);
        // The CLI fails for a missing key; for the runner that is "unset".
        return s.getConfig(key, true).then((c) => c.value, () => undefined);
    }

    /** Writes the stack's `Pulumi.<stack>.yaml`, as `pulumi config set --path` does. */
    async setConfig(stack: string, key: string, value: string): Promise<void> {
        const s = await this.stack(stack);
        await s.setConfig(key, { value, secret: false }, true);
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

    async getTags(stack: string): Promise<Record<string, string>> {
        const s = await this.stack(stack);
        return { ...(await s.workspace.listTags(stack)) };
    }

    async setTags(stack: string, tags: Record<string, string>): Promise<void> {
        const s = await this.stack(stack);
        for (const [key, value] of Object.entries(tags)) await s.workspace.setTag(stack, key, value);
    }
}
