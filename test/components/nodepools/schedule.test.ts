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

    it("runs past midnight by the clock, not by the hour alone: 06:20–06:10 wraps, 06:10–06:20 does not", () => {
        expect(resolveSchedule({ timeZone: "UTC", days: "Mon", start: "06:10", end: "06:20" })).to.deep.equal({ timeZone: "UTC", startCron: "10 6 * * 1", endCron: "20 6 * * 1", onHoursPerWeek: 0.17 });
        expect(resolveSchedule({ timeZone: "UTC", days: "Mon", start: "06:20", end: "06:10" })).to.include({ startCron: "20 6 * * 1", endCron: "10 6 * * 2", onHoursPerWeek: 23.83 });
    });

    it("counts a window whose starts outnumber its ends from the first start after the last end", () => {
        // Up every day at 07:00, down only on Mondays at 20:00: Mon 00:00–20:00, then Tue 07:00 to the week's end.
        expect(resolveSchedule({ timeZone: "UTC", startCron: "0 7 * * *", endCron: "0 20 * * 1" }).onHoursPerWeek).to.equal(157);
    });

    it("throws from resolveSchedule what scheduleProblems reports, naming the component", () => {
        expect(() => resolveSchedule({ ...berlin, start: "25:00" })).to.throw(/^schedule has 1 invalid argument\(s\):\n {2}- schedule\.start: got "25:00"/);
    });

    describe("rejects", () => {
        it("a time zone that is missing or not a string", () => {
            expect(paths({ ...berlin, timeZone: undefined as unknown as string })).to.deep.equal(["schedule.timeZone"]);
            expect(paths({ ...berlin, timeZone: "" })).to.deep.equal(["schedule.timeZone"]);
            expect(paths({ ...berlin, timeZone: 1 as unknown as string })).to.deep.equal(["schedule.timeZone"]);
        });
        it("a day range of three ends, or with one end that is not a day", () => {
            expect(cronDays("Mon-Wed-Fri")).to.equal(undefined);
            expect(cronDays("Mon-Funday")).to.equal(undefined);
            expect(scheduleProblems({ ...berlin, days: "Mon-Wed-Fri" }).list).to.deep.equal([
                { propertyPath: "schedule.days", reason: 'got "Mon-Wed-Fri": name days or ranges of days, e.g. "Mon-Fri" or "Mon,Wed,Fri"' },
            ]);
        });
        it("missing days, start and end, each by name, without throwing", () => {
            expect(scheduleProblems({ timeZone: "UTC" } as ScheduleArgs).list).to.deep.equal([
                { propertyPath: "schedule.days", reason: 'got nothing: name days or ranges of days, e.g. "Mon-Fri" or "Mon,Wed,Fri"' },
                { propertyPath: "schedule.start", reason: 'got nothing: expected a 24-hour time "HH:MM", e.g. "07:00"' },
                { propertyPath: "schedule.end", reason: 'got nothing: expected a 24-hour time "HH:MM", e.g. "20:00"' },
            ]);
            expect(paths({ ...berlin, days: 5 as unknown as string })).to.deep.equal(["schedule.days"]);
        });
        it("clock times with anything before or after HH:MM, or past 23:59", () => {
            expect(paths({ ...berlin, start: "x07:00" })).to.deep.equal(["schedule.start"]);
            expect(paths({ ...berlin, end: "20:00x" })).to.deep.equal(["schedule.end"]);
            expect(paths({ ...berlin, end: "24:00" })).to.deep.equal(["schedule.end"]);
            expect(paths({ ...berlin, start: "7:00" })).to.deep.equal(["schedule.start"]);
        });
        it("a cron window with only one of its two crons, naming the missing one", () => {
            expect(paths({ timeZone: "UTC", startCron: "0 7 * * *" } as ScheduleArgs)).to.deep.equal(["schedule.endCron"]);
            expect(paths({ timeZone: "UTC", endCron: "0 20 * * *" } as ScheduleArgs)).to.deep.equal(["schedule.startCron"]);
            expect(scheduleProblems({ timeZone: "UTC", startCron: "0 7 * * *" } as ScheduleArgs).list[0].reason)
                .to.equal('got nothing: not a valid cron expression (a cron expression is a string); e.g. "0 7 * * 1-5"');
        });
        it("a start equal to the end, saying so", () => {
            expect(scheduleProblems({ ...berlin, end: "07:00" }).list).to.deep.equal([{
                propertyPath: "schedule",
                reason: 'got start "07:00" = end "07:00": the window never has capacity up; give it on-hours, e.g. { days: "Mon-Fri", start: "07:00", end: "20:00" }',
            }]);
        });
        it("a bad cron with the parser's reason and an example", () => {
            const [problem] = scheduleProblems({ timeZone: "UTC", startCron: "0 7 * * *", endCron: "every evening" }).list;
            expect(problem.reason).to.match(/^got "every evening": not a valid cron expression \(.+\); e\.g\. "0 7 \* \* 1-5"$/);
        });
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
