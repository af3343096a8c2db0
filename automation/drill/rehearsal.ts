import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as path from "node:path";
import { MemoryDriver } from "../driver/memory-driver";
import { MemoryOperator } from "../driver/operator-memory";
import { Operation, OperationOptions, OperationResult } from "../driver/port";
import { probeOnce } from "../health/probe";
import { Clock } from "./clock";
import { DRILL_KNOB, DrillTargets, KNOB_OUTPUT, PROMOTED, PROMOTED_OUTPUT } from "./model";
import { LatencyDistribution, drawLatency } from "./latency";

/**
 * A drill rehearsal with no cloud: two regional services and a failover router on loopback, and the
 * in-memory driver standing in for the stacks. The router imitates DNS failover as Route 53 does
 * it: each region health-checked every interval, unhealthy after `failureThreshold` failures in a
 * row (healthy again after as many successes), the primary's check inverted while the drill knob is
 * on, all regions unhealthy → the primary (fail open), and an answer kept for the TTL by each of
 * the clients' resolvers (jittered; some keep it longer). Time runs on the drill clock, so a
 * rehearsal takes seconds.
 */

function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
    const server = http.createServer(handler);
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

/**
 * One region's health endpoint: answers its name while healthy; flapping, every other answer fails.
 * Client traffic (the router's `?traffic=1`) beyond a warm region's share of the primary's load is
 * answered 503 until promotion completes; health checks are light and always pass while healthy.
 */
export class RegionalService {
    healthy = true;
    flapping = false;
    capacity: "warm" | "primary" = "primary";
    /** The share of the primary's traffic a warm region serves; the rest errors. */
    warmShare = 1;
    private answers = 0;
    private traffic = 0;

    private constructor(readonly region: string, readonly url: string, readonly server: http.Server) {}

    static async start(region: string): Promise<RegionalService> {
        const ref: { service?: RegionalService } = {};
        const { url, server } = await listen((req, res) => {
            const self = ref.service!;
            const up = self.healthy && !(self.flapping && self.answers++ % 2 === 1);
            const over = up && req.url?.includes("traffic=1") && self.capacity === "warm" && (self.traffic++ % 10) >= self.warmShare * 10;
            if (over) return void res.writeHead(503, { "content-type": "text/plain" }).end("over capacity (warm)\n");
            res.writeHead(up ? 200 : 503, { "content-type": "text/plain" }).end(up ? `${self.region}\n` : "unavailable\n");
        });
        ref.service = new RegionalService(region, url, server);
        return ref.service;
    }

    get healthEndpoint(): string {
        return `${this.url}/healthz`;
    }
}

export interface RouterSettings {
    readonly intervalSeconds: number;
    readonly failureThreshold: number;
    readonly ttlSeconds: number;
}

/** The clients' resolvers: how many, how their TTL expiry jitters, and how many hold answers past it. */
export interface ResolverSettings {
    /** Clients spread over this many resolvers, in turn. */
    readonly count: number;
    /** Each cached answer lives TTL × (1 ± up to this share). */
    readonly jitter: number;
    /** This many of the resolvers keep answers for `holdFactor` × TTL (resolvers that ignore TTLs). */
    readonly sticky: number;
    readonly holdFactor: number;
}

/** One resolver honouring the TTL exactly: the kind world. */
export const ONE_RESOLVER: ResolverSettings = { count: 1, jitter: 0, sticky: 0, holdFactor: 1 };

export interface RouterEvent {
    readonly t: number;
    readonly what: string;
}

export class FailoverRouter {
    /** The drill knob: the primary's health check inverted. */
    invert = false;
    readonly events: RouterEvent[] = [];
    private readonly state = { primary: { healthy: true, streak: 0 }, standby: { healthy: true, streak: 0 } };
    /** Each resolver's cached answer. */
    private readonly cached: ({ role: "primary" | "standby"; until: number } | undefined)[];
    /** Every answer a resolver was given, with how long it may keep it. */
    private readonly resolutions: { t: number; resolver: number; role: "primary" | "standby"; until: number }[] = [];
    private next = 0;
    private timer?: NodeJS.Timeout;

