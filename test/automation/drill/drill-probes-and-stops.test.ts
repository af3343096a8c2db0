import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { getEventListeners } from "node:events";
import { expect } from "chai";
import { DrillRecord, liveNow, update } from "../../../automation/drill/applied";
import { Clock, scaledClock } from "../../../automation/drill/clock";
import { provenance } from "../../../automation/drill/evidence";
import { RegionalService } from "../../../automation/drill/rehearsal";
import { startSampling, watchUntilServedBy } from "../../../automation/drill/measure";
import { DrillContext, DrillTargets, Endpoints } from "../../../automation/drill/model";
import { replicationLag, standbyErrorRatio } from "../../../automation/drill/optional-probes";
import { RESTORE_RETRY, withRetries } from "../../../automation/drill/retry";
import { DEFAULT_STOP_CONDITION, failedShareOverWindow, stopCheck } from "../../../automation/drill/stop-condition";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { REPO_ROOT } from "../../harness";

/**
 * The drill's measuring parts on a virtual clock (time moves only when the drill sleeps, so every
 * sample time is exact) against a loopback server that answers from a script: the probe loop, the
 * stop condition, retries, updates checked against outputs, and what is live at the end.
 */
const virtualClock = (scale = 1): Clock & { advance(s: number): void } => {
    let t = 0;
    return { scale, now: () => t, ms: (s) => (s * 1000) / scale, sleep: (s) => ((t += s), Promise.resolve()), advance: (s) => void (t += s) };
};

/** A loopback server answering each request with the next scripted [status, body], the last one forever. */
async function scripted(answers: [number, string][]): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
    const hits: string[] = [];
    const server = http.createServer((req, res) => {
        hits.push(req.url ?? "");
        const [status, body] = answers.length > 1 ? answers.shift()! : answers[0];
        res.writeHead(status).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Prometheus's instant-query answer (HTTP API, /api/v1/query): a vector of one sample. */
const vector = (value: string): [number, string] => [200, JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1764579600, value] }] } })];

const unreachable = async () => {
    const s = await scripted([[200, ""]]);
    await s.close();
    return s.url;
};

