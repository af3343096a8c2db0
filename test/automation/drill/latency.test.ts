import { expect } from "chai";
import { drawLatency, parseLatency } from "../../../automation/drill/latency";
import { RunnerUsageError } from "../../../automation/runner/pr-stacks";

/** Feeds the given numbers as Math.random would. */
const sequence = (...xs: number[]) => () => xs.shift()!;

describe("rehearsal update latency", () => {
    it("parses a fixed time, a uniform range and a lognormal median and σ", () => {
        expect(parseLatency("2")).to.deep.equal({ kind: "fixed", seconds: 2 });
        expect(parseLatency("uniform:1:5")).to.deep.equal({ kind: "uniform", min: 1, max: 5 });
        expect(parseLatency("lognormal:20:0.5")).to.deep.equal({ kind: "lognormal", median: 20, sigma: 0.5 });
    });

    for (const bad of ["fast", "uniform:5:1", "lognormal:0:0.5", "uniform:1", "uniform:1:2:3", "-3", "gamma:1:2"]) {
        it(`refuses --up-latency ${bad} with one line naming the flag, the value and examples`, () => {
            expect(() => parseLatency(bad)).to.throw(RunnerUsageError, new RegExp(`^got --up-latency "${bad}": .*, e\\.g\\. --up-latency 2, uniform:1:5 or lognormal:2:0\\.5`));
        });
    }

    it("draws a lognormal as median × e^(σ·Z): Z = 1 gives 2 × e^0.5 = 3.2974 s", () => {
        // Box–Muller with u = e^-0.5 and v = 0: √(−2 ln u) · cos 0 = 1.
        expect(drawLatency({ kind: "lognormal", median: 2, sigma: 0.5 }, sequence(1 - Math.exp(-0.5), 0))).to.be.closeTo(3.2974, 1e-4);
        expect(drawLatency({ kind: "uniform", min: 1, max: 5 }, sequence(0.25))).to.equal(2);
        // A fixed time draws nothing.
        expect(drawLatency({ kind: "fixed", seconds: 2 }, sequence())).to.equal(2);
    });
});
