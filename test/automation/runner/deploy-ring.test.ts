import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { stringify } from "yaml";
import { errorRatioQuery } from "../../../components/delivery/analysis";
import { instantValue } from "../../../automation/health/prometheus-query";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { listStacks } from "../../../automation/offline/stack-file";
import { loadRing } from "../../../automation/runner/rings";
import { REPO_ROOT } from "../../harness";
import { Loopback, requestCounterExporter, serve, startPrometheus } from "../../loopback";
import { MemoryOperator } from "../../../automation/driver/operator-memory";
import { RING, callsOf, paved as run, projectWith, repoStacks } from "./paved";

/**
 * `paved deploy --ring` with the in-memory driver for the stacks, and real servers on loopback for
 * what the gate probes: each stack's health endpoint, and Debian's Prometheus scraping an exporter
 * whose "good" service fails 0.1 % of requests and "bad" one 5 %.
 */
const FAST_GATE = { probes: 2, interval: "50ms", timeout: "1s", requestTimeout: "300ms" };

describe("paved deploy --ring (health gate on loopback)", function () {
    this.timeout(60_000);
    let project: string;
    let exporter: Loopback;
    let prometheus: Loopback;
    const health = new Map<string, Loopback & { hits: number[] }>();
    const status = new Map<string, number>();

    // The ring's stacks are the operator's here: the platform team takes over with the flag, the operator paused per stack.
    const paved = (args: string[], driver: MemoryDriver, operator = new MemoryOperator(RING)) => run([...args, "--override-operator"], { driver, operator, projectDir: project, retry: { retries: 0, backoffMs: 1 } });
    const writeRings = (rings: unknown) => fs.writeFileSync(path.join(project, "rings.yaml"), typeof rings === "string" ? rings : stringify({ rings }));
    const driverWithEndpoints = () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 5);
        for (const [stack, server] of health) driver.stackOutputs.set(stack, { healthEndpoint: `${server.url}/healthz` });
        return driver;
    };

    before(async () => {
        project = projectWith(RING);
        for (const stack of ["staging", "prod-us-east-1", "prod-us-west-2"]) {
            const hits: number[] = [];
            const server = await serve((_req, res) => {
                hits.push(Date.now());
                res.writeHead(status.get(stack) ?? 200).end(`${stack}\n`);
            });
            health.set(stack, Object.assign(server, { hits }));
        }
        exporter = await requestCounterExporter({ good: 0.001, bad: 0.05 });
        prometheus = await startPrometheus([exporter.url], async (url) => (await instantValue(url, errorRatioQuery("bad"), 1000)) !== undefined);
    });

    beforeEach(() => {
        status.clear();
        for (const server of health.values()) server.hits.length = 0;
        writeRings({ default: { stacks: ["staging", "prod-us-east-1", "prod-us-west-2"], gate: FAST_GATE } });
    });

    after(async () => {
        for (const server of health.values()) await server.close();
        await prometheus?.close();
        await exporter?.close();
        if (project) fs.rmSync(project, { recursive: true, force: true });
    });

    it("refuses a ring of operator-owned stacks without --override-operator: exit 2, one line, nothing touched", async () => {
        const driver = driverWithEndpoints();
        const operator = new MemoryOperator(RING);
        const { code, err } = await run(["deploy", "--ring", "default"], { driver, operator, projectDir: project });
        expect(code).to.equal(2);
        expect(err).to.deep.equal([
            "paved: refusing to deploy staging, prod-us-east-1, prod-us-west-2: the Pulumi Kubernetes Operator reconciles them from Git (paved:reconciler: operator in Pulumi.staging.yaml, Pulumi.prod-us-east-1.yaml, Pulumi.prod-us-west-2.yaml), so two writers would fight; to apply from here anyway, with the operator paused meanwhile: paved deploy --ring default --override-operator",
        ]);
        expect(driver.calls).to.deep.equal([]);
        expect(operator.calls).to.deep.equal([]);
    });

    it("updates the ring in order, each stack only after the previous one passed its gate, the operator paused for each stack's update only", async () => {
        const driver = driverWithEndpoints();
        const operator = new MemoryOperator(RING);
        const pausedDuringUp: string[][] = [];
        driver.onUp = (stack) => pausedDuringUp.push([stack, ...RING.filter((s) => operator.isPaused(s))]);
        const { code, out } = await paved(["deploy", "--ring"], driver, operator);
        expect(code).to.equal(0);
        expect(pausedDuringUp).to.deep.equal([["staging", "staging"], ["prod-us-east-1", "prod-us-east-1"], ["prod-us-west-2", "prod-us-west-2"]]);
        expect(operator.calls.map((c) => `${c.call} ${c.stack}`)).to.deep.equal(RING.flatMap((s) => [`pause ${s}`, `resume ${s}`]));
        expect(RING.filter((s) => operator.isPaused(s))).to.deep.equal([]);
        expect(callsOf(driver)).to.deep.equal([["staging", "up"], ["prod-us-east-1", "up"], ["prod-us-west-2", "up"]]);
        const [staging, east] = driver.calls;
        expect(health.get("staging")!.hits).to.have.length(2);
        expect(Math.max(...health.get("staging")!.hits)).to.be.within(staging.endedAt, east.startedAt);
        expect(out).to.include(`ring default: staging: ${health.get("staging")!.url}/healthz: 2 healthy answers in a row`);
        expect(out.at(-1)).to.equal("ring default: all 3 stacks updated and healthy");
    });

    it("stops at the first unhealthy stack: no further stack is touched", async () => {
        status.set("prod-us-east-1", 503);
        const driver = driverWithEndpoints();
        const operator = new MemoryOperator(RING);
        const { code, out } = await paved(["deploy", "--ring", "default"], driver, operator);
        expect(code).to.equal(1);
        expect(operator.calls.map((c) => `${c.call} ${c.stack}`)).to.deep.equal(["pause staging", "resume staging", "pause prod-us-east-1", "resume prod-us-east-1"]);
        expect(callsOf(driver)).to.deep.equal([["staging", "up"], ["prod-us-east-1", "up"]]);
        expect(health.get("prod-us-west-2")!.hits).to.be.empty;
        expect(out).to.include(`ring default: prod-us-east-1: ${health.get("prod-us-east-1")!.url}/healthz: not 2 healthy answers in a row within 1000 ms; last: HTTP 503`);
        expect(out.at(-1)).to.equal("ring default: STOPPED at prod-us-east-1 (health gate failed); not touched: prod-us-west-2");
    });

    it("stops when an update fails, before probing it or touching the next", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map([["staging", [{ kind: "fail" as const, message: "quota exceeded" }]]]), 1);
        const { code, out } = await paved(["deploy", "--ring", "--json"], driver);
        expect(code).to.equal(1);
        expect(JSON.parse(out[0])).to.deep.equal({
            ring: "default",
            completed: false,
            steps: [{ stack: "staging", up: "failed", error: "staging: up failed: quota exceeded" }],
            untouched: ["prod-us-east-1", "prod-us-west-2"],
        });
        expect(health.get("staging")!.hits).to.be.empty;
    });

    it("fails the gate of a stack that exports no health endpoint", async () => {
        const driver = new MemoryDriver(repoStacks(), new Map(), 1);
        const { code, out } = await paved(["deploy"], driver);
        expect(code).to.equal(1);
        expect(callsOf(driver)).to.deep.equal([["staging", "up"]]);
        expect(out.at(-1)).to.equal("ring default: STOPPED at staging (health gate failed); not touched: prod-us-east-1, prod-us-west-2");
    });

    it("queries the stack's Prometheus: a 5 % error ratio stops the ring, 0.1 % passes, no traffic passes and says so", async () => {
        const gate = (service: string) => ({ ...FAST_GATE, errorRatioQuery: errorRatioQuery(service), prometheus: { staging: prometheus.url } });
        writeRings({
            erroring: { stacks: ["staging", "prod-us-east-1"], gate: gate("bad") },
            healthy: { stacks: ["staging"], gate: gate("good") },
            quiet: { stacks: ["staging"], gate: gate("no-such-service") },
        });
        const bad = driverWithEndpoints();
        const erroring = await paved(["deploy", "--ring", "erroring"], bad);
        expect(erroring.code).to.equal(1);
        expect(callsOf(bad)).to.deep.equal([["staging", "up"]]);
        expect(erroring.out).to.include("ring erroring: staging: error ratio 5.00 % > limit 1.00 %");
        const healthy = await paved(["deploy", "--ring", "healthy"], driverWithEndpoints());
        expect(healthy.code).to.equal(0);
        expect(healthy.out).to.include("ring healthy: staging: error ratio 0.10 % ≤ limit 1.00 %");
        const quiet = await paved(["deploy", "--ring", "quiet"], driverWithEndpoints());
        expect(quiet.code).to.equal(0);
        expect(quiet.out).to.include("ring quiet: staging: error ratio: no traffic to measure");
    });

    it("fails the gate when the configured Prometheus cannot be asked", async () => {
        const down = await serve(() => undefined);
        await down.close();
        writeRings({ default: { stacks: ["staging", "prod-us-east-1"], gate: { ...FAST_GATE, prometheus: { staging: down.url } } } });
        const driver = driverWithEndpoints();
        const { code, out } = await paved(["deploy"], driver);
        expect(code).to.equal(1);
        expect(out).to.include(`ring default: staging: error ratio: Prometheus at ${down.url} did not answer: ECONNREFUSED`);
        expect(callsOf(driver)).to.deep.equal([["staging", "up"]]);
    });

    it("refuses a bad rings.yaml or an unknown ring with exit 2, naming field, value and example, touching nothing", async () => {
        const driver = driverWithEndpoints();
        writeRings({ default: { stacks: ["staging", "qa"], gate: { interval: "ten seconds", probes: 0 } } });
        const bad = await paved(["deploy"], driver);
        expect(bad.code).to.equal(2);
        expect(bad.err).to.deep.equal([
            'paved: rings.yaml: rings.default.gate.probes: got 0: Too small: expected number to be >=1; e.g. 3; rings.default.gate.interval: got "ten seconds": not a duration; e.g. 10s',
        ]);
        writeRings({ default: { stacks: ["staging", "qa"] } });
        expect((await paved(["deploy"], driver)).err).to.deep.equal(['paved: rings.yaml: rings.default.stacks: unknown stack "qa" (no Pulumi.qa.yaml)']);
        expect((await paved(["deploy", "--ring", "canary"], driver)).err).to.deep.equal(['paved: got --ring "canary": no such ring in rings.yaml; rings there: default, e.g. --ring default']);
        expect(driver.calls).to.be.empty;
    });

    it("ships a default ring: staging, then the primary region, then the standby", () => {
        const ring = loadRing(REPO_ROOT, "default", listStacks(REPO_ROOT));
        expect(ring.stacks).to.deep.equal(["staging", "prod-us-east-1", "prod-us-west-2"]);
        expect(ring.gate).to.include({ probes: 3, intervalMs: 10_000, timeoutMs: 300_000, maxErrorRatio: 0.01 });
    });
});
