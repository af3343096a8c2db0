// Mocha's spec reporter plus one plain closing line ("N passed, N failed, N skipped") that CI
// systems read without knowing mocha's own summary format.
const Mocha = require("mocha");

class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const { passes, failures, pending } = runner.stats;
            console.log(`tests: ${passes} passed, ${failures} failed, ${pending} skipped`);
        });
    }
}

module.exports = SpecWithTotals;
