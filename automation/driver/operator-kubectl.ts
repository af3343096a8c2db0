import { execFile } from "node:child_process";
import { OperatorCondition, OperatorPause, OperatorPausedError, OperatorPort, OperatorStackMissingError, OperatorStackStatus } from "./operator-port";

/**
 * The real operator adapter: the Stack objects (pulumi.com/v1, PKO v2.9.0) through `kubectl`, which
 * brings the cluster's own authentication (EKS and GKE exec plugins, the kubeconfig's context).
 *
 * Pausing. PKO v2.9.0 has no pause or suspend of a Stack (no such spec field or annotation in
 * operator/api/pulumi/shared/stack_types.go; the only annotation it reads is
 * pulumi.com/reconciliation-request, which *requests* a run). What it has is `spec.preview`: "runs
 * only preview operations, never actual updates" (stack_controller.go: newUp with PreviewType). So a
 * pause turns `spec.preview` on and keeps what it was, with who paused and why, in the annotation
 * `paved.io/paused`; resume puts `spec.preview` back and removes the annotation. The spec change
 * moves the generation, so the operator runs one preview then (read-only); resume runs one
 * refresh-and-up from Git, which is what should happen after a paved write anyway. The pause is
 * confirmed only once no `up` of the operator's is running: an update already under way when the
 * patch lands runs for the old generation (status.currentUpdate.generation).
 *
 * Argo CD owns these objects: its Application must ignore /spec/preview and the annotation
 * (ignoreDifferences with RespectIgnoreDifferences=true), or self-heal would undo the pause.
 *
 * Not exercised against a live cluster here (none is reachable); tests drive real kubectl against a
 * loopback API server and check each request's shape.
 */
export const PAUSE_ANNOTATION = "paved.io/paused";
/** Where the operator's Stack objects live (the InfraGitOps component's stacks namespace). */
export const DEFAULT_STACKS_NAMESPACE = "pulumi-stacks";
const RESOURCE = "stacks.pulumi.com";

export interface KubectlSettings {
    readonly namespace: string;
    /** The kubeconfig context of the management cluster; default: the current one. */
    readonly context?: string;
    readonly env?: NodeJS.ProcessEnv;
    /** How long a pause may wait for the operator's running update to end. */
    readonly settleTimeoutMs?: number;
    readonly pollMs?: number;
}

/** Runs kubectl with these arguments (the verb first) and resolves with its stdout; rejects with its stderr's first line. */
export type Kubectl = (args: readonly string[]) => Promise<string>;

/** What paved keeps in its annotation while a stack is paused. */
interface PauseNote extends OperatorPause {
    /** `spec.preview` before the pause: absent or false means the operator applied the stack. */
    readonly previewBefore: boolean | null;
}

interface StackObject {
    metadata: { name: string; generation?: number; resourceVersion?: string; annotations?: Record<string, string> };
    spec?: { preview?: boolean; continueResyncOnCommitMatch?: boolean; resyncFrequencySeconds?: number };
    status?: {
        observedGeneration?: number;
        conditions?: { type: string; status: OperatorCondition["status"]; reason?: string; message?: string }[];
        lastUpdate?: { type?: string; state?: "succeeded" | "failed"; generation?: number; lastResyncTime?: string; lastSuccessfulCommit?: string; lastAttemptedCommit?: string; message?: string; failures?: number; permalink?: string };
        currentUpdate?: { name?: string; generation?: number };
    };
}

