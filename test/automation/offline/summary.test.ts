import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { displayValue, formatCostReport, summarizeComponents } from "../../../automation/offline/summary";
import { costReport } from "../../../components/nodepools/cost";
import { runProgram } from "../../harness";

class Fake extends pulumi.CustomResource {
    constructor(type: string, name: string, opts?: pulumi.CustomResourceOptions) {
        super(type, name, {}, opts);
    }
}

class Box extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Box", name, {}, opts);
        const inner = new pulumi.ComponentResource("test:index:Inner", `${name}-inner`, {}, { parent: this });
        new Fake("test:index:Thing", `${name}-a`, { parent: this });
        new Fake("test:index:Thing", `${name}-b`, { parent: inner });
        new Fake("test:index:Other", `${name}-c`, { parent: inner });
        this.registerOutputs({});
    }
}

describe("offline summary", () => {
    it("counts each top-level component's whole subtree by type, and masks secret outputs", async () => {
        const run = await runProgram(() => {
            new Box("box");
            new Fake("test:index:Loose", "loose");
            return { name: "box", password: pulumi.secret("hunter2") };
        });
        expect(summarizeComponents(run.resources)).to.deep.equal([
            { type: "test:index:Box", name: "box", total: 3, byType: { "test:index:Thing": 2, "test:index:Other": 1 } },
        ]);
        expect(displayValue(run.outputs.password)).to.equal("[secret]");
        expect(displayValue(run.outputs.name)).to.equal("box");
        expect(displayValue("x".repeat(100))).to.have.length(90);
    });

    it("prints a cost report per pool with the environment's savings ratio", () => {
        const lines = formatCostReport(costReport("dev", [{ pool: "apps", instanceType: "m6i.large", nodes: 3, spot: true, onHoursPerWeek: 65 }]));
        expect(lines[0]).to.equal("cost (dev, monthly, USD; spot discount 65.0 %):");
        expect(lines[1]).to.match(/apps +3 × m6i\.large +spot +65 h\/week +195 node-h\/week +\$28\.47 vs +\$210\.24 on-demand 24\/7 +\(saves 86\.5 %\)/);
        expect(lines[2]).to.equal("  total $28.47 vs $210.24: nodes 13.5 % of on-demand 24/7, savings ratio 86.5 %");
    });
});
