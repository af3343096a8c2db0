import { expect } from "chai";
import { awsTags, gcpLabels, validateCostTags } from "../../components/tags";

const tags = { environment: "prod", owner: "Platform Team", costCenter: "CC/1001", extra: { "Team.Channel": "#platform" } };

describe("cost tags", () => {
    it("merges the user's tags under the four platform tags", () => {
        expect(awsTags(tags)).to.deep.equal({
            "Team.Channel": "#platform",
            environment: "prod",
            owner: "Platform Team",
            "cost-center": "CC/1001",
            "managed-by": "paved-road",
        });
    });

    it("makes GCP labels label-safe: lowercase, [a-z0-9_-], keys starting with a letter", () => {
        expect(gcpLabels({ ...tags, extra: { "Team.Channel": "#platform", "1st": "x".repeat(70) } })).to.deep.equal({
            "team-channel": "-platform",
            "k-1st": "x".repeat(63),
            environment: "prod",
            owner: "platform-team",
            "cost-center": "cc-1001",
            "managed-by": "paved-road",
        });
    });

    it("requires environment, owner and cost centre, and refuses to let user tags override them", () => {
        const problems = validateCostTags({ environment: "", owner: " ", costCenter: "cc", extra: { owner: "me" } }).list;
        expect(problems.map((p) => p.propertyPath)).to.deep.equal(["tags.environment", "tags.owner", "tags.extra.owner"]);
        expect(problems[0].reason).to.include('got ""').and.include('environment: "dev"');
    });
});
