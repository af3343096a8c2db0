import { expect } from "chai";
import { parse } from "yaml";
import * as fs from "node:fs";
import * as path from "node:path";
import { awsTagProblems, awsTags, gcpLabels, validateCostTags } from "../../components/tags";
import { REPO_ROOT } from "../harness";

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

describe("AWS tag rules (the strictest of IAM, CloudWatch Logs, EC2, S3, KMS, EKS)", () => {
    it("refuses '#' in a tag value, as IAM does ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*), naming the config key", () => {
        expect(awsTagProblems({ "team-channel": "#platform" }, {})).to.deep.equal([{
            propertyPath: "tags.team-channel",
            reason: 'got "#platform": a tag value is at most 256 letters, digits, spaces and _ . : / = + - @ (IAM and CloudWatch Logs refuse anything else); e.g. "platform" instead of "#platform"',
        }]);
    });

    it("accepts what the IAM tag pattern allows and refuses the rest, in keys and values", () => {
        // Examples written from the IAM User Guide's tag naming rules, not from the implementation.
        const allowed = ["platform", "Platform Team", "cc/1001", "a=b+c-d@e.f:g_h", "über-team", "チーム", "2026"];
        const refused = ["#platform", "a,b", "x*", "<team>", "50%", "café!", "tab\there"];
        expect(allowed.flatMap((v) => awsTagProblems({ k: v }, {}))).to.deep.equal([]);
        expect(refused.map((v) => awsTagProblems({ k: v }, {}).length)).to.deep.equal([1, 1, 1, 1, 1, 1, 1]);
        expect(awsTagProblems({ "#k": "v" }, {}).map((p) => p.propertyPath)).to.deep.equal(["tags.#k"]);
    });

    it("refuses the reserved aws: prefix, keys over 128 and values over 256 characters, and more than 50 tags with the platform's four", () => {
        expect(awsTagProblems({ "AWS:team": "x" }, {}).map((p) => p.reason)).to.deep.equal(['got key "AWS:team": the "aws:" prefix is reserved for AWS; e.g. "team-channel"']);
        expect(awsTagProblems({ ["k".repeat(128)]: "v".repeat(256) }, {})).to.deep.equal([]);
        expect(awsTagProblems({ ["k".repeat(129)]: "v" }, {})).to.have.length(1);
        expect(awsTagProblems({ k: "v".repeat(257) }, {})).to.have.length(1);
        const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, "v"]));
        expect(awsTagProblems(tags(46), {})).to.deep.equal([]);
        expect(awsTagProblems(tags(47), {}).map((p) => p.propertyPath)).to.deep.equal(["tags"]);
    });

    it("checks the platform's own tag values too (owner, cost centre, environment), under their keys", () => {
        expect(awsTagProblems({}, { owner: "Platform <Team>", costCenter: "cc-1", environment: "dev" }).map((p) => p.propertyPath)).to.deep.equal(["owner"]);
    });

    it("passes every shipped AWS stack's tags", () => {
        const files = fs.readdirSync(REPO_ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
        const aws = files.map((f) => (parse(fs.readFileSync(path.join(REPO_ROOT, f), "utf8")) as { config: Record<string, unknown> }).config).filter((c) => c["paved:cloud"] === "aws");
        expect(aws.length).to.be.at.least(6);
        const problems = aws.flatMap((c) => awsTagProblems((c["paved:tags"] ?? {}) as Record<string, string>, { environment: c["paved:environment"], owner: c["paved:owner"], costCenter: c["paved:costCenter"] }));
        expect(problems).to.deep.equal([]);
        // The tag that used to be shipped, and which IAM refuses, is gone from dev and staging.
        expect(aws.filter((c) => (c["paved:tags"] as Record<string, string> | undefined)?.["team-channel"] === "platform")).to.have.length(2);
    });
});