describe("drill probes: watching who serves", () => {
    it("counts answers in a row from the awaited region; a failure or another region starts over", async () => {
        const s = await scripted([[200, "us-east-1"], [200, "us-west-2\n"], [500, "boom"], [200, "us-west-2"], [200, "us-west-2"], [200, "us-west-2"], [200, "never asked"]]);
        try {
            const w = await watchUntilServedBy(s.url, "us-west-2", { clock: virtualClock(), interval: 2, consecutive: 3, timeout: 100, requestTimeout: 5 });
            expect(w).to.deep.equal({
                samples: [{ t: 0, region: "us-east-1" }, { t: 2, region: "us-west-2" }, { t: 4, error: "HTTP 500" }, { t: 6, region: "us-west-2" }, { t: 8, region: "us-west-2" }, { t: 10, region: "us-west-2" }],
                reachedAt: 6,
            });
        } finally {
            await s.close();
        }
    });

    it("a streak must also span `span` seconds; the timeout ends the watch inclusive of its last second", async () => {
        const s = await scripted([[200, "us-east-1"]]);
        try {
            const spanned = await watchUntilServedBy(s.url, "us-east-1", { clock: virtualClock(), interval: 1, consecutive: 2, timeout: 100, requestTimeout: 5, span: 3 });
            expect(spanned.samples.map((x) => x.t)).to.deep.equal([0, 1, 2, 3]);
            expect(spanned.reachedAt).to.equal(0);
            // The same from 100 s on: the span counts from the streak's start, not from zero.
            const later = virtualClock();
            later.advance(100);
            const spannedLater = await watchUntilServedBy(s.url, "us-east-1", { clock: later, interval: 1, consecutive: 2, timeout: 100, requestTimeout: 5, span: 3 });
            expect(spannedLater.samples.map((x) => x.t)).to.deep.equal([100, 101, 102, 103]);
            expect(spannedLater.reachedAt).to.equal(100);
            const timedOut = await watchUntilServedBy(s.url, "us-west-2", { clock: virtualClock(), interval: 1, consecutive: 1, timeout: 2, requestTimeout: 5 });
            expect(timedOut).to.deep.equal({ samples: [{ t: 0, region: "us-east-1" }, { t: 1, region: "us-east-1" }, { t: 2, region: "us-east-1" }] });
        } finally {
            await s.close();
        }
    });

    it("asks the stop check after every probe and ends at its first reason; a cancelled watch probes nothing", async () => {
        const s = await scripted([[200, "us-east-1"]]);
        try {
            const seen: number[] = [];
            const stopped = await watchUntilServedBy(s.url, "us-west-2", {
                clock: virtualClock(),
                interval: 1,
                consecutive: 1,
                timeout: 100,
                requestTimeout: 5,
                stop: (samples) => (seen.push(samples.length), Promise.resolve(samples.length === 2 ? "enough" : undefined)),
            });
            expect(seen).to.deep.equal([1, 2]);
            expect(stopped).to.deep.equal({ samples: [{ t: 0, region: "us-east-1" }, { t: 1, region: "us-east-1" }], stopped: "enough" });
            const aborted = new AbortController();
            aborted.abort();
            expect(await watchUntilServedBy(s.url, "us-east-1", { clock: virtualClock(), interval: 1, consecutive: 1, timeout: 100, requestTimeout: 5, signal: aborted.signal })).to.deep.equal({ samples: [] });
        } finally {
            await s.close();
        }
    });

    it("a probe that gets no answer is a failed sample naming why", async () => {
        const url = await unreachable();
        const w = await watchUntilServedBy(url, "us-east-1", { clock: virtualClock(), interval: 1, consecutive: 1, timeout: 0, requestTimeout: 5 });
        expect(w).to.deep.equal({ samples: [{ t: 0, error: "ECONNREFUSED" }] });
    });

    it("samples in the background every interval until stopped", async () => {
        const s = await scripted([[200, "us-east-1"], [503, "down"], [200, "us-west-2"]]);
        try {
            const sampling = startSampling(s.url, { clock: virtualClock(), interval: 3, requestTimeout: 5 });
            while (s.hits.length < 4) await new Promise((resolve) => setImmediate(resolve));
            const samples = await sampling.stop();
            expect(samples.slice(0, 4)).to.deep.equal([{ t: 0, region: "us-east-1" }, { t: 3, error: "HTTP 503" }, { t: 6, region: "us-west-2" }, { t: 9, region: "us-west-2" }]);
            const after = s.hits.length;
            await new Promise((resolve) => setTimeout(resolve, 20));
            expect(s.hits.length).to.equal(after);
        } finally {
            await s.close();
        }
    });
});