/** The Stack object as the port says it (field names: operator/api/pulumi/shared/stack_types.go, v1/stack_types.go). */
export function stackStatusOf(object: StackObject): OperatorStackStatus {
    const { metadata, spec = {}, status = {} } = object;
    const last = status.lastUpdate;
    const note = metadata.annotations?.[PAUSE_ANNOTATION];
    const conditions: Record<string, OperatorCondition> = {};
    for (const c of status.conditions ?? []) if (["Ready", "Reconciling", "Stalled"].includes(c.type)) conditions[c.type] = { status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
    return {
        stack: metadata.name,
        generation: metadata.generation ?? 0,
        ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
        ...(last?.state
            ? {
                  lastUpdate: {
                      type: last.type ?? "unknown",
                      state: last.state,
                      generation: last.generation ?? 0,
                      time: last.lastResyncTime ?? "unknown",
                      ...(last.state === "succeeded" ? (last.lastSuccessfulCommit ? { commit: last.lastSuccessfulCommit } : {}) : last.lastAttemptedCommit ? { commit: last.lastAttemptedCommit } : {}),
                      ...(last.message ? { message: last.message } : {}),
                      failures: last.failures ?? 0,
                      ...(last.permalink ? { permalink: last.permalink } : {}),
                  },
              }
            : {}),
        ...(status.currentUpdate?.name ? { currentUpdate: { name: status.currentUpdate.name, generation: status.currentUpdate.generation ?? 0 } } : {}),
        conditions,
        ...(spec.continueResyncOnCommitMatch ? { resyncSeconds: spec.resyncFrequencySeconds ?? 60 } : {}),
        previewOnly: spec.preview === true,
        ...(note ? { paused: pauseNoteOf(note) } : {}),
    };
}

function pauseNoteOf(text: string): PauseNote {
    try {
        const note = JSON.parse(text) as Partial<PauseNote>;
        return { reason: String(note.reason ?? "unknown"), since: String(note.since ?? "unknown"), previewBefore: note.previewBefore ?? null };
    } catch {
        return { reason: `unreadable note ${JSON.stringify(text.slice(0, 60))}`, since: "unknown", previewBefore: null };
    }
}

/**
 * The JSON merge patch that pauses: preview on, and the note. The resourceVersion makes it
 * conditional: if the object changed since it was read (someone else paused it), the server
 * answers Conflict and nothing is written.
 */
export function pausePatch(object: StackObject, reason: string, now: Date): Record<string, unknown> {
    const note: PauseNote = { reason, since: now.toISOString(), previewBefore: object.spec?.preview ?? null };
    return { metadata: { resourceVersion: object.metadata.resourceVersion, annotations: { [PAUSE_ANNOTATION]: JSON.stringify(note) } }, spec: { preview: true } };
}

/** The merge patch that resumes: `spec.preview` as it was before (null removes it) and the note removed. */
export function resumePatch(object: StackObject): Record<string, unknown> {
    const note = pauseNoteOf(object.metadata.annotations?.[PAUSE_ANNOTATION] ?? "{}");
    return { metadata: { annotations: { [PAUSE_ANNOTATION]: null } }, spec: { preview: note.previewBefore } };
}

/** Whether the paused generation is in force: observed, and no update for an older generation running. */
export const pauseSettled = (s: OperatorStackStatus, generation: number) => (s.observedGeneration ?? 0) >= generation && (!s.currentUpdate || s.currentUpdate.generation >= generation);

export function runKubectl(env: NodeJS.ProcessEnv = process.env): Kubectl {
    return (args) =>
        new Promise((resolve, reject) => {
            execFile("kubectl", [...args], { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
                if (!error) return resolve(stdout);
                const line = stderr.split("\n").find((l) => l.trim() !== "") ?? error.message;
                reject(new Error(`kubectl ${args[0]}: ${line.trim()}`));
            });
        });
}

export class KubectlOperator implements OperatorPort {
    private readonly kubectl: Kubectl;

    constructor(private readonly settings: KubectlSettings, kubectl?: Kubectl, private readonly now = () => new Date()) {
        this.kubectl = kubectl ?? runKubectl(settings.env);
    }

    async stackStatus(stack: string): Promise<OperatorStackStatus> {
        return stackStatusOf(await this.get(stack));
    }

    async pauseReconciliation(stack: string, reason: string): Promise<void> {
        const object = await this.get(stack);
        const before = stackStatusOf(object);
        if (before.paused) throw new OperatorPausedError(stack, before.paused);
        const patched = JSON.parse(await this.kubectl(["patch", RESOURCE, stack, ...this.scope(), "--type=merge", "-p", JSON.stringify(pausePatch(object, reason, this.now())), "-o", "json"])) as StackObject;
        const generation = patched.metadata.generation ?? 0;
        // An up of the operator's already running ends on its own; the pause holds only after it.
        const deadline = Date.now() + (this.settings.settleTimeoutMs ?? 600_000);
        for (;;) {
            const status = await this.stackStatus(stack);
            if (pauseSettled(status, generation)) return;
            if (Date.now() > deadline) throw new Error(`paused ${stack}, but the operator's update ${status.currentUpdate?.name ?? "(unknown)"} still runs for generation ${status.currentUpdate?.generation ?? "?"} after ${Math.round((this.settings.settleTimeoutMs ?? 600_000) / 1000)} s`);
            await new Promise((r) => setTimeout(r, this.settings.pollMs ?? 2000));
        }
    }

    async resumeReconciliation(stack: string): Promise<void> {
        const object = await this.get(stack);
        if (object.metadata.annotations?.[PAUSE_ANNOTATION] === undefined) return;
        await this.kubectl(["patch", RESOURCE, stack, ...this.scope(), "--type=merge", "-p", JSON.stringify(resumePatch(object)), "-o", "json"]);
    }

    private scope(): string[] {
        return [...(this.settings.context ? ["--context", this.settings.context] : []), "--namespace", this.settings.namespace];
    }

    private async get(stack: string): Promise<StackObject> {
        try {
            return JSON.parse(await this.kubectl(["get", RESOURCE, stack, ...this.scope(), "-o", "json"])) as StackObject;
        } catch (e) {
            if (/NotFound|not found/.test((e as Error).message)) throw new OperatorStackMissingError(stack);
            throw e;
        }
    }
}
