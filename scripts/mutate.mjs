#!/usr/bin/env node
// `npm run mutate`: StrykerJS over the safety-critical modules (stryker.config.json), one group of
// modules at a time, each with only the specs that exercise it. A mutant in module-level code (a
// pattern, a default) needs a fresh process and every spec of its run; per group that is a small
// suite, not the whole one. Prints the score per module and in total, and fails under the config's
// thresholds.break. `npm run mutate -- core policy` runs some groups; `-- --force` ignores the
// incremental results (reports/stryker-incremental-<group>.json).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const REPORTS = path.join(ROOT, "reports", "mutation");

export const GROUPS = {
    core: {
        mutate: [
            "automation/runner/pr-stacks.ts", "components/delivery/analysis.ts", "components/delivery/canary-spec.ts",
            "components/failover/**/*.ts", "!components/failover/index.ts", "components/vault/policy.ts", "components/nodepools/schedule.ts",
        ],
        spec: [
            "test/automation/runner/pr-stacks.test.ts", "test/automation/runner/pr-commands.test.ts",
            "test/components/delivery/canary-analysis-prometheus.test.ts", "test/components/delivery/progressive-delivery.test.ts",
            "test/components/delivery/canary-spec.test.ts", "test/components/failover/**/*.test.ts", "test/components/vault/**/*.test.ts",
            "test/components/nodepools/schedule.test.ts", "test/components/nodepools/workload-schedule.test.ts",
            // shiftCron and widenSchedule (the system pool's early wake and late sleep). Not sleep.test.ts, which
            // works out its schedules while mocha collects the tests and so would make them module-level mutants.
            "test/components/nodepools/shift-cron.test.ts",
        ],
    },
    telemetry: {
        mutate: ["components/observability/telemetry-buckets.ts"],
        spec: ["test/components/observability/observability-stack.test.ts", "test/components/observability/telemetry-buckets.test.ts"],
    },
    policy: {
        // index.ts and exports.ts are the pack's and the package's entry points (no rules); taggable-types.ts is generated.
        mutate: ["policy/**/*.ts", "!policy/index.ts", "!policy/exports.ts", "!policy/taggable-types.ts", "!policy/generate-taggable-types.ts"],
        first: ["test/policy/policy-verdicts.test.ts", "test/policy/taggable-scan.test.ts"],
        // policy-config checks every policy's configSchema, which the engine requires of the config it is given.
        spec: ["test/policy/**/*.test.ts", "test/automation/driver/policy-config.test.ts"],
    },
    drift: {
        mutate: ["automation/runner/drift.ts"],
        // engine-drift feeds the report the engine's own refresh-preview events.
        spec: ["test/automation/runner/drift*.test.ts", "test/automation/driver/engine-drift.test.ts"],
        first: ["test/automation/runner/drift-report.test.ts", "test/automation/runner/drift.test.ts"],
    },
    drill: {
        // bench-drill.ts is `npm run bench`'s figures, not a safety path; the runner's drill command
        // (flags, exit codes, --resume) is.
        mutate: ["automation/drill/**/*.ts", "!automation/drill/bench-drill.ts", "automation/runner/drill-command.ts"],
        spec: ["test/automation/drill/**/*.test.ts"],
        first: [
            "test/automation/drill/timeline-svg.test.ts", "test/automation/drill/drill-report-markdown.test.ts", "test/automation/drill/drill-flags.test.ts",
            "test/automation/drill/drill-lock-and-journal.test.ts", "test/automation/drill/drill-probes-and-stops.test.ts", "test/automation/drill/latency.test.ts",
            "test/automation/drill/drill-virtual-clock.test.ts", "test/automation/drill/drill-virtual-paths.test.ts", "test/automation/drill/rehearsal-router.test.ts",
            "test/automation/drill/rehearsal-world-file.test.ts", "test/automation/drill/drill-command-in-process.test.ts",
        ],
        // The rehearsals wait on a scaled clock: a test runner sits at about a tenth of a core, so four
        // share the machine no more than one CPU-bound group does. They also run on the wall clock, so
        // on a loaded machine one can flake: each test gets two more tries (test/stryker-root-hooks.ts),
        // and a mutant is killed only by a test that fails three times running.
        concurrency: 4,
        retries: 2,
        // Left out: the tests that drive the CLI as a child process (a child never runs a mutant: Stryker
        // activates it in its own test process) and the shipped-stacks rehearsal at 100× time. All wait
        // on the wall clock, fail three times running on a loaded machine, and so stop the whole run.
        grep: "/^(?!.*(SIGKILL mid-update|two drills started at once|through the real binary|rehearses the shipped stacks on loopback)).*$/",
    },
};