describe("drill stop condition", () => {
    const ok = (t: number) => ({ t, region: "us-west-2" });
    const failed = (t: number) => ({ t, error: "HTTP 503" });

    it("defaults: more than half the probes failing for 30 s, or the standby above 5 % errors for 30 s", () => {
        expect(DEFAULT_STOP_CONDITION).to.deep.equal({ failedProbeShare: 0.5, standbyErrorRatio: 0.05, windowSeconds: 30 });
    });

    it("the failed share counts the samples of the last window, once the samples span it", () => {
        const samples = [ok(0), failed(4), ok(5), failed(6), ok(8), failed(10)];
        expect(failedShareOverWindow([], 10, 5)).to.equal(undefined);
        expect(failedShareOverWindow(samples, 10, 5)).to.equal(2 / 4);
        expect(failedShareOverWindow(samples, 10, 6)).to.equal(3 / 5);
        expect(failedShareOverWindow(samples, 10, 10)).to.equal(3 / 6);
        expect(failedShareOverWindow(samples, 10, 11)).to.equal(undefined);
        expect(failedShareOverWindow([ok(0), ok(1)], 30, 5)).to.equal(undefined);
    });

    it("stops when the share is over the threshold, not at it", async () => {
        const clock = virtualClock();
        const check = stopCheck({ failedProbeShare: 0.5, standbyErrorRatio: 0.05, windowSeconds: 4 }, clock);
        clock.advance(4);
        expect(await check([ok(0), failed(1), ok(2), failed(3)])).to.equal(undefined);
        expect(await check([ok(0), failed(1), failed(2), failed(3), ok(4)])).to.equal("60.0 % of probes failed over the last 4 s (stop threshold 50.0 %)");
    });

    it("with Prometheus: stops once the standby's error ratio stayed above its threshold for the whole window, querying at most every third of it", async () => {
        const prometheus = await scripted([vector("0.2"), vector("0.2"), vector("0.01"), vector("0.2"), vector("0.2"), vector("0.25")]);
        try {
            const clock = virtualClock();
            const check = stopCheck({ failedProbeShare: 0.5, standbyErrorRatio: 0.05, windowSeconds: 6 }, clock, { url: prometheus.url, errorRatioQuery: "ratio", timeoutMs: 2000 });
            const at = async (t: number) => (clock.advance(t - clock.now()), check([ok(0)]));
            expect([await at(0), await at(1), await at(2), await at(4)]).to.deep.equal([undefined, undefined, undefined, undefined]);
            expect(prometheus.hits).to.have.length(3);
            expect(prometheus.hits[0]).to.equal("/api/v1/query?query=ratio");
            // Fell under at 4 s: the window starts again at the next query above it.
            expect([await at(6), await at(8), await at(10)]).to.deep.equal([undefined, undefined, undefined]);
            expect(await at(12)).to.equal("the standby's error ratio stayed above 5.0 % for 6 s (now 25.0 %)");
        } finally {
            await prometheus.close();
        }
    });

    it("an unreachable Prometheus or a ratio at the threshold stops nothing", async () => {
        const clock = virtualClock();
        const down = stopCheck({ failedProbeShare: 0.5, standbyErrorRatio: 0.05, windowSeconds: 3 }, clock, { url: await unreachable(), errorRatioQuery: "q", timeoutMs: 2000 });
        const prometheus = await scripted([vector("0.05")]);
        try {
            const atThreshold = stopCheck({ failedProbeShare: 0.5, standbyErrorRatio: 0.05, windowSeconds: 3 }, clock, { url: prometheus.url, errorRatioQuery: "q", timeoutMs: 2000 });
            for (let t = 0; t <= 9; t += 3) {
                clock.advance(t - clock.now());
                expect(await down([ok(0)])).to.equal(undefined);
                expect(await atThreshold([ok(0)])).to.equal(undefined);
            }
            expect(prometheus.hits).to.have.length(4);
        } finally {
            await prometheus.close();
        }
    });
});

