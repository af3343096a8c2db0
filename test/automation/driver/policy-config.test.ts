import { expect } from "chai";
import { enforcementLevelOf, isProductionConfig, isProductionStack, policyPackConfig } from "../../../automation/driver/policy-config";
import { listStacks } from "../../../automation/offline/stack-file";
import { planStack } from "../../../automation/plan/plan";
import { PLATFORM_POLICIES } from "../../../policy/policies";
import { REPO_ROOT } from "../../harness";

describe("policy levels per stack (one production rule for the engine and paved plan)", () => {
    it("calls production what the stack files say, and never a PR or laptop stack", () => {
        const table = listStacks(REPO_ROOT).map((s) => [s, isProductionStack(REPO_ROOT, s)]);
        expect(table).to.deep.equal([
            ["dev", false],
            ["dev-gcp", false],
            ["local", false],
            ["pr", false],
            ["prod-global", true],
            ["prod-us-east-1", true],
            ["prod-us-west-2", true],
            ["staging", false],
        ]);
        expect(isProductionConfig({ "paved:environment": "prod", "paved:role": "preview" })).to.equal(false);
        expect(isProductionConfig({ "paved:environment": "prod", "paved:production": "false" })).to.equal(false);
        expect(isProductionConfig({ "paved:environment": "staging", "paved:production": "true" })).to.equal(true);
    });

    it("declares `production` in every platform policy's configSchema, as the engine requires of config it is given", () => {
        expect(PLATFORM_POLICIES).to.not.be.empty;
        expect(PLATFORM_POLICIES.filter((p) => JSON.stringify(p.configSchema) !== '{"properties":{"production":{"type":"boolean"}}}').map((p) => p.name)).to.deep.equal([]);
    });

    it("reconciles levels as the engine does: `all` over each policy's default, only outside production", () => {
        expect(policyPackConfig(false)).to.include({ all: "advisory" });
        expect(policyPackConfig(true)).to.not.have.property("all");
        const mandatory = { name: "x", enforcementLevel: "mandatory" as const };
        const advisory = { name: "y", enforcementLevel: "advisory" as const };
        expect([enforcementLevelOf(mandatory, true), enforcementLevelOf(mandatory, false), enforcementLevelOf(advisory, true), enforcementLevelOf(advisory, false)]).to.deep.equal([
            "mandatory",
            "advisory",
            "advisory",
            "advisory",
        ]);
    });

    it("paved plan reports the same production flag the driver hands the engine", async function () {
        this.timeout(120_000);
        const plans = [await planStack(REPO_ROOT, "staging"), await planStack(REPO_ROOT, "prod-us-east-1")];
        expect(plans.map((p) => [p.stack, p.production])).to.deep.equal([
            ["staging", false],
            ["prod-us-east-1", true],
        ]);
    });
});
