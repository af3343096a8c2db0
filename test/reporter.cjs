// Mocha's spec reporter plus one plain closing line ("N passed, N failed, N skipped") that CI
// systems read without knowing mocha's own summary format. It also keeps how long each file's tests
// and hooks took (node_modules/.cache/paved-road/test-times.json): npm test starts the longest first,
// so a slow file does not begin last and run alone while the other workers sit idle.
const fs = require("node:fs");
const path = require("node:path");
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_TEST_END, EVENT_HOOK_END } = Mocha.Runner.constants;
const TIMES = path.join(__dirname, "..", "node_modules", ".cache", "paved-road", "test-times.json");

class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        const times = {};
        const count = (runnable) => {
            if (!runnable.file || typeof runnable.duration !== "number") return;
            const file = path.relative(path.join(__dirname, ".."), runnable.file);
            times[file] = (times[file] ?? 0) + runnable.duration;
        };
        runner.on(EVENT_TEST_END, count);
        runner.on(EVENT_HOOK_END, count);
        runner.once(EVENT_RUN_END, () => {
            try {
                const kept = fs.existsSync(TIMES) ? JSON.parse(fs.readFileSync(TIMES, "utf8")) : {};
                fs.mkdirSync(path.dirname(TIMES), { recursive: true });
                fs.writeFileSync(TIMES, JSON.stringify({ ...kept, ...times }, null, 1));
            } catch {
                // Only a hint for the order of the next run.
            }
            const { passes, failures, pending } = runner.stats;
            console.log(`tests: ${passes} passed, ${failures} failed, ${pending} skipped`);
        });
    }
}

module.exports = SpecWithTotals;