    private constructor(readonly url: string, private readonly server: http.Server, private readonly regions: { primary: RegionalService; standby: RegionalService }, private readonly settings: RouterSettings, private readonly clock: Clock, private readonly resolvers: ResolverSettings, private readonly random: () => number) {
        this.cached = Array.from({ length: resolvers.count }, () => undefined);
    }

    static async start(regions: { primary: RegionalService; standby: RegionalService }, settings: RouterSettings, clock: Clock, resolvers: ResolverSettings = ONE_RESOLVER, random: () => number = Math.random): Promise<FailoverRouter> {
        const ref: { router?: FailoverRouter } = {};
        const { url, server } = await listen((_req, res) => void ref.router!.answer(res));
        const router = new FailoverRouter(url, server, regions, settings, clock, resolvers, random);
        ref.router = router;
        router.timer = setInterval(() => void router.check(), clock.ms(settings.intervalSeconds));
        return router;
    }

    get globalEndpoint(): string {
        return `${this.url}/healthz`;
    }

    /** The region resolver `resolver` gives a client now (kept for its TTL, jittered, once given). */
    resolve(resolver = 0): "primary" | "standby" {
        const now = this.clock.now();
        const cached = this.cached[resolver];
        if (cached && now < cached.until) return cached.role;
        const role = this.state.primary.healthy || !this.state.standby.healthy ? "primary" : "standby";
        if (cached?.role !== role) this.events.push({ t: now, what: `resolver ${resolver}: answer ${role}` });
        const jitter = 1 + (this.random() * 2 - 1) * this.resolvers.jitter;
        const hold = resolver < this.resolvers.sticky ? this.resolvers.holdFactor : 1;
        this.cached[resolver] = { role, until: now + this.settings.ttlSeconds * jitter * hold };
        this.resolutions.push({ t: now, resolver, ...this.cached[resolver] });
        return role;
    }

    private async answer(res: http.ServerResponse): Promise<void> {
        const resolver = this.next++ % this.resolvers.count;
        const target = this.regions[this.resolve(resolver)];
        const answer = await probeOnce(`${target.healthEndpoint}?traffic=1`, this.clock.ms(5));
        res.writeHead(answer.ok ? 200 : (answer.status ?? 502), { "content-type": "text/plain" }).end(`${answer.body ?? answer.error ?? ""}\n`);
    }

    private async check(): Promise<void> {
        for (const role of ["primary", "standby"] as const) {
            const answer = await probeOnce(this.regions[role].healthEndpoint, this.clock.ms(Math.min(4, this.settings.intervalSeconds / 2)));
            const ok = role === "primary" && this.invert ? !answer.ok : answer.ok;
            const s = this.state[role];
            s.streak = ok === s.healthy ? 0 : s.streak + 1;
            if (s.streak >= this.settings.failureThreshold) {
                s.healthy = ok;
                s.streak = 0;
                this.events.push({ t: this.clock.now(), what: `${role} ${ok ? "healthy" : "unhealthy"}` });
            }
        }
    }

    /**
     * The earliest a client could have been sent to the standby after `since`: when the primary was
     * detected unhealthy, or when the first resolver's answer cached then ran out, whichever came
     * later. A prober's measured RTO can only be later than this.
     */
    standbyReachableAfter(since: number): number | undefined {
        const detected = this.events.find((e) => e.t >= since && e.what === "primary unhealthy")?.t;
        if (detected === undefined) return undefined;
        const perResolver = this.cached.map((_, resolver) => {
            const cachedThen = this.resolutions.filter((r) => r.resolver === resolver && r.t <= detected).at(-1);
            return Math.max(detected, cachedThen?.role === "primary" ? cachedThen.until : detected);
        });
        return Math.min(...perResolver);
    }

