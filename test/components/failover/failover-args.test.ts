import { expect } from "chai";
import { FailoverArgs, failoverBoundSeconds, resolveFailoverArgs } from "../../../components/failover/failover-args";

const tags = { environment: "prod", owner: "platform-team", costCenter: "cc-1000" };
const args: FailoverArgs = {
    domain: "paved.example.com",
    primary: { region: "us-east-1", gateway: "a.example.com" },
    standby: { region: "us-west-2", gateway: "b.example.com" },
    tags,
};
const cloud = { intervals: (s: number) => s === 10 || s === 30, intervalHint: "every 10 or 30 seconds, e.g. 10", defaultInterval: 10 };
const resolve = (change: Partial<FailoverArgs>) => resolveFailoverArgs({ ...args, ...change }, cloud);
const problems = (change: Partial<FailoverArgs>) => resolve(change).problems.list.map((p) => `${p.propertyPath}: ${p.reason}`);
const paths = (change: Partial<FailoverArgs>) => resolve(change).problems.list.map((p) => p.propertyPath);

describe("failover arguments", () => {
    it("defaults: only the health record, the cloud's interval, 3 failures, a 30 s TTL, no drill", () => {
        const { resolved, problems: found } = resolve({});
        expect(found.list).to.deep.equal([]);
        expect(resolved).to.deep.equal({ records: ["health"], intervalSeconds: 10, failureThreshold: 3, ttlSeconds: 30, drill: false });
    });

    it("keeps health first and each record once, and takes every setting given", () => {
        const { resolved } = resolve({ records: ["shop", "health", "shop", "api"], healthCheck: { intervalSeconds: 30, failureThreshold: 2 }, ttlSeconds: 60, drill: true });
        expect(resolved).to.deep.equal({ records: ["health", "shop", "api"], intervalSeconds: 30, failureThreshold: 2, ttlSeconds: 60, drill: true });
    });

    it("accepts one-character labels and regions", () => {
        expect(paths({ records: ["a"], primary: { region: "x", gateway: "a.example.com" } })).to.deep.equal([]);
    });

    it("refuses a domain that is not a lowercase DNS name, or missing", () => {
        expect(problems({ domain: "Paved.example.com" })).to.deep.equal(['domain: got "Paved.example.com": a lowercase DNS name, e.g. "paved.example.com"']);
        expect(paths({ domain: "paved.example.com!" })).to.deep.equal(["domain"]);
        expect(paths({ domain: "localhost" })).to.deep.equal(["domain"]);
        expect(problems({ domain: undefined })).to.deep.equal(['domain: got nothing: a lowercase DNS name, e.g. "paved.example.com"']);
    });

    it("refuses a region that is not a region name, and a missing region or role, without throwing", () => {
        expect(problems({ primary: { region: "US East", gateway: "a" } })).to.deep.equal(['primary.region: got "US East": a region name, e.g. "us-east-1"']);
        expect(paths({ standby: { region: "-west", gateway: "b" } })).to.deep.equal(["standby.region"]);
        expect(paths({ standby: { region: "west-", gateway: "b" } })).to.deep.equal(["standby.region"]);
        expect(problems({ primary: undefined })).to.deep.equal(['primary.region: got nothing: a region name, e.g. "us-east-1"']);
        expect(problems({ standby: undefined })).to.deep.equal(['standby.region: got nothing: a region name, e.g. "us-east-1"']);
        expect(problems({ standby: { region: 42 as unknown as string, gateway: "b" } })).to.deep.equal(["standby.region: got 42: a region name, e.g. \"us-east-1\""]);
    });

    it("refuses the standby in the primary's region", () => {
        expect(problems({ standby: { region: "us-east-1", gateway: "b" } })).to.deep.equal([
            'standby.region: got "us-east-1", the primary\'s region too: failover needs a second region, e.g. "us-west-2"',
        ]);
    });

    it("refuses a record that is not one DNS label, naming its index among the resolved records", () => {
        expect(problems({ records: ["shop", "Shop!"] })).to.deep.equal(['records[2]: got "Shop!": one DNS label under the domain, e.g. "shop"']);
        expect(paths({ records: ["-shop", "shop-", "a.b"] })).to.deep.equal(["records[1]", "records[2]", "records[3]"]);
    });

    it("refuses an interval the cloud does not offer, a fraction, a threshold outside 1–10 and a TTL outside 0–3600", () => {
        expect(problems({ healthCheck: { intervalSeconds: 15 } })).to.deep.equal(["healthCheck.intervalSeconds: got 15: every 10 or 30 seconds, e.g. 10"]);
        expect(paths({ healthCheck: { intervalSeconds: 10.5 } })).to.deep.equal(["healthCheck.intervalSeconds"]);
        expect(paths({ healthCheck: { failureThreshold: 11 } })).to.deep.equal(["healthCheck.failureThreshold"]);
        expect(paths({ ttlSeconds: 3601 })).to.deep.equal(["ttlSeconds"]);
        expect(paths({ ttlSeconds: 0, healthCheck: { failureThreshold: 10 } })).to.deep.equal([]);
    });

    it("lists cost-tag problems with the rest", () => {
        expect(paths({ tags: { ...tags, owner: "" }, ttlSeconds: -1 })).to.deep.equal(["tags.owner", "ttlSeconds"]);
    });

    it("bounds a real failover at interval × threshold + TTL", () => {
        expect(failoverBoundSeconds({ intervalSeconds: 10, failureThreshold: 3, ttlSeconds: 30 })).to.equal(60);
        expect(failoverBoundSeconds({ intervalSeconds: 30, failureThreshold: 2, ttlSeconds: 60 })).to.equal(120);
    });
});
