import { expect } from "chai";
import { openEarlier, resolveSchedule, shiftCron, widenSchedule } from "../../../components/nodepools/schedule";

/**
 * Moving a window's crons by minutes: how the system pool wakes before the app pools and (on GKE)
 * sleeps after them. Every expected cron is worked out by hand from the one given.
 */
describe("schedule: moving a cron by minutes", () => {
    it("moves the time of day, and leaves a cron alone when the move is zero (even one it could not move)", () => {
        expect(shiftCron("0 7 * * 1-5", -15)).to.equal("45 6 * * 1-5");
        expect(shiftCron("45 6 * * 1", 15)).to.equal("0 7 * * 1");
        expect(shiftCron("0 20 * * 1-5", 15)).to.equal("15 20 * * 1-5");
        expect(shiftCron("30 12 * * *", 90)).to.equal("0 14 * * *");
        expect(shiftCron("0,30 7 * * 1-5", 0)).to.equal("0,30 7 * * 1-5");
    });

    it("reads fields separated by any run of white space", () => {
        expect(shiftCron("  0  7 * *\t1-5 ", -15)).to.equal("45 6 * * 1-5");
    });

    it("has no answer for a cron that names no single time of day, or that has not five fields", () => {
        for (const cron of ["*/15 7 * * *", "0,30 7 * * *", "0 7-9 * * *", "0 */2 * * *", "x7 7 * * *", "0 7 * *", "0 7 * * 1-5 2026"]) {
            expect(shiftCron(cron, -15), cron).to.equal(undefined);
        }
    });

    it("moves the days with a time that crosses midnight, Sunday and Saturday wrapping round", () => {
        expect(shiftCron("50 23 * * 1-5", 15)).to.equal("5 0 * * 2-6");
        expect(shiftCron("50 23 * * 6", 15)).to.equal("5 0 * * 0");
        expect(shiftCron("10 0 * * 1-5", -15)).to.equal("55 23 * * 0-4");
        expect(shiftCron("10 0 * * 0", -15)).to.equal("55 23 * * 6");
        // Every day stays every day.
        expect(shiftCron("10 0 * * *", -15)).to.equal("55 23 * * *");
    });

    it("has no answer when the move changes the day of a cron that fixes a date or a month; without a day change it moves", () => {
        expect(shiftCron("10 0 1 * *", -15)).to.equal(undefined);
        expect(shiftCron("10 0 * 6 *", -15)).to.equal(undefined);
        expect(shiftCron("0 7 1 * *", -15)).to.equal("45 6 1 * *");
        expect(shiftCron("0 7 * 6 1", -15)).to.equal("45 6 * 6 1");
    });

    it("widens a window: opened earlier, closed later, with its on-hours measured again; no answer when either cron cannot move", () => {
        const berlin = resolveSchedule({ timeZone: "Europe/Berlin", days: "Mon-Fri", start: "07:00", end: "20:00" });
        // 06:45 to 20:15 on five days: 13.5 h × 5.
        expect(widenSchedule(berlin, 15, 15)).to.deep.equal({ timeZone: "Europe/Berlin", startCron: "45 6 * * 1-5", endCron: "15 20 * * 1-5", onHoursPerWeek: 67.5 });
        expect(openEarlier(berlin, 15)).to.deep.equal({ timeZone: "Europe/Berlin", startCron: "45 6 * * 1-5", endCron: "0 20 * * 1-5", onHoursPerWeek: 66.25 });
        const halfHours = resolveSchedule({ timeZone: "UTC", startCron: "0,30 7 * * 1-5", endCron: "0 20 * * 1-5" });
        expect(widenSchedule(halfHours, 15)).to.equal(undefined);
        const halfHourEnds = resolveSchedule({ timeZone: "UTC", startCron: "0 7 * * 1-5", endCron: "0,30 20 * * 1-5" });
        // Not closed later, the end cron need not move.
        expect(widenSchedule(halfHourEnds, 15)).to.include({ startCron: "45 6 * * 1-5", endCron: "0,30 20 * * 1-5" });
        expect(widenSchedule(halfHourEnds, 15, 15)).to.equal(undefined);
        expect(widenSchedule(halfHourEnds, 0, 15)).to.equal(undefined);
    });
});