    close(): Promise<void> {
        clearInterval(this.timer);
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}

export interface Rehearsal {
    readonly driver: MemoryDriver;
    readonly router: FailoverRouter;
    readonly primary: RegionalService;
    readonly standby: RegionalService;
    /** The in-memory operator, for the drill's stacks it owns. */
    readonly operator: MemoryOperator;
    close(): Promise<void>;
}

/** What survives a rehearsal's process: the applied knob and promotion, and the stacks an update was running on. */
export interface PersistedWorld {
    readonly knob: boolean;
    readonly promoted: boolean;
    /** Stacks whose update lock a killed process left behind. */
    readonly locked: readonly string[];
    /** Stacks whose reconciliation by the operator a drill paused. */
    readonly paused?: readonly string[];
}

export const WORLD_FILE = "rehearsal-world.json";

export function readWorld(file: string): PersistedWorld | undefined {
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as PersistedWorld) : undefined;
}

/** The in-memory driver whose running updates hold a lock that outlives the process, as Pulumi's do. */
class LockingDriver extends MemoryDriver {
    readonly running = new Set<string>();
    onChange?: () => void;

    override async run(stack: string, operation: Operation, options?: OperationOptions): Promise<OperationResult> {
        if (operation !== "up") return super.run(stack, operation, options);
        this.running.add(stack);
        this.onChange?.();
        try {
            return await super.run(stack, operation, options);
        } finally {
            this.running.delete(stack);
            this.onChange?.();
        }
    }
}

/** How hard the rehearsal's world is. */
export interface RehearsalWorld {
    /** Drill seconds per `up`: fixed, drawn from a distribution, or chosen per stack. Other calls take 0.5 s. @default 2 s */
    readonly up?: LatencyDistribution | ((stack: string) => number);
    /** @default one resolver that honours the TTL */
    readonly resolvers?: ResolverSettings;
    /** The share of the primary's traffic the warm standby serves before it errors. @default 1 (no limit) */
    readonly warmShare?: number;
    /** Where the world is kept between processes; without it, each rehearsal starts from Git's state. */
    readonly worldFile?: string;
    /** The stacks the Pulumi Kubernetes Operator owns: the rehearsal's in-memory operator reconciles those of the drill. */
    readonly operatorOwned?: readonly string[];
}

/**
 * What `paved drill --simulate` rehearses against: a warm standby that serves 30 % of the primary's
 * traffic until promoted, four resolvers whose TTL expiry jitters by ±20 % (one of them holding
 * answers for twice the TTL), and updates that take a lognormal 2 s median (σ 0.5).
 */
export const HARDER_WORLD: RehearsalWorld = {
    up: { kind: "lognormal", median: 2, sigma: 0.5 },
    resolvers: { count: 4, jitter: 0.2, sticky: 1, holdFactor: 2 },
    warmShare: 0.3,
};

/**
 * The rehearsal's world for the given stacks and regions: outputs as the real stacks export them
 * (loopback URLs), Git's state as config, and `up` applying its config to the router and the
 * standby. With `worldFile`, the world is kept on disk after every change and a new rehearsal
 * starts from it, so `--simulate --resume` after a SIGKILL restores the world the dead drill left.
 * Otherwise the standby starts warm and the knob off.
 */
export async function startRehearsal(targets: DrillTargets, regions: { primary: string; standby: string }, settings: RouterSettings, clock: Clock, world: RehearsalWorld = {}): Promise<Rehearsal> {
    // A world that cannot be set up (e.g. a kept pause on a stack the operator does not own) closes
    // what it opened: a listening server left behind keeps the process from ever exiting.
    const opened: (() => Promise<void>)[] = [];
    try {
        return await setUpRehearsal(targets, regions, settings, clock, world, opened);
    } catch (e) {
        await Promise.all(opened.map((close) => close()));
        throw e;
    }
}

const closeServer = (server: http.Server) => new Promise<void>((r) => server.close(() => r()));