describe("drill optional probes", () => {
    it("replication lag: the number of seconds the probe answers, or why not, naming the URL", async () => {
        const s = await scripted([[200, " 2.5\n"], [200, "lots"], [500, "3"]]);
        try {
            expect(await replicationLag(s.url, 2000)).to.equal(2.5);
            for (const status of [200, 500]) {
                let caught: unknown;
                await replicationLag(s.url, 2000).catch((e: unknown) => (caught = e));
                expect((caught as Error).message).to.equal(`the probe ${s.url} answered HTTP ${status} without a number of seconds`);
            }
        } finally {
            await s.close();
        }
        const url = await unreachable();
        let caught: unknown;
        await replicationLag(url, 2000).catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal(`the probe ${url} did not answer (ECONNREFUSED)`);
    });

    it("replication lag: a probe that accepts the request and never answers is given up after the timeout, saying so", async () => {
        const silent = http.createServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/lag`;
        try {
            let caught: unknown;
            await replicationLag(url, 100).catch((e: unknown) => (caught = e));
            expect((caught as Error).message).to.equal(`the probe ${url} did not answer (no answer within 100 ms)`);
        } finally {
            silent.closeAllConnections();
            await new Promise((resolve) => silent.close(resolve));
        }
    });

    it("standby error ratio: the value, or a note naming Prometheus and the query", async () => {
        const s = await scripted([vector("0.031"), [200, JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } })]]);
        const rec = new DrillRecord(virtualClock());
        try {
            expect(await standbyErrorRatio({ url: s.url, errorRatioQuery: "q" }, 2000, rec)).to.equal(0.031);
            expect(rec.notMeasured).to.deep.equal([]);
            expect(await standbyErrorRatio({ url: s.url, errorRatioQuery: "q" }, 2000, rec)).to.equal(undefined);
            expect(rec.notMeasured).to.deep.equal([`not measured: the standby's error ratio: Prometheus ${s.url} has no series for q`]);
        } finally {
            await s.close();
        }
        const url = await unreachable();
        expect(await standbyErrorRatio({ url, errorRatioQuery: "q" }, 2000, rec)).to.equal(undefined);
        expect(rec.notMeasured[1]).to.equal(`not measured: the standby's error ratio: Prometheus at ${url} did not answer: ECONNREFUSED`);
    });
});

describe("drill retries", () => {
    it("a restore tries five times, 5 s then 10, 20 and 40 s apart (75 s in all), and rejects with the last error", async () => {
        const clock = virtualClock();
        const log: string[] = [];
        let calls = 0;
        const failing = () => Promise.reject(new Error(`boom ${++calls}`));
        let caught: unknown;
        await withRetries("restore: knob off", failing, RESTORE_RETRY, clock, (l) => log.push(l)).catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal("boom 5");
        expect(calls).to.equal(5);
        expect(clock.now()).to.equal(75);
        expect(log).to.deep.equal([
            "restore: knob off: attempt 1 of 5 failed (boom 1); retrying in 5 s",
            "restore: knob off: attempt 2 of 5 failed (boom 2); retrying in 10 s",
            "restore: knob off: attempt 3 of 5 failed (boom 3); retrying in 20 s",
            "restore: knob off: attempt 4 of 5 failed (boom 4); retrying in 40 s",
        ]);
    });

    it("returns the first success without waiting further", async () => {
        const clock = virtualClock();
        let calls = 0;
        const value = await withRetries("x", async () => (++calls < 2 ? Promise.reject(new Error("busy")) : "done"), { attempts: 3, firstBackoff: 1 }, clock, () => undefined);
        expect([value, calls, clock.now()]).to.deep.equal(["done", 2, 1]);
    });
});

describe("drill clock", () => {
    it("a scaled clock turns drill seconds into wall milliseconds, and its sleep ends early when aborted", async () => {
        const clock = scaledClock(50);
        expect([clock.scale, clock.ms(10), scaledClock().ms(2)]).to.deep.equal([50, 200, 2000]);
        expect(clock.now()).to.be.within(0, 3000);
        const aborted = new AbortController();
        const slept = clock.sleep(3600, aborted.signal);
        aborted.abort();
        await slept;
        await clock.sleep(0.5);
        expect(clock.now()).to.be.at.least(0.5);
        // A sleep that ended leaves no listener on the signal (a drill sleeps thousands of times on one).
        const ctrlC = new AbortController();
        await clock.sleep(0.01, ctrlC.signal);
        expect(getEventListeners(ctrlC.signal, "abort")).to.deep.equal([]);
    });

    it("a sleep whose timer fires before performance.now() has reached its end is waited out, and ends at the first reading that has", async () => {
        // performance.now() as the clock reads it: start, the sleep's end and its timer (10 ms), then the
        // timer's wake-up 0.3 ms early, then on time, then later.
        const readings = [0, 0, 0, 9.7, 10];
        const seen: number[] = [];
        // An own property over Performance.prototype.now, deleted afterwards.
        performance.now = () => {
            const v = readings.shift() ?? 10.5;
            seen.push(v);
            return v;
        };
        try {
            const clock = scaledClock(1);
            await clock.sleep(0.01);
            expect(seen).to.deep.equal([0, 0, 0, 9.7, 10]);
        } finally {
            delete (performance as Partial<typeof performance>).now;
        }
        expect(performance.now()).to.be.greaterThan(10.5);
    });
});

