import { expect } from "chai";
import { costProblems, costReport } from "../../../components/nodepools/cost";
import { resolveSchedule } from "../../../components/nodepools/schedule";

describe("cost report", () => {
    it("prices the documented example exactly: dev, 3 × m6i.large spot, Mon–Fri 07:00–20:00", () => {
        const { onHoursPerWeek } = resolveSchedule({ timeZone: "Europe/Berlin", days: "Mon-Fri", start: "07:00", end: "20:00" });
        const report = costReport("dev", [{ pool: "apps", instanceType: "m6i.large", nodes: 3, spot: true, onHoursPerWeek }]);
        // Baseline: 3 nodes × 730 h × $0.096 = $210.24 a month, 504 node-hours a week.
        // Planned: 3 × 65 h a week × (730 / 168) weeks a month × $0.096 × (1 − 0.65) = $28.47, 195 node-hours a week.
        expect(report.pools).to.deep.equal([
            {
                pool: "apps",
                instanceType: "m6i.large",
                nodes: 3,
                onDemandPerHour: 0.096,
                spot: true,
                upHoursPerWeek: 65,
                baseline: { nodeHoursPerWeek: 504, monthlyUsd: 210.24 },
                planned: { nodeHoursPerWeek: 195, monthlyUsd: 28.47 },
                savingsRatio: 0.8646,
            },
        ]);
        // 28.4700 / 210.24 = 0.1354: the nodes cost 13.5 % of on-demand 24/7.
        expect(report.total).to.deep.equal({ baselineMonthlyUsd: 210.24, plannedMonthlyUsd: 28.47, savingsRatio: 0.8646, shareOfOnDemand: 0.1354 });
        expect(report.assumptions.spotDiscount).to.equal(0.65);
    });

    it("adds pools up, and an always-on on-demand pool saves nothing", () => {
        const report = costReport("prod", [
            { pool: "apps", instanceType: "m6i.large", nodes: 2, spot: true },
            { pool: "system", instanceType: "m6i.large", nodes: 2, spot: false },
        ]);
        expect(report.pools[1].savingsRatio).to.equal(0);
        expect(report.pools[0].planned.monthlyUsd).to.equal(49.06); // 2 × 730 × 0.096 × 0.35
        expect(report.total).to.deep.equal({ baselineMonthlyUsd: 280.32, plannedMonthlyUsd: 189.22, savingsRatio: 0.325, shareOfOnDemand: 0.675 });
    });

    it("takes the user's prices and spot discount over the shipped ones", () => {
        const report = costReport("dev", [{ pool: "gpu", instanceType: "g5.xlarge", nodes: 1, spot: true }], {
            prices: { "g5.xlarge": 1.006 },
            spotDiscount: 0.5,
        });
        expect(report.pools[0].planned.monthlyUsd).to.equal(367.19); // 730 × 1.006 × 0.5
        expect(report.assumptions.prices).to.include("your overrides");
    });

    it("rejects an instance type the price table does not know, naming the pool and a fix", () => {
        const problems = costProblems([{ pool: "gpu", instanceType: "g5.xlarge", nodes: 1, spot: true }]).list;
        expect(problems.map((p) => p.propertyPath)).to.deep.equal(["nodePools[0].instanceTypes[0]"]);
        expect(problems[0].reason).to.include('got "g5.xlarge"').and.include('{ "g5.xlarge": 0.1 }');
        expect(() => costReport("dev", [{ pool: "gpu", instanceType: "g5.xlarge", nodes: 1, spot: true }])).to.throw(/not in the price table/);
    });

    it("rejects a spot discount outside 0..1", () => {
        expect(costProblems([], { spotDiscount: 1.5 }).list.map((p) => p.propertyPath)).to.deep.equal(["spotDiscount"]);
    });
});
