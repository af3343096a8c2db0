/**
 * Loaded only by StrykerJS (stryker.config.json), for its per-test coverage.
 *
 * Stryker's mocha runner marks the running test in a root beforeEach and never clears the mark, so
 * code that a describe's before() hook runs (most component tests build their program there) would
 * count as covered by whichever test ran last, in another describe; that test, run alone for the
 * mutant, never runs the hook, and the mutant would "survive" untested. Here the code run between
 * two tests is collected apart and credited to every test of the describe blocks being entered,
 * which do run the hook when Stryker selects them.
 *
 * Before each test it also empties the process caches (components/process-caches.ts): Stryker runs
 * many mutants in one process, and an answer cached under another mutant would decide this one.
 */
import type { Context, Suite, Test } from "mocha";
import { forgetProcessCaches } from "../components/process-caches";

interface StrykerGlobal {
    currentTestId?: string;
    mutantCoverage?: { perTest?: Record<string, Record<string, number>> };
}

const WINDOW = "stryker-hook-window-";
let window = 0;
let previous: Test | undefined;

const stryker = (): StrykerGlobal | undefined => (globalThis as { __stryker__?: StrykerGlobal }).__stryker__;

/** The outermost suite around `test` that does not also hold `before`: the one being entered. */
function enteredSuite(test: Test, before: Test | undefined): Suite | undefined {
    const around = new Set<Suite>();
    for (let s = before?.parent; s; s = s.parent) around.add(s);
    let entered: Suite | undefined;
    for (let s = test.parent; s && !around.has(s); s = s.parent) entered = s;
    return entered;
}

function openWindow(): void {
    const ns = stryker();
    if (ns) ns.currentTestId = `${WINDOW}${++window}`;
}

/** Credits what ran since the last test (hooks of the describe blocks now entered) to the tests of those blocks. */
function creditWindow(test: Test): void {
    const ns = stryker();
    const key = ns?.currentTestId;
    const perTest = ns?.mutantCoverage?.perTest;
    if (!key?.startsWith(WINDOW) || !perTest?.[key]) return;
    const covered = perTest[key];
    delete perTest[key];
    const suite = enteredSuite(test, previous);
    const tests: string[] = [];
    if (suite) suite.eachTest((t) => void tests.push(t.fullTitle()));
    else tests.push(test.fullTitle());
    for (const id of tests) {
        const mine = (perTest[id] ??= {});
        for (const [mutant, hits] of Object.entries(covered)) mine[mutant] = (mine[mutant] ?? 0) + hits;
    }
}

/**
 * `PAVED_MUTATE_RETRIES=n` (scripts/mutate.mjs sets it for the drill group): each test gets n more
 * tries, so a wall-clock rehearsal that flakes on a loaded machine is not taken for a kill; a mutant
 * is killed only when its test fails n + 1 times running.
 */
function retryFlakes(root: Suite | undefined): void {
    const retries = Number(process.env.PAVED_MUTATE_RETRIES ?? 0);
    if (root && retries > 0) root.eachTest((t) => void t.retries(retries));
}

export const mochaHooks = {
    beforeAll(this: Context): void {
        retryFlakes(this.test?.parent);
        openWindow();
    },
    beforeEach(this: Context): void {
        // Each test works its answers out under the mutant now active, not from another run's cache.
        forgetProcessCaches();
        const test = this.currentTest;
        if (!test) return;
        creditWindow(test);
        previous = test;
    },
    afterEach(): void {
        openWindow();
    },
};
