import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { KubectlOperator, PAUSE_ANNOTATION, pausePatch, resumePatch, runKubectl, stackStatusOf } from "../../../automation/driver/operator-kubectl";
import { OperatorPausedError, OperatorStackMissingError } from "../../../automation/driver/operator-port";
import { strictOperatorCrd } from "../../components/gitops/fleet-fixture";

/**
 * The real operator adapter: real kubectl (the Debian package on PATH) against a loopback API
 * server that serves the Stack kind's discovery and one Stack object, applies JSON merge patches
 * as the API server does (RFC 7386, resourceVersion preconditions, the generation moving on spec
 * changes) and records every request. No cluster is reachable here: what this proves is the
 * requests kubectl sends and how the adapter reads the answers, not a live operator.
 */

/**
 * A Stack as PKO v2.9.0 leaves it after a successful update: the spec as the InfraGitOps component
 * writes it, the status as stack_controller.go's markStackSucceeded and markStackResult write it
 * (fields: operator/api/pulumi/shared/stack_types.go StackUpdateState, v1/stack_types.go conditions).
 */
const STAGING = {
    apiVersion: "pulumi.com/v1",
    kind: "Stack",
    metadata: { name: "staging", namespace: "pulumi-stacks", generation: 4, resourceVersion: "1001" },
    spec: { stack: "staging", projectRepo: "https://github.com/acme/platform", branch: "main", refresh: true, continueResyncOnCommitMatch: true, resyncFrequencySeconds: 300, destroyOnFinalize: false },
    status: {
        observedGeneration: 4,
        lastUpdate: {
            generation: 4,
            name: "staging-4c9d2",
            type: "up",
            state: "succeeded" as const,
            lastAttemptedCommit: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
            lastSuccessfulCommit: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
            permalink: "https://app.pulumi.com/acme/paved-road/staging/updates/42",
            lastResyncTime: "2026-12-01T09:58:00Z",
        },
        conditions: [{ type: "Ready", status: "True" as const, reason: "ProcessingCompleted", message: "the stack has been processed and is up to date", lastTransitionTime: "2026-12-01T09:58:00Z", observedGeneration: 4 }],
    },
};

type StackJson = typeof STAGING & { metadata: { annotations?: Record<string, string> }; spec: { preview?: boolean }; status: { currentUpdate?: { name: string; generation: number } } };

interface Recorded {
    readonly method: string;
    readonly path: string;
    readonly contentType?: string;
    readonly body?: unknown;
}