/** Stryker's mutation score: detected (killed or timed out) over every mutant that ran or had no test. */
export function score(mutants) {
    const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
    const detected = count("Killed", "Timeout");
    const valid = detected + count("Survived", "NoCoverage");
    return { detected, survived: count("Survived"), noCoverage: count("NoCoverage"), valid, percent: valid === 0 ? 100 : (100 * detected) / valid };
}

function runGroup(name, base, strykerArgs) {
    const group = GROUPS[name];
    const config = {
        ...base,
        mutate: group.mutate,
        // The in-process specs first: a mutant in module-level code runs every spec until one fails, and
        // the first failure ends its run (mocha loads a file listed twice once).
        mochaOptions: { ...base.mochaOptions, spec: [...(group.first ?? []), ...group.spec], ...(group.grep ? { grep: group.grep } : {}) },
        incrementalFile: `reports/stryker-incremental-${name}.json`,
        htmlReporter: { fileName: `reports/mutation/${name}.html` },
        // One file per mutant as it is tested, so survivors of a long group can be read while it runs.
        reporters: [...new Set([...(base.reporters ?? []), "event-recorder"])],
        eventReporter: { baseDir: `reports/mutation/events-${name}` },
        jsonReporter: { fileName: `reports/mutation/${name}.json` },
        thresholds: { ...base.thresholds, break: null },
        ...(group.concurrency ? { concurrency: group.concurrency } : {}),
    };
    delete config.$schema;
    fs.mkdirSync(REPORTS, { recursive: true });
    const file = path.join(REPORTS, `stryker-${name}.config.json`);
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    const started = Date.now();
    const env = { ...process.env, PAVED_MUTATE_RETRIES: String(group.retries ?? 0) };
    const run = spawnSync("npx", ["stryker", "run", file, ...strykerArgs], { cwd: ROOT, stdio: "inherit", env });
    if (run.status !== 0) {
        console.error(`mutate: stryker failed on group ${name} (exit ${run.status ?? run.signal})`);
        process.exit(1);
    }
    return Math.round((Date.now() - started) / 1000);
}

function main() {
    const args = process.argv.slice(2);
    const chosen = args.filter((a) => !a.startsWith("-"));
    const unknown = chosen.filter((g) => !(g in GROUPS));
    if (unknown.length > 0) {
        console.error(`mutate: got group(s) ${unknown.join(", ")}: the groups are ${Object.keys(GROUPS).join(", ")}, e.g. npm run mutate -- core`);
        process.exit(2);
    }
    const base = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8"));
    const groups = chosen.length > 0 ? chosen : Object.keys(GROUPS);
    const seconds = Object.fromEntries(groups.map((g) => [g, runGroup(g, base, args.filter((a) => a.startsWith("-")))]));

    const rows = [];
    const all = [];
    for (const g of groups) {
        const report = JSON.parse(fs.readFileSync(path.join(REPORTS, `${g}.json`), "utf8"));
        for (const [file, { mutants }] of Object.entries(report.files).sort()) {
            rows.push({ group: g, file, ...score(mutants) });
            all.push(...mutants);
        }
    }
    const total = score(all);
    console.log("\nmutation score per module (detected / valid; survivors and no-coverage listed in MUTATION.md):");
    for (const r of rows) console.log(`  ${r.percent.toFixed(2).padStart(6)} %  ${`${r.detected}/${r.valid}`.padStart(9)}  ${r.file}  [${r.group}]`);
    console.log(`  ${total.percent.toFixed(2).padStart(6)} %  ${`${total.detected}/${total.valid}`.padStart(9)}  all (${total.survived} survived, ${total.noCoverage} no coverage)`);
    console.log(`time per group (s): ${Object.entries(seconds).map(([g, s]) => `${g} ${s}`).join(", ")}`);
    const floor = base.thresholds?.break;
    if (typeof floor === "number" && total.percent < floor) {
        console.error(`mutate: score ${total.percent.toFixed(2)} % is under the break threshold ${floor} %`);
        process.exit(1);
    }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