describe("drill updates, checked against the applied state", () => {
    const targets: DrillTargets = { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" };
    const ctxOf = (driver: MemoryDriver, signal?: AbortSignal): DrillContext => ({ driver, clock: virtualClock(), log: () => undefined, drillsDir: "", projectDir: "", rehearsal: true, signal });

    it("records the update with its temporary config and changes, then reads the output it must have set", async () => {
        const driver = new MemoryDriver(new Set([targets.standby]), new Map([[targets.standby, [{ kind: "ok", changes: { update: 2 } }, { kind: "ok" }]]]), 1);
        driver.stackOutputs.set(targets.standby, { failoverPromoted: true });
        const ctx = ctxOf(driver);
        const rec = new DrillRecord(ctx.clock);
        await update(ctx, rec, "promote", targets.standby, { "paved:failover.promoted": "true" }, { output: "failoverPromoted", value: true }, 60);
        expect(rec.updates).to.have.length(1);
        const { at, ...rest } = rec.updates[0];
        expect(rest).to.deep.equal({ step: "promote", stack: targets.standby, config: { "paved:failover.promoted": "true" }, seconds: 0, changes: { update: 2 } });
        expect(at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        let caught: unknown;
        await update(ctx, rec, "warm", targets.standby, undefined, { output: "failoverPromoted", value: false }).catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal("warm: prod-us-west-2 was updated, but its output failoverPromoted is true, not false");
        expect(rec.updates[1]).to.not.have.property("config");
        expect(rec.updates[1]).to.not.have.property("updateId");
        driver.stackOutputs.set(targets.standby, {});
        caught = undefined;
        await update(ctx, rec, "warm", targets.standby, undefined, { output: "failoverPromoted", value: false }).catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal("warm: prod-us-west-2 was updated, but its output failoverPromoted is null, not false");
    });

    it("an update over the step timeout is cancelled and says so; a cancelled drill says SIGINT/SIGTERM; other failures pass through", async () => {
        const slow = new MemoryDriver(new Set([targets.global]), new Map(), 5000);
        let caught: unknown;
        await update(ctxOf(slow), new DrillRecord(virtualClock()), "inject", targets.global, undefined, { output: "drill", value: true }, 0.02).catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal("inject: the update of prod-global took longer than the step timeout (0.02 s) and was cancelled");
        const aborted = new AbortController();
        aborted.abort();
        caught = undefined;
        await update(ctxOf(slow, aborted.signal), new DrillRecord(virtualClock()), "inject", targets.global, undefined, { output: "drill", value: true }, 600).catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal("cancelled (SIGINT/SIGTERM)");
        caught = undefined;
        await update(ctxOf(slow, aborted.signal), new DrillRecord(virtualClock()), "inject", targets.global, undefined, { output: "drill", value: true }).catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal("cancelled (SIGINT/SIGTERM)");
        const failing = new MemoryDriver(new Set([targets.global]), new Map([[targets.global, [{ kind: "fail", message: "quota" }]]]), 1);
        caught = undefined;
        await update(ctxOf(failing), new DrillRecord(virtualClock()), "inject", targets.global, undefined, { output: "drill", value: true }, 600).catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal("prod-global: up failed: quota");
    });

    it("marks carry drill seconds and the UTC time they happened", () => {
        const clock = virtualClock();
        const rec = new DrillRecord(clock);
        clock.advance(100);
        const before = Date.now();
        expect(rec.mark("injected")).to.equal(100);
        expect(rec.mark("failed over", 40)).to.equal(40);
        const [now, earlier] = rec.marks;
        expect([now.name, now.t, earlier.name, earlier.t]).to.deep.equal(["injected", 100, "failed over", 40]);
        expect(Date.parse(now.at) - before).to.be.within(0, 1000);
        expect(before - Date.parse(earlier.at)).to.be.within(59_000, 61_000);
    });

    it("what is live: who serves the global endpoint, and the knob and promotion as the outputs say", async () => {
        const driver = new MemoryDriver(new Set([targets.global, targets.standby]));
        driver.stackOutputs.set(targets.global, { drill: true });
        driver.stackOutputs.set(targets.standby, { failoverPromoted: false });
        const regions = { primary: "us-east-1", standby: "us-west-2" };
        const endpoint = (global: string): Endpoints => ({ global, primary: { region: "us-east-1", healthEndpoint: "" }, standby: { region: "us-west-2", healthEndpoint: "" } });
        const s = await scripted([[200, "us-east-1"], [200, "us-west-2"], [503, "x"], [200, "eu-west-1"]]);
        try {
            const ctx = ctxOf(driver);
            expect(await liveNow(ctx, targets, endpoint(s.url), regions)).to.deep.equal({ servedBy: "the primary prod-us-east-1 (us-east-1)", knob: "on (the primary's health check inverted)", standby: "warm" });
            driver.stackOutputs.set(targets.global, { drill: false });
            driver.stackOutputs.set(targets.standby, { failoverPromoted: true });
            expect(await liveNow(ctx, targets, endpoint(s.url), regions)).to.deep.equal({ servedBy: "the standby prod-us-west-2 (us-west-2)", knob: "off", standby: "promoted (primary capacity)" });
            driver.stackOutputs.set(targets.global, {});
            expect((await liveNow(ctx, targets, endpoint(s.url), regions)).servedBy).to.equal("no region (HTTP 503)");
            expect(await liveNow(ctx, { ...targets, standby: "gone" }, endpoint(s.url), regions)).to.deep.equal({ servedBy: "no region (HTTP 200)", knob: "unknown (prod-global exports no drill)", standby: "unknown (stack gone does not exist)" });
        } finally {
            await s.close();
        }
        expect((await liveNow(ctxOf(driver), targets, endpoint(await unreachable()), regions)).servedBy).to.equal("no region (ECONNREFUSED)");
        expect((await liveNow(ctxOf(driver), targets, undefined, regions)).servedBy).to.equal("unknown (the global stack's outputs could not be read)");
    });
});

describe("drill provenance", () => {
    it("ties the drill to the commit, paved's version and the operator; a rehearsal drives no Pulumi CLI", () => {
        const holder = { owner: "ops", host: "bastion", pid: 1, startedAt: "t" };
        const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
        const here = provenance(REPO_ROOT, { ...holder, ciRun: "https://github.com/acme/paved/actions/runs/7" }, true);
        expect(here.gitSha).to.match(/^[0-9a-f]{40}$/);
        expect(here).to.deep.include({ pavedVersion: version, pulumiCliVersion: "none (rehearsal: in-memory driver)", operator: "ops@bastion", ciRun: "https://github.com/acme/paved/actions/runs/7" });
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "paved-nogit-"));
        try {
            const bare = provenance(outside, holder, false);
            expect(bare).to.deep.equal({ gitSha: "unknown (not a git checkout)", pavedVersion: version, pulumiCliVersion: "unknown (pulumi not on PATH)", operator: "ops@bastion" });
        } finally {
            fs.rmSync(outside, { recursive: true, force: true });
        }
    });
});

describe("rehearsal world: a flapping region", () => {
    it("fails every other answer, so it never gives three in a row", async () => {
        const region = await RegionalService.start("us-east-1");
        try {
            region.flapping = true;
            const statuses: number[] = [];
            for (let i = 0; i < 4; i++) statuses.push((await fetch(region.healthEndpoint)).status);
            expect(statuses).to.deep.equal([200, 503, 200, 503]);
        } finally {
            await new Promise((resolve) => region.server.close(resolve));
        }
    });
});
