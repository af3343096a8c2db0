import * as pulumi from "@pulumi/pulumi";

/** Pulumi's wire marker for a secret value, as the engine (and the mock monitor) receives it. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One resource as the program registered it with the engine. */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** False for component resources. */
    readonly custom: boolean;
    /** Inputs as the engine received them; secret values stay wrapped (see `isSecret`). */
    readonly inputs: Record<string, unknown>;
    readonly parent?: string;
    /** URNs this resource waits for: explicit dependsOn plus every resource its inputs came from. */
    readonly dependencies: readonly string[];
    /** `urn::id` of the explicit or inherited provider, if any. */
    readonly provider?: string;
    readonly protect: boolean;
    readonly ignoreChanges: readonly string[];
}

/** Whether a recorded value is a Pulumi secret (still wrapped, as the engine received it). */
export function isSecret(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** The plain value, with every secret wrapper removed (for assertions; never for printing). */
export function reveal(value: unknown): unknown {
    if (isSecret(value)) return reveal((value as { value: unknown }).value);
    if (Array.isArray(value)) return value.map(reveal);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
    }
    return value;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getObject(): unknown;
    getProvider(): string;
    getProtect(): boolean | undefined;
    getIgnorechangesList(): string[];
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }) => void): void };
}
interface RegisterResponse {
    getUrn(): string;
}
type Callback = (err: unknown, response?: RegisterResponse) => void;
interface OutputsRequest {
    getUrn(): string;
    getOutputs(): unknown;
}
interface MonitorLike {
    registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
    registerResourceOutputs(req: OutputsRequest, callback: (err: unknown, response?: unknown) => void): void;
}

/**
 * Records every resource a program registers, with the parent and dependency edges that
 * Pulumi's mock `newResource` hook does not see, by listening on the mock monitor itself.
 */
export class Recorder {
    private readonly byUrn = new Map<string, RecordedResource>();
    private readonly outputsByUrn = new Map<string, Record<string, unknown>>();

    /** Starts listening on the runtime's current (mock) monitor. */
    attach(): void {
        const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, callback) =>
            register(req, (err, response) => {
                if (!err && response) this.record(req, response.getUrn());
                callback(err, response);
            });
        const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResourceOutputs = (req, callback) => {
            const outputs = req.getOutputs();
            if (outputs) this.outputsByUrn.set(req.getUrn(), pulumi.runtime.deserializeProperties(outputs as never, true));
            registerOutputs(req, callback);
        };
    }

    /** The outputs a resource registered (a component's `registerOutputs`, a stack's exports); secrets stay wrapped. */
    outputsOf(urn: string): Record<string, unknown> {
        return this.outputsByUrn.get(urn) ?? {};
    }

    get resources(): RecordedResource[] {
        return [...this.byUrn.values()];
    }

    get(urn: string): RecordedResource | undefined {
        return this.byUrn.get(urn);
    }

    private record(req: RegisterRequest, urn: string): void {
        const dependencies = new Set(req.getDependenciesList());
        req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((d) => dependencies.add(d)));
        this.byUrn.set(urn, {
            urn,
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            inputs: pulumi.runtime.deserializeProperties(req.getObject() as never, true),
            parent: req.getParent() || undefined,
            dependencies: [...dependencies].filter((d) => d !== ""),
            provider: req.getProvider() || undefined,
            protect: req.getProtect() ?? false,
            ignoreChanges: req.getIgnorechangesList(),
        });
    }
}
