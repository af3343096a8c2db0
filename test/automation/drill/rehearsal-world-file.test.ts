import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { scaledClock } from "../../../automation/drill/clock";
import { DRILL_KNOB, KNOB_OUTPUT, PROMOTED, PROMOTED_OUTPUT } from "../../../automation/drill/model";
import { WORLD_FILE, readWorld, startRehearsal } from "../../../automation/drill/rehearsal";

/**
 * The rehearsal's world kept on disk (`paved drill --simulate` writes it beside the journal), so that
 * `--simulate --resume` after a SIGKILL restores what the dead drill left. In process, with no drill:
 * the world is started from a file written by hand and changed through its driver and operator.
 * Updates take no time (the clock runs 1000×), so nothing here waits on the wall clock.
 */
const TARGETS = { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" };
const REGIONS = { primary: "us-east-1", standby: "us-west-2" };
const ROUTER = { intervalSeconds: 10, failureThreshold: 3, ttlSeconds: 30 };
const OWNED = [TARGETS.global, TARGETS.standby];

describe("rehearsal world kept on disk", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-world-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("starts from the world a killed rehearsal left: knob on, standby promoted, its update lock held, the operator paused for the dead drill", async () => {
        const file = path.join(dir, WORLD_FILE);
        const left = `${JSON.stringify({ knob: true, promoted: true, locked: ["prod-global"], paused: ["prod-global", "prod-us-west-2"] })}\n`;
        fs.writeFileSync(file, left);
        const world = await startRehearsal(TARGETS, REGIONS, ROUTER, scaledClock(1000), { worldFile: file, operatorOwned: OWNED });
        try {
            expect(world.router.invert).to.equal(true);
            expect(world.standby.capacity).to.equal("primary");
            expect((await world.driver.outputs(TARGETS.global))[KNOB_OUTPUT]).to.equal(true);
            expect((await world.driver.outputs(TARGETS.standby))[PROMOTED_OUTPUT]).to.equal(true);
            expect([...world.driver.locked]).to.deep.equal(["prod-global"]);
            // The pauses the world was started with are not calls a drill made.
            expect(world.operator.calls).to.deep.equal([]);
            expect(world.operator.isPaused(TARGETS.primary)).to.equal(false);
            for (const stack of OWNED) expect((await world.operator.stackStatus(stack)).paused?.reason).to.equal("a rehearsed drill whose process died");
            // Reading it back changes nothing on disk: the world is written on changes only.
            expect(fs.readFileSync(file, "utf8")).to.equal(left);
        } finally {
            await world.close();
        }
    });

    it("with no file, starts as Git has it: knob off, standby warm, nothing locked or paused; and writes no file until something changes", async () => {
        const file = path.join(dir, "rehearsals", WORLD_FILE);
        const world = await startRehearsal(TARGETS, REGIONS, ROUTER, scaledClock(1000), { worldFile: file, operatorOwned: OWNED, up: () => 0 });
        try {
            expect(world.router.invert).to.equal(false);
            expect(world.standby.capacity).to.equal("warm");
            expect((await world.driver.outputs(TARGETS.standby))[PROMOTED_OUTPUT]).to.equal(false);
            expect(world.operator.isPaused(TARGETS.global)).to.equal(false);
            expect(fs.existsSync(file)).to.equal(false);
            // The first change creates the folder and the file.
            await world.operator.pauseReconciliation(TARGETS.global, "paved drill started t0");
            expect(readWorld(file)).to.deep.equal({ knob: false, promoted: false, locked: [], paused: ["prod-global"] });
            expect(fs.readdirSync(path.dirname(file))).to.deep.equal([WORLD_FILE]);
            // Two updates running at once: both locks kept, in name order.
            const both = [world.driver.run(TARGETS.standby, "up"), world.driver.run(TARGETS.global, "up")];
            expect(readWorld(file)?.locked).to.deep.equal(["prod-global", "prod-us-west-2"]);
            await Promise.all(both);
        } finally {
            await world.close();
        }
    });

    it("writes every change: an update holds its stack's lock while it runs, applies knob and promotion, and the operator's pauses and resumes", async () => {
        const file = path.join(dir, WORLD_FILE);
        fs.writeFileSync(file, `${JSON.stringify({ knob: true, promoted: true, locked: ["prod-global"], paused: ["prod-global", "prod-us-west-2"] })}\n`);
        const world = await startRehearsal(TARGETS, REGIONS, ROUTER, scaledClock(1000), { worldFile: file, operatorOwned: OWNED, up: () => 0 });
        try {
            // A refresh preview or a preview is no update: it takes no lock and writes nothing.
            await world.driver.cancelStaleUpdate(TARGETS.standby);
            await world.driver.previewRefresh(TARGETS.standby);
            const preview = world.driver.run(TARGETS.standby, "preview");
            expect(readWorld(file)?.locked, "while the preview runs").to.deep.equal(["prod-global"]);
            await preview;
            expect(fs.readFileSync(file, "utf8")).to.equal(`${JSON.stringify({ knob: true, promoted: true, locked: ["prod-global"], paused: ["prod-global", "prod-us-west-2"] })}\n`);

            // An update of the standby leaves the global stack's knob as it is.
            await world.driver.run(TARGETS.standby, "up", { config: { [PROMOTED]: "true" } });
            expect([world.router.invert, (await world.driver.outputs(TARGETS.standby))[KNOB_OUTPUT]]).to.deep.equal([true, undefined]);

            await world.driver.cancelStaleUpdate(TARGETS.global);
            const knobOff = world.driver.run(TARGETS.global, "up", { config: { [DRILL_KNOB]: "false" } });
            expect(readWorld(file), "while the update runs").to.deep.equal({ knob: true, promoted: true, locked: ["prod-global"], paused: ["prod-global", "prod-us-west-2"] });
            await knobOff;
            expect(readWorld(file), "after it").to.deep.equal({ knob: false, promoted: true, locked: [], paused: ["prod-global", "prod-us-west-2"] });
            expect(world.router.invert).to.equal(false);

            await world.operator.resumeReconciliation(TARGETS.global);
            expect(readWorld(file)).to.deep.equal({ knob: false, promoted: true, locked: [], paused: ["prod-us-west-2"] });
            await world.driver.run(TARGETS.standby, "up", { config: { [PROMOTED]: "false" } });
            expect(world.standby.capacity).to.equal("warm");
            await world.operator.resumeReconciliation(TARGETS.standby);
            // Nothing paused: the key is left out, as the CLI test of --simulate --resume reads it.
            expect(fs.readFileSync(file, "utf8")).to.equal(`${JSON.stringify({ knob: false, promoted: false, locked: [] })}\n`);
            expect(fs.existsSync(`${file}.tmp`), "written through a temporary file, renamed").to.equal(false);
        } finally {
            await world.close();
        }
    });

    it("a kept world it cannot set up (a pause on a stack the operator does not own) fails with the operator's error and leaves no server listening", async () => {
        const file = path.join(dir, WORLD_FILE);
        fs.writeFileSync(file, `${JSON.stringify({ knob: true, promoted: true, locked: [], paused: ["prod-global"] })}\n`);
        const listening = () => process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap").length;
        const before = listening();
        let caught: unknown;
        await startRehearsal(TARGETS, REGIONS, ROUTER, scaledClock(1000), { worldFile: file, operatorOwned: [] }).catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal("the Pulumi Kubernetes Operator has no Stack object prod-global");
        // A closed server's handle goes a turn or two of the event loop after close() calls back; one left open stays.
        for (let i = 0; i < 100 && listening() > before; i++) await new Promise((r) => setTimeout(r, 20));
        expect(listening(), "the two regions' and the router's servers closed").to.equal(before);
    });
});