async function setUpRehearsal(targets: DrillTargets, regions: { primary: string; standby: string }, settings: RouterSettings, clock: Clock, world: RehearsalWorld, opened: (() => Promise<void>)[]): Promise<Rehearsal> {
    const { worldFile } = world;
    const primary = await RegionalService.start(regions.primary);
    opened.push(() => closeServer(primary.server));
    const standby = await RegionalService.start(regions.standby);
    opened.push(() => closeServer(standby.server));
    standby.warmShare = world.warmShare ?? 1;
    const kept = worldFile ? readWorld(worldFile) : undefined;
    standby.capacity = kept?.promoted ? "primary" : "warm";
    const router = await FailoverRouter.start({ primary, standby }, settings, clock, world.resolvers ?? ONE_RESOLVER);
    opened.push(() => router.close());
    router.invert = kept?.knob ?? false;
    const up = world.up ?? { kind: "fixed", seconds: 2 };
    const seconds = (stack: string, operation: string) => (operation !== "up" ? 0.5 : typeof up === "function" ? up(stack) : drawLatency(up));
    const driver = new LockingDriver(new Set([targets.primary, targets.standby, targets.global]), new Map(), (stack, operation) => clock.ms(seconds(stack, operation)));
    for (const stack of kept?.locked ?? []) driver.locked.add(stack);
    const operator = new MemoryOperator([targets.primary, targets.standby, targets.global].filter((s) => world.operatorOwned?.includes(s)));
    for (const stack of kept?.paused ?? []) await operator.pauseReconciliation(stack, "a rehearsed drill whose process died");
    operator.calls.length = 0;
    const region = (stack: string, service: RegionalService) => ({ stack, region: service.region, healthEndpoint: service.healthEndpoint });
    driver.stackOutputs.set(targets.global, { globalEndpoint: router.globalEndpoint, primary: region(targets.primary, primary), standby: region(targets.standby, standby), failoverBoundSeconds: settings.intervalSeconds * settings.failureThreshold + settings.ttlSeconds, [KNOB_OUTPUT]: router.invert });
    driver.stackOutputs.set(targets.primary, { region: primary.region, healthEndpoint: primary.healthEndpoint });
    driver.stackOutputs.set(targets.standby, { region: standby.region, healthEndpoint: standby.healthEndpoint, [PROMOTED_OUTPUT]: standby.capacity === "primary" });
    // Git's state, as the stack files say it.
    await driver.setConfig(targets.global, DRILL_KNOB, "false");
    await driver.setConfig(targets.standby, PROMOTED, "false");
    driver.calls.length = 0;
    const persist = () => {
        if (!worldFile) return;
        const paused = [...operator.statuses.keys()].filter((s) => operator.isPaused(s)).sort();
        const world: PersistedWorld = { knob: router.invert, promoted: standby.capacity === "primary", locked: [...new Set([...driver.running, ...driver.locked])].sort(), ...(paused.length ? { paused } : {}) };
        fs.mkdirSync(path.dirname(worldFile), { recursive: true });
        fs.writeFileSync(`${worldFile}.tmp`, `${JSON.stringify(world)}\n`);
        fs.renameSync(`${worldFile}.tmp`, worldFile);
    };
    // Written on changes only: a second rehearsal refused by the drill lock must not overwrite the first one's world.
    driver.onChange = persist;
    operator.onChange = persist;
    // An update applies its config to the world and to the stack's outputs, as the real programs export them.
    driver.onUp = (stack, config) => {
        if (stack === targets.global) {
            router.invert = config[DRILL_KNOB] === "true";
            driver.stackOutputs.set(stack, { ...driver.stackOutputs.get(stack), [KNOB_OUTPUT]: router.invert });
        }
        if (stack === targets.standby) {
            standby.capacity = config[PROMOTED] === "true" ? "primary" : "warm";
            driver.stackOutputs.set(stack, { ...driver.stackOutputs.get(stack), [PROMOTED_OUTPUT]: standby.capacity === "primary" });
        }
        persist();
    };
    return {
        driver,
        operator,
        router,
        primary,
        standby,
        close: async () => {
            await router.close();
            await Promise.all([primary, standby].map((s) => closeServer(s.server)));
        },
    };
}
