import { AddressInfo } from "node:net";
import { expect } from "chai";
import { Clock } from "../../../automation/drill/clock";
import { FailoverRouter, RegionalService } from "../../../automation/drill/rehearsal";
import { probeOnce } from "../../../automation/health/probe";

/**
 * The rehearsal's failover router, in process and on a clock the test sets: health checks run when
 * the test calls them (the router's own timer is set to fire in 24 days), and the resolvers' random
 * TTL jitter is fed by hand. Route 53's rules as the router imitates them: 10 s checks, unhealthy
 * after 3 failures in a row, healthy again after 3 successes, the knob inverting the primary's check,
 * and answers cached for TTL × (1 ± jitter), × holdFactor on sticky resolvers.
 */
const SETTINGS = { intervalSeconds: 10, failureThreshold: 3, ttlSeconds: 30 };
/** Two resolvers; the first (index 0) holds answers twice as long; TTL jitter ±20 %. */
const RESOLVERS = { count: 2, jitter: 0.2, sticky: 1, holdFactor: 2 };

describe("rehearsal failover router", () => {
    let t: number;
    let randoms: number[];
    let primary: RegionalService;
    let standby: RegionalService;
    let router: FailoverRouter;
    const clock: Clock = { scale: 1, now: () => t, ms: () => 2 ** 31 - 1, sleep: () => Promise.resolve() };
    const check = () => (router as unknown as { check(): Promise<void> }).check();
    const checks = async (n: number) => {
        for (let i = 0; i < n; i++) await check();
    };

    beforeEach(async () => {
        t = 0;
        randoms = [];
        primary = await RegionalService.start("us-east-1");
        standby = await RegionalService.start("us-west-2");
        router = await FailoverRouter.start({ primary, standby }, SETTINGS, clock, RESOLVERS, () => randoms.shift()!);
    });
    afterEach(async () => {
        await router.close();
        await Promise.all([primary, standby].map((s) => new Promise((r) => s.server.close(r))));
    });

    it("listens on loopback only: a rehearsal is reachable from this machine, not from the network", () => {
        for (const server of [primary.server, standby.server]) expect((server.address() as AddressInfo).address).to.equal("127.0.0.1");
        expect(router.globalEndpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+\/healthz$/);
    });

    it("a warm region answers 3 in 10 client requests at 30 % share, every health check, and 'unavailable' to all when down", async () => {
        standby.capacity = "warm";
        standby.warmShare = 0.3;
        const answers = async (url: string) => {
            const out: string[] = [];
            for (let i = 0; i < 10; i++) out.push((await probeOnce(url, 5000)).body ?? "");
            return out;
        };
        expect(await answers(standby.healthEndpoint)).to.deep.equal(Array.from({ length: 10 }, () => "us-west-2"));
        const traffic = await answers(`${standby.healthEndpoint}?traffic=1`);
        expect(traffic.filter((b) => b === "us-west-2")).to.have.length(3);
        expect(traffic.filter((b) => b === "over capacity (warm)")).to.have.length(7);
        standby.healthy = false;
        expect(await answers(`${standby.healthEndpoint}?traffic=1`)).to.deep.equal(Array.from({ length: 10 }, () => "unavailable"));
    });

    it("calls a region unhealthy after three failed checks in a row, not two, and healthy again after three good ones", async () => {
        primary.healthy = false;
        await checks(2);
        expect(router.events).to.deep.equal([]);
        t = 30;
        await check();
        expect(router.events).to.deep.equal([{ t: 30, what: "primary unhealthy" }]);
        primary.healthy = true;
        await checks(2);
        // A failure between good answers starts the count again.
        primary.healthy = false;
        await check();
        primary.healthy = true;
        await checks(2);
        expect(router.events).to.have.length(1);
        t = 90;
        await check();
        expect(router.events).to.deep.equal([
            { t: 30, what: "primary unhealthy" },
            { t: 90, what: "primary healthy" },
        ]);
    });

    it("with the knob on, a healthy primary's check counts as failed; the standby's is never inverted", async () => {
        router.invert = true;
        standby.healthy = false;
        await checks(3);
        expect(router.events).to.deep.equal([
            { t: 0, what: "primary unhealthy" },
            { t: 0, what: "standby unhealthy" },
        ]);
    });

    it("a resolver keeps its answer for TTL × (1 ± jitter), the sticky one for twice that, then asks again; an answer that changes is an event", async () => {
        // Jitter 1 + (r × 2 − 1) × 0.2: r = 1 gives 1.2, r = 0 gives 0.8, r = 0.5 gives 1.
        randoms.push(1, 0);
        expect([router.resolve(0), router.resolve(1)]).to.deep.equal(["primary", "primary"]);
        primary.healthy = false;
        t = 10;
        await checks(3);
        // Resolver 1 (not sticky): 30 s × 0.8 = 24 s. Resolver 0 (sticky): 30 s × 1.2 × 2 = 72 s.
        t = 23.9;
        expect(router.resolve(1)).to.equal("primary");
        t = 24;
        randoms.push(0.5);
        expect(router.resolve(1)).to.equal("standby");
        t = 71.9;
        expect(router.resolve(0)).to.equal("primary");
        t = 72;
        randoms.push(0.5);
        expect(router.resolve(0)).to.equal("standby");
        // The same answer again (resolver 1's ran out at 24 + 30 = 54 s) is no event.
        t = 100;
        randoms.push(0.5);
        expect(router.resolve(1)).to.equal("standby");
        expect(router.events).to.deep.equal([
            { t: 0, what: "resolver 0: answer primary" },
            { t: 0, what: "resolver 1: answer primary" },
            { t: 10, what: "primary unhealthy" },
            { t: 24, what: "resolver 1: answer standby" },
            { t: 72, what: "resolver 0: answer standby" },
        ]);
        expect(randoms, "one draw per answer given").to.deep.equal([]);
    });

    it("the earliest a client could reach the standby: the primary's detection, or the first resolver's cached answer running out after it", async () => {
        expect(router.standbyReachableAfter(0)).to.equal(undefined);
        randoms.push(1, 0);
        router.resolve(0);
        router.resolve(1);
        primary.healthy = false;
        t = 10;
        await checks(3);
        // Resolver 0 holds the primary until 72 s, resolver 1 until 24 s: a client can reach the standby at 24 s.
        expect(router.standbyReachableAfter(0)).to.equal(24);
        expect(router.standbyReachableAfter(10)).to.equal(24);
        // A detection before `since` does not count.
        expect(router.standbyReachableAfter(10.1)).to.equal(undefined);
        // A resolver that had given no answer by then can send its first client to the standby at once; one
        // that answered at the very moment of detection counts with that answer.
        for (const [answeredAt20, reachable] of [[false, 20], [true, 56]] as const) {
            t = 0;
            const fresh = await FailoverRouter.start({ primary, standby }, SETTINGS, clock, RESOLVERS, () => 1);
            try {
                primary.healthy = true;
                fresh.resolve(0);
                t = 20;
                if (answeredAt20) fresh.resolve(1); // the primary until 20 + 30 × 1.2 = 56 s
                primary.healthy = false;
                for (let i = 0; i < 3; i++) await (fresh as unknown as { check(): Promise<void> }).check();
                expect(fresh.standbyReachableAfter(0)).to.equal(reachable);
            } finally {
                await fresh.close();
            }
        }
    });

    it("client requests go to the resolvers in turn and are relayed from the region they resolve to", async () => {
        randoms.push(0.5, 0.5, 0.5);
        const bodies = [];
        for (let i = 0; i < 3; i++) bodies.push((await probeOnce(router.globalEndpoint, 5000)).body);
        expect(bodies).to.deep.equal(["us-east-1", "us-east-1", "us-east-1"]);
        expect(router.events.map((e) => e.what)).to.deep.equal(["resolver 0: answer primary", "resolver 1: answer primary"]);
        // Both regions unhealthy: DNS fails open, to the primary; its 503 is relayed.
        primary.healthy = false;
        standby.healthy = false;
        await checks(3);
        t = 100;
        randoms.push(0.5);
        const down = await probeOnce(router.globalEndpoint, 5000);
        expect([down.ok, down.status, down.body]).to.deep.equal([false, 503, "unavailable"]);
    });
});
