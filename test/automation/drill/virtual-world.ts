import * as http from "node:http";
import { AddressInfo } from "node:net";
import { Clock } from "../../../automation/drill/clock";
import { DEFAULT_DRILL_SETTINGS, DrillSettings } from "../../../automation/drill/drill";
import { MemoryDriver } from "../../../automation/driver/memory-driver";

/**
 * The whole drill on a virtual clock: drill time moves only when the drill sleeps between probes, so
 * RTO and fail-back come out exact. The world is scripted by hand: once the knob is on, the global
 * endpoint answers the primary twice, fails once (503), answers the primary once more, then the
 * standby; once it is off, the standby once, then the primary. With one probe a second and three in
 * a row to call a region serving, the standby's streak starts at the 5th probe after injection:
 * RTO 4 s, 1 failed probe of the 5 up to it (20 %). After fail-back the primary's streak starts at
 * the 2nd probe and must span the 2 s failover bound: fail-back 1 s. The global endpoint ends its
 * answers with CRLF, as many HTTP servers do: the drill reads the region without the line end.
 */
export const TARGETS = { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" };
export const SETTINGS: DrillSettings = { ...DEFAULT_DRILL_SETTINGS, objectiveSeconds: 4, failbackObjectiveSeconds: 1, consecutive: 3, probeInterval: 1, requestTimeout: 20, stepTimeout: 60 };

/** Drill time that moves only in sleeps; a drill second is 50 wall ms for timers and request timeouts. */
export const virtualClock = (): Clock => {
    let t = 0;
    return { scale: 20, now: () => t, ms: (s) => s * 50, sleep: (s) => ((t += s), Promise.resolve()) };
};

export interface World {
    driver: MemoryDriver;
    close(): Promise<void>;
    /** The replication lag the RPO probe answers, in seconds. */
    lag: string;
    /** Whether the standby's health endpoint answers 200. */
    standbyHealthy: boolean;
    /** Who the global endpoint answers once the knob is on (after its scripted start), and once it is off again. */
    serves: { knobOn: "us-east-1" | "us-west-2"; knobOff: "us-east-1" | "us-west-2" };
    /** Updates whose outputs the stack's program does not export (a program that ignores the drill's config). */
    unexported: Set<"knob" | "promoted">;
}

export async function world(): Promise<World> {
    const driver = new MemoryDriver(new Set(Object.values(TARGETS)), new Map(), 1);
    let knobProbes = 0;
    let offProbes = 0;
    const state = { knob: false, promoted: false };
    const w: World = { driver, lag: "4", standbyHealthy: true, serves: { knobOn: "us-west-2", knobOff: "us-east-1" }, unexported: new Set(), close: () => Promise.resolve() };
    const answer = (res: http.ServerResponse, region: string) => void res.writeHead(200).end(`${region}\r\n`);
    const server = http.createServer((req, res) => {
        if (req.url === "/standby") return void res.writeHead(w.standbyHealthy ? 200 : 503).end(w.standbyHealthy ? "us-west-2\n" : "unavailable\n");
        if (req.url === "/lag") return void res.writeHead(200).end(w.lag);
        if (req.url === "/down") return void res.writeHead(503).end("unavailable\n");
        if (!state.knob) return answer(res, knobProbes > 0 && offProbes++ === 0 ? "us-west-2" : knobProbes > 0 ? w.serves.knobOff : "us-east-1");
        const n = ++knobProbes;
        if (n === 3) return void res.writeHead(503).end("no healthy region");
        answer(res, n <= 4 ? "us-east-1" : w.serves.knobOn);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const outputs = () => {
        driver.stackOutputs.set(TARGETS.global, {
            primary: { stack: TARGETS.primary, region: "us-east-1", healthEndpoint: `${url}/primary` },
            standby: { stack: TARGETS.standby, region: "us-west-2", healthEndpoint: `${url}/standby` },
            globalEndpoint: `${url}/global`,
            failoverBoundSeconds: 2,
            drill: state.knob,
        });
        driver.stackOutputs.set(TARGETS.standby, { failoverPromoted: state.promoted });
    };
    outputs();
    driver.onUp = (stack, config) => {
        if (stack === TARGETS.global && !w.unexported.has("knob")) state.knob = config["paved:global.drill"] === "true";
        if (stack === TARGETS.standby && !w.unexported.has("promoted")) state.promoted = config["paved:failover.promoted"] === "true";
        outputs();
    };
    w.close = () => new Promise((resolve) => server.close(() => resolve()));
    return w;
}
