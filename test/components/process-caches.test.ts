import { expect } from "chai";
import { forgetProcessCaches, processCache } from "../../components/process-caches";

describe("process caches", () => {
    it("hands back the cache it is given, and forgets what every registered cache holds", () => {
        const hours = new Map([["Mon-Fri 07:00-20:00", 65]]);
        const zones = new Set(["Europe/Berlin"]);
        expect(processCache(hours)).to.equal(hours);
        expect(processCache(zones)).to.equal(zones);
        const unregistered = new Set(["UTC"]);
        forgetProcessCaches();
        expect([hours.size, zones.size, unregistered.size]).to.deep.equal([0, 0, 1]);
    });
});
