import { expect } from "chai";
import { DEFAULT_DRILL_SETTINGS, DrillResult, Mark } from "../../../automation/drill/drill";
import { probeGaps, timelineSvg } from "../../../automation/drill/timeline-svg";

/**
 * A hand-made drill: promotion at 10 s, probes every second at 10–12 s and 20–41 s (none in between),
 * injection at 20 s, failover at 30 s, fail-back at 35 s, the primary serving again at 40 s. The axis
 * runs from 10 s to 41 s over 870 px from x = 60, so x(t) = 60 + (t − 10) × 870 / 31.
 */
const mark = (name: Mark["name"], t: number): Mark => ({ name, t, at: new Date(Date.UTC(2026, 11, 1, 9, 0, t)).toISOString() });
const samples = [10, 11, 12, ...Array.from({ length: 22 }, (_, i) => 20 + i)].map((t) => (t < 30 || t >= 40 ? { t, region: "us-east-1" } : { t, region: "us-west-2" }));
const result = {
    targets: { primary: "prod-us-east-1", standby: "prod-us-west-2", global: "prod-global" },
    regions: { primary: "us-east-1", standby: "us-west-2" },
    settings: { ...DEFAULT_DRILL_SETTINGS, objectiveSeconds: 12, failbackObjectiveSeconds: 4 },
    rehearsal: true,
    timeScale: 50,
    startedAt: "2026-12-01T09:00:00.000Z",
    provenance: { gitSha: "0".repeat(40), pavedVersion: "0.1.0", pulumiCliVersion: "none", operator: "ops@host" },
    preflight: [],
    outcome: "objective missed",
    rtoSeconds: 10,
    failbackSeconds: 5,
    notMeasured: [],
    marks: [mark("promote", 10), mark("injected", 20), mark("failed over", 30), mark("failback", 35), mark("restored", 40), mark("warm", 41)],
    samples,
    updates: [],
    journal: "drills/x/journal.jsonl",
} satisfies DrillResult;