/** RFC 7386: objects merge, null removes, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
    if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
    const out: Record<string, unknown> = typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
    for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete out[k];
        else out[k] = mergePatch(out[k], v);
    }
    return out;
}

const status = (code: number, reason: string, message: string) => ({ kind: "Status", apiVersion: "v1", status: "Failure", reason, code, message });

/** The loopback API server, with the Stack it holds and an `operator` hook that plays the controller on each read. */
async function apiServer(stack: StackJson) {
    const requests: Recorded[] = [];
    const state = { stack: structuredClone(stack), onRead: (_s: StackJson) => undefined as void };
    const discovery: Record<string, unknown> = {
        "/version": { major: "1", minor: "32", gitVersion: "v1.32.0" },
        "/api": { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }] },
        "/api/v1": { kind: "APIResourceList", groupVersion: "v1", resources: [] },
        "/apis": { kind: "APIGroupList", apiVersion: "v1", groups: [{ name: "pulumi.com", versions: [{ groupVersion: "pulumi.com/v1", version: "v1" }], preferredVersion: { groupVersion: "pulumi.com/v1", version: "v1" } }] },
        "/apis/pulumi.com/v1": { kind: "APIResourceList", apiVersion: "v1", groupVersion: "pulumi.com/v1", resources: [{ name: "stacks", singularName: "stack", namespaced: true, kind: "Stack", verbs: ["get", "list", "patch", "update", "watch"] }] },
    };
    const server = http.createServer((req, res) => {
        let text = "";
        req.on("data", (d: Buffer) => (text += d.toString()));
        req.on("end", () => {
            const url = new URL(req.url!, "http://localhost");
            const send = (code: number, body: unknown) => res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(body));
            if (discovery[url.pathname]) return send(200, discovery[url.pathname]);
            const body = text ? (JSON.parse(text) as unknown) : undefined;
            requests.push({ method: req.method!, path: url.pathname, ...(req.headers["content-type"] ? { contentType: req.headers["content-type"] } : {}), ...(body ? { body } : {}) });
            const match = /^\/apis\/pulumi\.com\/v1\/namespaces\/([^/]+)\/stacks\/([^/]+)$/.exec(url.pathname);
            if (!match || match[1] !== state.stack.metadata.namespace || match[2] !== state.stack.metadata.name) return send(404, status(404, "NotFound", `stacks.pulumi.com "${match?.[2] ?? "?"}" not found`));
            if (req.method === "GET") {
                state.onRead(state.stack);
                return send(200, state.stack);
            }
            if (req.method !== "PATCH") return send(405, status(405, "MethodNotAllowed", "only get and patch here"));
            const precondition = (body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
            if (precondition !== undefined && precondition !== state.stack.metadata.resourceVersion) {
                return send(409, status(409, "Conflict", `Operation cannot be fulfilled on stacks.pulumi.com "${state.stack.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`));
            }
            const next = mergePatch(state.stack, body) as StackJson;
            const specChanged = JSON.stringify(next.spec) !== JSON.stringify(state.stack.spec);
            next.metadata = { ...next.metadata, resourceVersion: String(Number(state.stack.metadata.resourceVersion) + 1), generation: state.stack.metadata.generation + (specChanged ? 1 : 0) };
            state.stack = next;
            send(200, next);
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("the operator's real adapter: kubectl against a loopback API server", function () {
    this.timeout(60_000);
    let dir: string;
    let api: Awaited<ReturnType<typeof apiServer>>;
    let operator: KubectlOperator;
    /** The adapter over real kubectl, with a hook before each kubectl run. */
    let adapter: (before?: (args: readonly string[]) => void) => KubectlOperator;
    const NOW = new Date("2026-12-01T10:00:00Z");

    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-kubectl-"));
        api = await apiServer(STAGING);
        const kubeconfig = path.join(dir, "kubeconfig");
        fs.writeFileSync(kubeconfig, JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: "mgmt", cluster: { server: api.url } }], users: [{ name: "ops", user: {} }], contexts: [{ name: "mgmt", context: { cluster: "mgmt", user: "ops" } }], "current-context": "other" }));
        // kubectl's discovery cache goes to the scratch folder, not to ~/.kube.
        const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: path.join(dir, "cache") };
        const kubectl = runKubectl(env);
        adapter = (before) => new KubectlOperator({ namespace: "pulumi-stacks", context: "mgmt", env, pollMs: 10, settleTimeoutMs: 5_000 }, (args) => (before?.(args), kubectl(args)), () => NOW);
        operator = adapter();
    });
    afterEach(async () => {
        await api.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("the fixture is a Stack as the vendored CRD defines it (strict: no field the schema does not know)", () => {
        expect(strictOperatorCrd("pulumi.com_stacks.yaml").validate(STAGING)).to.deep.equal([]);
    });

    it("reads the Stack's status: last update, its outcome and commit, conditions, resync period", async () => {
        const s = await operator.stackStatus("staging");
        expect(api.requests).to.deep.equal([{ method: "GET", path: "/apis/pulumi.com/v1/namespaces/pulumi-stacks/stacks/staging" }]);
        expect(s).to.deep.equal({
            stack: "staging",
            generation: 4,
            observedGeneration: 4,
            lastUpdate: { type: "up", state: "succeeded", generation: 4, time: "2026-12-01T09:58:00Z", commit: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", failures: 0, permalink: "https://app.pulumi.com/acme/paved-road/staging/updates/42" },
            conditions: { Ready: { status: "True", reason: "ProcessingCompleted", message: "the stack has been processed and is up to date" } },
            resyncSeconds: 300,
            previewOnly: false,
        });
    });

    it("a Stack that is not there is OperatorStackMissingError", async () => {
        try {
            await operator.stackStatus("qa");
            expect.fail("must throw");
        } catch (e) {
            expect(e).to.be.instanceOf(OperatorStackMissingError);
        }
    });

    it("pauses with one conditional merge patch (spec.preview on, paved's note), and waits until the operator's running up has ended", async () => {
        // An up the operator started before the pause, for generation 4, ends on the third read.
        api.state.stack.status.currentUpdate = { name: "staging-5e1f0", generation: 4 };
        let reads = 0;
        api.state.onRead = (s) => {
            if (++reads < 3) return;
            s.status.observedGeneration = s.metadata.generation;
            delete s.status.currentUpdate;
        };
        await operator.pauseReconciliation("staging", "paved drill started 2026-12-01T10:00:00.000Z");
        const patches = api.requests.filter((r) => r.method === "PATCH");
        expect(patches).to.deep.equal([
            {
                method: "PATCH",
                path: "/apis/pulumi.com/v1/namespaces/pulumi-stacks/stacks/staging",
                contentType: "application/merge-patch+json",
                body: { metadata: { resourceVersion: "1001", annotations: { [PAUSE_ANNOTATION]: JSON.stringify({ reason: "paved drill started 2026-12-01T10:00:00.000Z", since: "2026-12-01T10:00:00.000Z", previewBefore: null }) } }, spec: { preview: true } },
            },
        ]);
        expect(api.requests.filter((r) => r.method === "GET").length).to.be.at.least(3);
        expect(api.state.stack.spec.preview).to.equal(true);
        expect(api.state.stack.metadata.generation).to.equal(5);
        const paused = await operator.stackStatus("staging");
        expect(paused.paused).to.deep.equal({ reason: "paved drill started 2026-12-01T10:00:00.000Z", since: "2026-12-01T10:00:00.000Z", previewBefore: null });
        expect(paused.previewOnly).to.equal(true);
        // The object as paused is still a valid Stack.
        expect(strictOperatorCrd("pulumi.com_stacks.yaml").validate(api.state.stack)).to.deep.equal([]);
    });

    it("refuses to pause a stack someone else paused, and resume puts spec.preview back as it was and removes the note", async () => {
        api.state.onRead = (s) => void (s.status.observedGeneration = s.metadata.generation);
        await operator.pauseReconciliation("staging", "paved up --override-operator");
        try {
            await operator.pauseReconciliation("staging", "paved drill");
            expect.fail("must refuse");
        } catch (e) {
            expect(e).to.be.instanceOf(OperatorPausedError);
        }
        await operator.resumeReconciliation("staging");
        const resume = api.requests.filter((r) => r.method === "PATCH").at(-1)!;
        expect(resume.body).to.deep.equal({ metadata: { annotations: { [PAUSE_ANNOTATION]: null } }, spec: { preview: null } });
        expect(api.state.stack.spec).to.deep.equal(STAGING.spec);
        expect(api.state.stack.metadata.annotations).to.deep.equal({});
        // Resuming a stack that is not paused changes nothing.
        const before = api.requests.length;
        await operator.resumeReconciliation("staging");
        expect(api.requests.slice(before).map((r) => r.method)).to.deep.equal(["GET"]);
    });

    it("a preview-only stack (report only) stays preview-only after a pause and resume", () => {
        const reportOnly = { ...STAGING, spec: { ...STAGING.spec, preview: true } };
        const paused = mergePatch(reportOnly, pausePatch(reportOnly, "paved drill", NOW)) as StackJson;
        expect(stackStatusOf(paused).paused?.reason).to.equal("paved drill");
        expect((mergePatch(paused, resumePatch(paused)) as StackJson).spec).to.deep.equal(reportOnly.spec);
    });

    it("a pause the server refuses (the object changed since it was read) writes nothing and says kubectl's reason", async () => {
        // Someone changes the Stack between our read and our patch.
        const racing = adapter((args) => {
            if (args[0] === "patch") api.state.stack.metadata.resourceVersion = "2000";
        });
        try {
            await racing.pauseReconciliation("staging", "paved drill");
            expect.fail("must fail");
        } catch (e) {
            expect((e as Error).message).to.match(/^kubectl patch: Error from server \(Conflict\): Operation cannot be fulfilled on stacks\.pulumi\.com "staging": the object has been modified/);
        }
        expect(api.state.stack.spec.preview).to.equal(undefined);
    });
});
