import { expect } from "chai";
import { loadStackConfig } from "../../stacks/config";
import { loadAnyStackConfig } from "../../stacks/config-load";
import { loadGlobalConfig } from "../../stacks/global-config";
import { readStackConfig } from "../../automation/offline/stack-file";
import { REPO_ROOT } from "../harness";

/*
 * Valid configs at the edges of the rules (issue #15): the new checks must not refuse them.
 */
const file = (stack: string) => readStackConfig(REPO_ROOT, stack).config;
const peerConfig = (stack: string) => {
    try {
        return file(stack);
    } catch {
        return undefined;
    }
};
const json = (value: unknown) => JSON.stringify(value);

describe("valid edge cases the config checks accept", () => {
    it("an on-hours window past midnight, in both forms", () => {
        const night = loadStackConfig({ ...file("dev"), "paved:schedule": json({ timeZone: "Europe/Berlin", days: "Mon-Fri", start: "20:00", end: "04:00" }) }, { stack: "dev" });
        expect(night.schedule).to.deep.equal({ timeZone: "Europe/Berlin", days: "Mon-Fri", start: "20:00", end: "04:00" });
        const cron = loadStackConfig({ ...file("dev"), "paved:schedule": json({ timeZone: "UTC", startCron: "0 22 * * 0-4", endCron: "0 6 * * 1-5" }) }, { stack: "dev" });
        expect(cron.schedule).to.deep.equal({ timeZone: "UTC", startCron: "0 22 * * 0-4", endCron: "0 6 * * 1-5" });
    });

    it("the largest legal sizes: zones the region has, pool size 1000, 46 extra tags of the longest key and value AWS allows, a 20-character environment name", () => {
        const tags = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`${String(i).padStart(2, "0")}${"k".repeat(126)}`, "v".repeat(256)]));
        const config = loadStackConfig(
            {
                ...file("dev"),
                "paved:region": "us-east-1",
                "paved:tags": json(tags),
                "paved:cluster": json({ kubernetesVersion: "1.35", vpcCidr: "10.0.0.0/16", availabilityZoneCount: 6, logRetentionDays: 3653, systemPool: { minSize: 1000, maxSize: 1000 } }),
                "paved:nodePools": json([{ name: "a".repeat(26), instanceTypes: ["m6i.large", "m6a.large", "m7i.large"], maxSize: 1000, minSize: 1000, nodes: 1000 }]),
                "paved:scaleToZero": json([]),
            },
            { stack: "dev" },
        );
        expect(Object.keys(config.tags.extra ?? {})).to.have.length(46);
        expect(config.cluster).to.deep.include({ availabilityZoneCount: 6, logRetentionDays: 3653 });
        expect(config.nodePools.map((p) => [p.name, p.maxSize])).to.deep.equal([["a".repeat(26), 1000]]);
        const local = loadAnyStackConfig({ ...file("local"), "paved:environment": "abcdefghij0123456789" }, { stack: "local", peerConfig });
        expect(local.environment).to.equal("abcdefghij0123456789");
    });

    it("the largest legal failover settings: warm floor 10, threshold 10, TTL an hour", () => {
        const standby = loadStackConfig({ ...file("prod-us-west-2"), "paved:failover": json({ role: "standby", warmFloor: 10 }) }, { stack: "prod-us-west-2" });
        expect(standby.failover).to.deep.equal({ role: "standby", promoted: false, warmFloor: 10 });
        const global = loadGlobalConfig({ ...file("prod-global"), "paved:global": json({ primary: "prod-us-east-1", standby: "prod-us-west-2", healthCheck: { intervalSeconds: 30, failureThreshold: 10 }, ttlSeconds: 3600 }) }, { stack: "prod-global", peerConfig });
        expect(global).to.deep.include({ healthCheck: { intervalSeconds: 30, failureThreshold: 10 }, ttlSeconds: 3600 });
    });

    it("the pr template's copies: pr-<n> stacks with the template's config", () => {
        for (const stack of ["pr", "pr-1", "pr-4711"]) {
            const config = loadAnyStackConfig(file("pr"), { stack, peerConfig });
            expect(config).to.deep.include({ stack, role: "preview", clusterStack: "dev" });
        }
        expect(loadAnyStackConfig(file("pr"), { stack: "pr-4711", peerConfig })).to.deep.include({ pr: 4711 });
    });

    it("a promoted standby: its declared capacity, and the global stack still accepts it as the standby", () => {
        const promoted = { ...file("prod-us-west-2"), "paved:failover": json({ role: "standby", promoted: true }) };
        const config = loadStackConfig(promoted, { stack: "prod-us-west-2" });
        expect(config.failover).to.deep.equal({ role: "standby", promoted: true, warmFloor: 1 });
        // Not warm: the pool keeps what the file declares (minSize 2, nodes 4), the primary's capacity.
        expect(config.nodePools.map((p) => [p.name, p.minSize, p.nodes, p.maxSize])).to.deep.equal([["apps", 2, 4, 12]]);
        const global = loadGlobalConfig(file("prod-global"), { stack: "prod-global", peerConfig: (s) => (s === "prod-us-west-2" ? promoted : peerConfig(s)) });
        expect(global.standby).to.deep.equal({ stack: "prod-us-west-2", region: "us-west-2" });
    });

    it("every shipped stack file passes every check, tag rules included", () => {
        const stacks = ["dev", "dev-gcp", "local", "pr", "prod-global", "prod-us-east-1", "prod-us-west-2", "staging"];
        const roles = stacks.map((stack) => loadAnyStackConfig(file(stack), { stack, peerConfig }).role);
        expect(roles).to.deep.equal(["regional", "regional", "local", "preview", "global", "regional", "regional", "regional"]);
    });
});