describe("drill timeline SVG", () => {
    // Drawn in a hook, not while mocha collects the tests: StrykerJS then credits it to these tests.
    let svg: string;
    let rects: { x: number; y: number; width: number; fill: string }[];
    before(() => {
        svg = timelineSvg(result);
        rects = [...svg.matchAll(/<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)" height="\d+" fill="(#[0-9a-f]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), width: Number(m[3]), fill: m[4] }));
    });

    it("finds the one span without probes, 13–20 s", () => {
        expect(probeGaps(result, 10, 41)).to.deep.equal([[13, 20]]);
    });

    it("draws the gap in grey at x(13) = 144.2 over 7 s = 196.5 px, and names it in the legend", () => {
        const gaps = rects.filter((r) => r.fill === "#d1d5db" && r.y === 80);
        expect(gaps).to.deep.equal([{ x: 144.2, y: 80, width: 196.5, fill: "#d1d5db" }]);
        expect(svg).to.include(">no probe</text>");
    });

    it("starts the axis at promotion: the first probe cell is at x = 60", () => {
        const cells = rects.filter((r) => r.y === 80 && r.fill !== "#d1d5db");
        expect(cells).to.have.length(25);
        expect(cells[0].x).to.equal(60);
    });

    it("puts the RTO bar on the timeline's axis: from x(20) = 340.6, 10 s = 280.6 px wide, green: 10 s meets the 12 s objective", () => {
        const [rto] = rects.filter((r) => r.y === 210);
        expect(rto).to.deep.equal({ x: 340.6, y: 210, width: 280.6, fill: "#16a34a" });
        // The objective's tick at x(20 + 12) = 677.4, on the same axis.
        expect(svg).to.include('<line x1="677.4" y1="208" x2="677.4" y2="222" stroke="#111" stroke-width="2"><title>RTO objective</title></line>');
    });

    it("draws the fail-back against its own objective: 5 s from x(35) = 761.6 is over 4 s, so red", () => {
        const [failback] = rects.filter((r) => r.y === 240);
        expect(failback).to.deep.equal({ x: 761.6, y: 240, width: 140.3, fill: "#dc2626" });
        expect(svg).to.include("fail-back 5.0 s (objective 4 s)");
    });

    it("finds the same span in samples given out of time order", () => {
        expect(probeGaps({ ...result, samples: [...samples].reverse() }, 10, 41)).to.deep.equal([[13, 20]]);
    });

    it("escapes &, < and > in the text it draws", () => {
        const odd = timelineSvg({ ...result, reason: "a <b> & c", samples: [{ t: 10, error: "x < y & z > w" }, ...samples.slice(1)] });
        expect(odd).to.include("outcome: objective missed (a &lt;b&gt; &amp; c)");
        expect(odd).to.include('fill="#dc2626"><title>10.0 s: x &lt; y &amp; z &gt; w</title>');
        // A region that is neither of the drill's: grey-blue.
        expect(timelineSvg({ ...result, samples: [{ t: 10, region: "eu-west-1" }, ...samples.slice(1)] })).to.include('fill="#6b7280"><title>10.0 s: eu-west-1</title>');
    });

    it("opens with the title and the drill's start, outcome and reason (cut at 90 characters)", () => {
        const lines = svg.split("\n");
        expect(lines.slice(0, 4)).to.deep.equal([
            '<svg xmlns="http://www.w3.org/2000/svg" width="960" height="290" viewBox="0 0 960 290" font-family="sans-serif">',
            '<rect width="100%" height="100%" fill="#fff" />',
            '<text x="60" y="28" font-size="18" font-weight="bold">Rehearsal — region-failover drill prod-us-east-1 → prod-us-west-2</text>',
            '<text x="60" y="50" font-size="13">2026-12-01T09:00:00.000Z · outcome: objective missed</text>',
        ]);
        const real = timelineSvg({ ...result, rehearsal: false, reason: `${"r".repeat(90)}cut` }).split("\n");
        expect(real[2]).to.equal('<text x="60" y="28" font-size="18" font-weight="bold">region-failover drill prod-us-east-1 → prod-us-west-2</text>');
        expect(real[3]).to.equal(`<text x="60" y="50" font-size="13">2026-12-01T09:00:00.000Z · outcome: objective missed (${"r".repeat(90)})</text>`);
    });
});

describe("drill timeline SVG: cells, axis, marks, bars and legend", () => {
    let svg: string;
    before(() => (svg = timelineSvg(result)));
    const cells = (text: string) => [...text.matchAll(/<rect x="([\d.]+)" y="80" width="([\d.]+)" height="40" fill="(#[0-9a-f]+)"><title>([\d.]+) s: /g)].map((m) => ({ t: Number(m[4]), width: Number(m[2]), fill: m[3] }));

    it("colours each probe by who served it and makes it one interval wide (x(11) − x(10) = 28.1 px), the last one ending at the axis", () => {
        const drawn = cells(svg);
        expect(drawn).to.have.length(25);
        expect(drawn.filter((c) => c.fill === "#2563eb").map((c) => c.t)).to.deep.equal([10, 11, 12, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 40, 41]);
        expect(drawn.filter((c) => c.fill === "#f59e0b").map((c) => c.t)).to.deep.equal([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
        expect(drawn.slice(0, 3).map((c) => c.width)).to.deep.equal([28.1, 28.1, 28.1]);
        expect(drawn.at(-1)!.width).to.equal(1);
    });

    it("draws the same timeline from samples in any order", () => {
        expect(timelineSvg({ ...result, samples: [...samples].reverse() })).to.equal(svg);
    });

    it("draws the axis with a tick every 10 s and names each mark, in three staggered rows", () => {
        expect(svg).to.include('<line x1="60" y1="126" x2="930" y2="126" stroke="#111" />');
        const ticks = [...svg.matchAll(/<text x="([\d.]+)" y="144" font-size="10" text-anchor="middle">(\d+ s)<\/text>/g)].map((m) => [m[1], m[2]]);
        expect(ticks).to.deep.equal([["60.0", "10 s"], ["340.6", "20 s"], ["621.3", "30 s"], ["901.9", "40 s"]]);
        const names = [...svg.matchAll(/<text x="[\d.]+" y="(\d+)" font-size="10" text-anchor="middle">([a-z ]+)<\/text>/g)].map((m) => [m[1], m[2]]);
        expect(names).to.deep.equal([["158", "promote"], ["170", "injected"], ["182", "failed over"], ["158", "failback"], ["170", "restored"], ["182", "warm"]]);
    });

    it("spaces the ticks of a long drill to about eight: 10 s to 210 s is every 30 s", () => {
        const long = timelineSvg({ ...result, marks: [mark("promote", 10), mark("warm", 210)], samples: [] });
        const ticks = [...long.matchAll(/text-anchor="middle">(\d+) s<\/text>/g)].map((m) => Number(m[1]));
        expect(ticks).to.deep.equal([30, 60, 90, 120, 150, 180, 210]);
    });

    it("says an RTO it could not measure, still ticking the objective from the injection; an objective past the axis' end is drawn at its edge", () => {
        const unmeasured = timelineSvg({ ...result, marks: result.marks.filter((m) => m.name !== "failed over"), settings: { ...result.settings, objectiveSeconds: 100 } });
        expect(unmeasured).to.include('<text x="60" y="206" font-size="12">RTO: not measured</text>');
        expect(unmeasured).to.not.match(/<rect x="[\d.]+" y="210"/);
        expect(unmeasured).to.include('<line x1="930.0" y1="208" x2="930.0" y2="222" stroke="#111" stroke-width="2"><title>RTO objective</title></line>');
    });

    it("a fail-back whose start is unknown is not measured and has no objective tick; an RTO exactly at its objective is met (green)", () => {
        const noFailback = timelineSvg({ ...result, marks: result.marks.filter((m) => m.name !== "failback") });
        expect(noFailback).to.include('<text x="60" y="236" font-size="12">fail-back: not measured</text>');
        expect(noFailback).to.not.include("<title>fail-back objective</title>");
        expect(noFailback).to.not.include("NaN");
        const exact = timelineSvg({ ...result, settings: { ...result.settings, objectiveSeconds: 10 } });
        expect(exact).to.include('<rect x="340.6" y="210" width="280.6" height="10" fill="#16a34a" />');
    });

    it("ends with the legend: five colours, 175 px apart", () => {
        const legend = [...svg.matchAll(/<rect x="(\d+)" y="266" width="12" height="12" fill="(#[0-9a-f]+)" \/><text x="(\d+)" y="277" font-size="11">([^<]+)<\/text>/g)].map((m) => [m[1], m[2], m[3], m[4]]);
        expect(legend).to.deep.equal([
            ["60", "#2563eb", "78", "primary (us-east-1)"],
            ["235", "#f59e0b", "253", "standby (us-west-2)"],
            ["410", "#dc2626", "428", "no answer"],
            ["585", "#d1d5db", "603", "no probe"],
            ["760", "#16a34a", "778", "met (│ objective)"],
        ]);
        expect(svg.endsWith("</svg>\n")).to.equal(true);
    });
});

describe("drill timeline SVG: gaps at the edges and odd spacings", () => {
    const at = (...ts: number[]) => ts.map((t) => ({ t, region: "us-east-1" }));
    const gaps = (ts: number[], start: number, end: number, probeInterval = 1) => probeGaps({ ...result, settings: { ...result.settings, probeInterval }, samples: at(...ts) }, start, end);

    it("a span with no probe at the start or the end is a gap up to the axis' edge", () => {
        expect(gaps([14, 15, 16], 10, 16)).to.deep.equal([[10, 14]]);
        expect(gaps([10, 11, 12], 10, 16)).to.deep.equal([[13, 16]]);
    });

    it("probes up to two intervals apart leave no gap; more do, from one interval after the last probe", () => {
        expect(gaps([10, 11.5, 13.5, 14], 10, 14)).to.deep.equal([]);
        expect(gaps([10, 12.5, 13], 10, 13)).to.deep.equal([[11, 12.5]]);
        // Every 2 s: 3 s apart is no gap, 5 s is one from 2 s after the probe.
        expect(gaps([0, 3, 5], 0, 5, 2)).to.deep.equal([]);
        expect(gaps([0, 5], 0, 5, 2)).to.deep.equal([[2, 5]]);
    });

    it("probes before the axis' start draw nothing before it", () => {
        expect(gaps([2, 10, 11], 10, 11)).to.deep.equal([]);
    });

    it("without a promotion mark the axis starts at the earliest time or zero; with only the promotion, it spans one second", () => {
        const resumed = { ...result, marks: [mark("rolled back", 50)], samples: at(40, 41) };
        // x(40) = 60 + 40 / 50 × 870 = 756.
        expect(timelineSvg(resumed)).to.include('<rect x="756.0" y="80" width="17.4" height="40" fill="#2563eb"><title>40.0 s: us-east-1</title></rect>');
        const promotedOnly = timelineSvg({ ...result, marks: [mark("promote", 10)], samples: [] });
        expect(promotedOnly).to.not.include("NaN");
        expect(promotedOnly).to.include('<line x1="60.0" y1="66" x2="60.0" y2="126" stroke="#111" stroke-dasharray="3,2" />');
    });
});
