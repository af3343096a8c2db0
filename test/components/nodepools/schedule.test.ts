import { expect } from "chai";
import { ScheduleArgs, cronDays, resolveSchedule, scheduleProblems } from "../../../components/nodepools/schedule";

const berlin: ScheduleArgs = { timeZone: "Europe/Berlin", days: "Mon-Fri", start: "07:00", end: "20:00" };
const paths = (s: ScheduleArgs) => scheduleProblems(s).list.map((p) => p.propertyPath);

describe("schedule", () => {
    it("turns days and hours into the cron pair both clouds and KEDA take, with weekly on-hours", () => {
        expect(resolveSchedule(berlin)).to.deep.equal({
            timeZone: "Europe/Berlin",
            startCron: "0 7 * * 1-5",
            endCron: "0 20 * * 1-5",
            onHoursPerWeek: 65,
        });
    });

    it("runs a window past midnight into the next day", () => {
        const night = resolveSchedule({ timeZone: "UTC", days: "Mon-Fri", start: "22:30", end: "06:00" });
        expect(night).to.include({ startCron: "30 22 * * 1-5", endCron: "0 6 * * 2-6", onHoursPerWeek: 37.5 });
        const weekend = resolveSchedule({ timeZone: "UTC", days: "Sat-Sun", start: "20:00", end: "08:00" });
        expect(weekend).to.include({ startCron: "0 20 * * 0,6", endCron: "0 8 * * 0,1", onHoursPerWeek: 24 });
    });

    it("measures a cron window, including one already open when the week begins", () => {
        expect(resolveSchedule({ timeZone: "Asia/Tokyo", startCron: "0 8 * * 1,3,5", endCron: "0 18 * * 1,3,5" }).onHoursPerWeek).to.equal(30);
        // Up Friday 18:00 until Monday 06:00: a weekend batch window.
        expect(resolveSchedule({ timeZone: "UTC", startCron: "0 18 * * 5", endCron: "0 6 * * 1" }).onHoursPerWeek).to.equal(60);
    });

    it("reads day names and lists", () => {
        expect(cronDays("Mon-Fri")).to.equal("1-5");
        expect(cronDays("mon, wed,Friday")).to.equal("1,3,5");
        expect(cronDays("Sat-Sun")).to.equal("0,6");
        expect(cronDays("Fri-Mon")).to.equal("0,1,5,6");
        expect(cronDays("Funday")).to.equal(undefined);
    });

    describe("rejects", () => {
        it("an unknown time zone", () => expect(paths({ ...berlin, timeZone: "Europe/Atlantis" })).to.deep.equal(["schedule.timeZone"]));
        it("an invalid start cron", () =>
            expect(paths({ timeZone: "UTC", startCron: "0 25 * * *", endCron: "0 20 * * *" })).to.deep.equal(["schedule.startCron"]));
        it("an invalid end cron", () =>
            expect(paths({ timeZone: "UTC", startCron: "0 7 * * *", endCron: "every evening" })).to.deep.equal(["schedule.endCron"]));
        it("a bad clock time", () => expect(paths({ ...berlin, start: "7am" })).to.deep.equal(["schedule.start"]));
        it("a bad day", () => expect(paths({ ...berlin, days: "Weekdays" })).to.deep.equal(["schedule.days"]));
        it("a schedule with no on-hours at all", () => {
            const problems = scheduleProblems({ timeZone: "UTC", startCron: "0 7 * * 1", endCron: "0 7 * * 1" }).list;
            expect(problems.map((p) => p.propertyPath)).to.deep.equal(["schedule"]);
            expect(problems[0].reason).to.include("never has capacity up");
            expect(paths({ ...berlin, end: "07:00" })).to.deep.equal(["schedule"]);
        });
        it("with a clear reason naming the value and an example", () => {
            const [problem] = scheduleProblems({ ...berlin, timeZone: "Mars/Base" }).list;
            expect(problem.reason).to.equal('got "Mars/Base": expected an IANA time zone, e.g. "Europe/Berlin" or "UTC"');
        });
    });
});
