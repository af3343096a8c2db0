import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { drawLatency, parseLatency } from "../../../automation/drill/latency";
import { DrillResult } from "../../../automation/drill/model";
import { MemoryDriver } from "../../../automation/driver/memory-driver";
import { DrillRequest, drillSettings, drillTargets, recordOnGlobalStack } from "../../../automation/runner/drill-command";
import { REPO_ROOT } from "../../harness";
import { repoStacks } from "../runner/paved";

/**
 * `paved drill`'s flags turned into settings and targets, in process: the CLI's defaults
 * (automation/cli.ts: --objective 120s, --consecutive 3, --probe-interval 1s, --step-timeout 10m),
 * each flag's value in seconds, and the one-line refusal for each bad value.
 */
const DEFAULTS: DrillRequest = { objective: "120s", consecutive: "3", probeInterval: "1s", stepTimeout: "10m", timeScale: "20" };

const refusal = (request: Partial<DrillRequest>): string => {
    try {
        drillSettings({ ...DEFAULTS, ...request });
    } catch (e) {
        return `${(e as Error).constructor.name}: ${(e as Error).message}`;
    }
    return "accepted";
};

describe("paved drill flags", () => {
    it("the CLI's defaults: 120 s objective for failover and failback, 3 answers in a row every second, 10 min steps", () => {
        expect(drillSettings(DEFAULTS)).to.deep.equal({
            objectiveSeconds: 120,
            failbackObjectiveSeconds: 120,
            consecutive: 3,
            probeInterval: 1,
            requestTimeout: 5,
            stepTimeout: 600,
            stop: { failedProbeShare: 0.5, standbyErrorRatio: 0.05, windowSeconds: 30 },
            restoreRetry: { attempts: 5, firstBackoff: 5 },
        });
    });

    it("every optional flag, in seconds", () => {
        const settings = drillSettings({ ...DEFAULTS, objective: "2m", failbackObjective: "90s", stopFailedShare: "0.25", stopWindow: "1m", prometheus: "http://prometheus:9090", rpoProbe: "https://db.internal/lag", rpoObjective: "5m" });
        expect(settings).to.deep.include({ objectiveSeconds: 120, failbackObjectiveSeconds: 90 });
        expect(settings.stop).to.deep.equal({ failedProbeShare: 0.25, standbyErrorRatio: 0.05, windowSeconds: 60 });
        expect(settings.prometheus).to.deep.equal({ url: "http://prometheus:9090", errorRatioQuery: 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))' });
        expect(settings.rpo).to.deep.equal({ probeUrl: "https://db.internal/lag", objectiveSeconds: 300 });
    });

    it("refuses each bad value naming the flag, the value and an example", () => {
        const cases: [Partial<DrillRequest>, string][] = [
            [{ consecutive: "2.5" }, 'got --consecutive "2.5": a whole number, e.g. --consecutive 3'],
            [{ consecutive: "0" }, 'got --consecutive "0": a positive number, e.g. --consecutive 3'],
            [{ consecutive: "Infinity" }, 'got --consecutive "Infinity": a positive number, e.g. --consecutive 3'],
            [{ rpoProbe: "https://db.internal/lag" }, "--rpo-probe and --rpo-objective go together, e.g. --rpo-probe https://db.internal/lag --rpo-objective 5m"],
            [{ rpoObjective: "5m" }, "--rpo-probe and --rpo-objective go together, e.g. --rpo-probe https://db.internal/lag --rpo-objective 5m"],
            [{ rpoProbe: "https://db.internal/lag", rpoObjective: "soon" }, 'got --rpo-objective "soon": a duration, e.g. --rpo-objective 5m'],
            [{ stopFailedShare: "1" }, 'got --stop-failed-share "1": a share of probes below 1, e.g. --stop-failed-share 0.5'],
            [{ stopFailedShare: "-0.2" }, 'got --stop-failed-share "-0.2": a positive number, e.g. --stop-failed-share 0.5'],
            [{ objective: "fast" }, 'got --objective "fast": a duration, e.g. --objective 120s'],
            [{ failbackObjective: "1 minute" }, 'got --failback-objective "1 minute": a duration, e.g. --failback-objective 120s'],
            [{ stopWindow: "30" }, 'got --stop-window "30": a duration, e.g. --stop-window 30s'],
            [{ probeInterval: "1" }, 'got --probe-interval "1": a duration, e.g. --probe-interval 1s'],
            [{ stepTimeout: "ten" }, 'got --step-timeout "ten": a duration, e.g. --step-timeout 10m'],
        ];
        expect(cases.map(([request]) => refusal(request))).to.deep.equal(cases.map(([, message]) => `RunnerUsageError: ${message}`));
        expect(refusal({ stopFailedShare: "0.99" })).to.equal("accepted");
    });

    it("this repository's stacks: prod-global fails prod-us-east-1 over to prod-us-west-2 as its file says", () => {
        const known = [...repoStacks()];
        expect(known).to.include("prod-global");
        expect(drillTargets(DEFAULTS, REPO_ROOT, known)).to.deep.equal({
            targets: { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" },
            regions: { primary: "us-east-1", standby: "us-west-2" },
            failover: { primary: "prod-us-east-1", standby: "prod-us-west-2", records: ["shop"], healthCheck: { intervalSeconds: 10, failureThreshold: 3 }, ttlSeconds: 30, drill: false },
        });
    });

    it("refuses stacks the global stack does not route, on one cloud, naming what it routes", () => {
        const known = [...repoStacks()];
        const refused = (request: Partial<DrillRequest>) => {
            try {
                drillTargets({ ...DEFAULTS, ...request }, REPO_ROOT, known);
                return "accepted";
            } catch (e) {
                return (e as Error).message;
            }
        };
        expect(refused({ global: "dev" })).to.equal("got --global dev: a regional stack; name the global-role stack, e.g. --global prod-global");
        expect(refused({ standby: "prod-us-east-1" })).to.equal("got --standby prod-us-east-1, the same as --primary: the drill fails over to a second region, e.g. --standby prod-us-west-2");
        // The example is never the stack just refused: here the global stack's other region.
        expect(refused({ primary: "prod-us-west-2" })).to.equal("got --standby prod-us-west-2, the same as --primary: the drill fails over to a second region, e.g. --standby prod-us-east-1");
        expect(refused({ standby: "dev-gcp" })).to.equal("got --primary prod-us-east-1 on aws and --standby dev-gcp on gcp: failover between clouds is not supported");
        expect(refused({ standby: "staging" })).to.equal(
            "global stack prod-global routes prod-us-east-1 → prod-us-west-2, not prod-us-east-1 → staging: drill the regions its records point at, e.g. --primary prod-us-east-1 --standby prod-us-west-2",
        );
        expect(refused({ primary: "dev", standby: "prod-us-west-2" })).to.match(/^global stack prod-global routes prod-us-east-1 → prod-us-west-2, not dev → prod-us-west-2/);
    });

    describe("a repository whose global stack leaves the health check and TTL to the component", () => {
        let dir: string;
        const stackFile = (name: string, config: string) => fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), `config:\n${config}`);
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-drill-flags-"));
            fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            stackFile("gcp-global", "  paved:cloud: gcp\n  paved:role: global\n  paved:region: europe-west1\n  paved:global:\n    primary: eu-a\n    standby: eu-b\n");
            stackFile("eu-a", "  paved:cloud: gcp\n  paved:role: regional\n  paved:region: europe-west1\n");
            stackFile("eu-b", "  paved:cloud: gcp\n  paved:role: regional\n  paved:region: europe-west4\n");
            stackFile("aws-global", "  paved:cloud: aws\n  paved:role: global\n  paved:region: us-east-1\n  paved:global:\n    primary: us-a\n    standby: us-b\n");
            stackFile("us-a", "  paved:cloud: aws\n  paved:role: regional\n  paved:region: us-east-1\n");
            stackFile("us-b", "  paved:cloud: aws\n  paved:role: regional\n  paved:region: us-west-2\n");
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));
        const known = ["aws-global", "eu-a", "eu-b", "gcp-global", "us-a", "us-b"];

        it("Cloud DNS checks every 30 s, Route 53 every 10 s; 3 failures; 30 s TTL", () => {
            expect(drillTargets({ ...DEFAULTS, global: "gcp-global" }, dir, known).failover).to.deep.equal({ primary: "eu-a", standby: "eu-b", healthCheck: { intervalSeconds: 30, failureThreshold: 3 }, ttlSeconds: 30 });
            expect(drillTargets({ ...DEFAULTS, global: "aws-global" }, dir, known).failover).to.deep.equal({ primary: "us-a", standby: "us-b", healthCheck: { intervalSeconds: 10, failureThreshold: 3 }, ttlSeconds: 30 });
        });

        it("with two global stacks and no --global, asks which, naming both; with none, asks for one", () => {
            expect(() => drillTargets(DEFAULTS, dir, known)).to.throw("name the global stack: --global <stack>, one of aws-global, gcp-global");
            expect(() => drillTargets(DEFAULTS, dir, ["eu-a", "eu-b"])).to.throw(/^name the global stack: --global <stack>$/);
        });
    });

    it("records the last drill on the global stack's tags: when, the RTO to a tenth, and the outcome", async () => {
        const driver = new MemoryDriver(new Set(["prod-global"]));
        const result = { targets: { primary: "a", standby: "b", global: "prod-global" }, startedAt: "2026-12-01T09:00:00.000Z", rtoSeconds: 41.26, outcome: "pass" } as DrillResult;
        await recordOnGlobalStack(driver, result);
        expect(await driver.getTags("prod-global")).to.deep.equal({ "paved:last-drill": "2026-12-01T09:00:00.000Z", "paved:last-drill-rto": "41.3s", "paved:last-drill-result": "pass" });
        await recordOnGlobalStack(driver, { ...result, rtoSeconds: undefined, outcome: "aborted at pre-flight" });
        expect(await driver.getTags("prod-global")).to.deep.equal({ "paved:last-drill": "2026-12-01T09:00:00.000Z", "paved:last-drill-rto": "none", "paved:last-drill-result": "aborted at pre-flight" });
    });

    it("--up-latency: each refusal says why; zero seconds and an empty uniform range are allowed", () => {
        const EXAMPLE = "e.g. --up-latency 2, uniform:1:5 or lognormal:2:0.5 (seconds; median and σ)";
        const why = (spec: string) => {
            try {
                return parseLatency(spec);
            } catch (e) {
                return (e as Error).message;
            }
        };
        expect(["-3", "uniform:-1:5", "uniform:5:1", "uniform:1", "lognormal:0:0.5", "lognormal:2", "2:3"].map(why)).to.deep.equal([
            `got --up-latency "-3": numbers of seconds at least 0, ${EXAMPLE}`,
            `got --up-latency "uniform:-1:5": numbers of seconds at least 0, ${EXAMPLE}`,
            `got --up-latency "uniform:5:1": uniform takes a minimum and a maximum not below it, ${EXAMPLE}`,
            `got --up-latency "uniform:1": uniform takes a minimum and a maximum not below it, ${EXAMPLE}`,
            `got --up-latency "lognormal:0:0.5": lognormal takes a median above 0 and a σ, ${EXAMPLE}`,
            `got --up-latency "lognormal:2": lognormal takes a median above 0 and a σ, ${EXAMPLE}`,
            `got --up-latency "2:3": a distribution is fixed, uniform or lognormal, ${EXAMPLE}`,
        ]);
        expect([why("0"), why("uniform:2:2")]).to.deep.equal([{ kind: "fixed", seconds: 0 }, { kind: "uniform", min: 2, max: 2 }]);
    });

    it("a lognormal draw with Z = 0.5: Box–Muller with u = e^-0.5 and v = 1/6 is 1 × cos(π/3); 2 × e^(0.5 × 0.5) = 2.5681 s", () => {
        const randoms = [1 - Math.exp(-0.5), 1 / 6];
        expect(drawLatency({ kind: "lognormal", median: 2, sigma: 0.5 }, () => randoms.shift()!)).to.be.closeTo(2.5681, 1e-4);
    });
});
