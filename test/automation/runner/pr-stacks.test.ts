import { expect } from "chai";
import { RunnerUsageError, assertDestroyAllowed, isPrStack, prStackName, sweepSelection } from "../../../automation/runner/pr-stacks";

/** Names that look like a PR stack and are not one: each would let a PR command or a sweep touch a stack it must not. */
const HOSTILE = [
    "pr-1-prod", "pr-01", "pr-0", "pr-00", "xpr-1", "pr-1\n", "\npr-1", "pr-1 ", " pr-1", "PR-1", "pr-", "pr", "pr--1",
    "pr-+1", "pr-1.5", "pr-1e3", "pr-0x1", "pr_1", "pr-1/prod", "prod", "prod-us-east-1", "pr-١", "pr-1\u0000",
];

describe("PR stacks (pr-<n>)", () => {
    it("recognises pr-<n> for a positive whole n without leading zeros", () => {
        expect(["pr-1", "pr-9", "pr-10", "pr-100", "pr-123456"].filter(isPrStack)).to.deep.equal(["pr-1", "pr-9", "pr-10", "pr-100", "pr-123456"]);
    });

    it("recognises none of the hostile look-alikes", () => {
        expect(HOSTILE).to.have.length(23);
        expect(HOSTILE.filter(isPrStack)).to.deep.equal([]);
    });

    it("names the stack of a PR number, refusing anything but a positive whole number with a usage error naming it", () => {
        expect(prStackName("1")).to.equal("pr-1");
        expect(prStackName("4021")).to.equal("pr-4021");
        const refused = ["0", "01", "-3", "+1", "1.0", "1e3", "0x1", "", " 1", "1\n", "12a", "pr-1"].filter((pr) => {
            try {
                prStackName(pr);
                return false;
            } catch (e) {
                expect(e).to.be.instanceOf(RunnerUsageError);
                expect((e as Error).message).to.equal(`got PR number "${pr}": a positive whole number, e.g. paved pr up 123`);
                return true;
            }
        });
        expect(refused).to.have.length(12);
    });

    describe("destroy guard", () => {
        it("lets a PR stack go without confirmation", () => {
            expect(() => assertDestroyAllowed("pr-5", [])).to.not.throw();
        });

        it("refuses any other stack, hostile look-alikes included, naming the exact flag that would confirm it", () => {
            expect(() => assertDestroyAllowed("prod-us-east-1", [])).to.throw(RunnerUsageError,
                "refusing to destroy prod-us-east-1: it is not a PR stack; to destroy it anyway pass --yes-destroy-prod-us-east-1");
            expect(() => assertDestroyAllowed("pr-1-prod", [])).to.throw(RunnerUsageError, "--yes-destroy-pr-1-prod");
            expect(() => assertDestroyAllowed("pr-01", ["--yes-destroy-pr-1"])).to.throw(RunnerUsageError, "refusing to destroy pr-01");
        });

        it("accepts a stack's own confirmation flag only, not another stack's or a prefix of it", () => {
            expect(() => assertDestroyAllowed("staging", ["--yes-destroy-staging"])).to.not.throw();
            expect(() => assertDestroyAllowed("prod", ["--yes-destroy-prod-us-east-1"])).to.throw(RunnerUsageError);
            expect(() => assertDestroyAllowed("prod-us-east-1", ["--yes-destroy-prod"])).to.throw(RunnerUsageError);
            expect(() => assertDestroyAllowed("staging", ["--yes-destroy"])).to.throw(RunnerUsageError);
        });
    });

    describe("sweep selection", () => {
        const now = new Date("2026-11-25T12:00:00Z");
        const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

        it("never selects a stack that is not pr-<n>, however old or closed", () => {
            const stacks = HOSTILE.map((stack) => ({ stack, createdAt: hoursAgo(10_000) }));
            expect(sweepSelection(stacks, { ttl: "1h", now, open: [] })).to.deep.equal([]);
        });

        it("selects a PR stack older than the TTL, not one exactly at it or younger, and sorts what it selects", () => {
            const stacks = [
                { stack: "pr-3", createdAt: hoursAgo(73) }, { stack: "pr-1", createdAt: hoursAgo(72) },
                { stack: "pr-2", createdAt: hoursAgo(71) }, { stack: "pr-10", createdAt: hoursAgo(100) },
            ];
            expect(sweepSelection(stacks, { ttl: "72h", now })).to.deep.equal(["pr-10", "pr-3"]);
            expect(sweepSelection(stacks, { ttl: "3d", now })).to.deep.equal(["pr-10", "pr-3"]);
            expect(sweepSelection(stacks, { ttl: "1w", now })).to.deep.equal([]);
        });

        it("selects a PR whose number is not in the open list, whatever its age; keeps an untagged open one", () => {
            const stacks = [{ stack: "pr-1" }, { stack: "pr-2" }, { stack: "pr-3", createdAt: "not a date" }, { stack: "pr-12", createdAt: hoursAgo(1) }];
            expect(sweepSelection(stacks, { ttl: "72h", now, open: [1, 3] })).to.deep.equal(["pr-12", "pr-2"]);
            expect(sweepSelection(stacks, { ttl: "72h", now })).to.deep.equal([]);
        });

        it("matches the open list by the whole PR number, not a digit of it", () => {
            expect(sweepSelection([{ stack: "pr-12" }, { stack: "pr-1" }], { ttl: "72h", now, open: [1] })).to.deep.equal(["pr-12"]);
        });

        it("refuses a TTL that is not a duration with a usage error naming it", () => {
            expect(() => sweepSelection([], { ttl: "three days", now })).to.throw(RunnerUsageError, 'got TTL "three days": a duration, e.g. 72h or 3d');
            expect(() => sweepSelection([], { ttl: "", now })).to.throw(RunnerUsageError, 'got TTL ""');
        });
    });
});
