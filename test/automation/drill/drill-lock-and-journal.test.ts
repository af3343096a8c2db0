import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { Journal, JournalCorruptError } from "../../../automation/drill/journal";
import { DrillLockedError, LockHolder, acquireDrillLock, describeHolder, holderAlive, holderId, readHolder, thisProcess } from "../../../automation/drill/lock";

/** The drill lock and the write-ahead journal on a scratch folder: exact file contents and refusals. */
describe("drill lock", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-lock-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const ops: LockHolder = { owner: "ops", host: "bastion", pid: 4242, startedAt: "2026-12-01T09:00:00.000Z" };

    it("names a holder owner@host:pid, with its start and CI run", () => {
        expect(holderId(ops)).to.equal("ops@bastion:4242");
        expect(describeHolder(ops)).to.equal("ops@bastion:4242 since 2026-12-01T09:00:00.000Z");
        expect(describeHolder({ ...ops, ciRun: "https://github.com/acme/paved/actions/runs/7" })).to.equal("ops@bastion:4242 since 2026-12-01T09:00:00.000Z (https://github.com/acme/paved/actions/runs/7)");
    });

    it("is this process: the CI actor and run URL from GitHub's variables, else the login user", () => {
        const ci = thisProcess({ GITHUB_ACTOR: "octo", GITHUB_RUN_ID: "7", GITHUB_REPOSITORY: "acme/paved" }, "t0");
        expect(ci).to.deep.equal({ owner: "octo", host: os.hostname(), pid: process.pid, startedAt: "t0", ciRun: "https://github.com/acme/paved/actions/runs/7" });
        expect(thisProcess({ GITHUB_ACTOR: "octo", GITHUB_RUN_ID: "7", GITHUB_REPOSITORY: "acme/paved", GITHUB_SERVER_URL: "https://ghe.example" }, "t0").ciRun).to.equal("https://ghe.example/acme/paved/actions/runs/7");
        expect(thisProcess({ GITHUB_RUN_ID: "7" }, "t0")).to.deep.equal({ owner: os.userInfo().username, host: os.hostname(), pid: process.pid, startedAt: "t0" });
        expect(thisProcess({ GITHUB_REPOSITORY: "acme/paved" }, "t0")).to.not.have.property("ciRun");
    });

    it("a holder on another host counts as alive; on this host, a pid that is gone does not", () => {
        expect(holderAlive({ ...ops, host: `not-${os.hostname()}`, pid: 2 ** 22 + 1 })).to.equal(true);
        expect(holderAlive({ ...ops, host: os.hostname(), pid: process.pid })).to.equal(true);
        expect(holderAlive({ ...ops, host: os.hostname(), pid: 2 ** 22 + 1 })).to.equal(false);
    });

    it("writes the holder as one JSON line, refuses a second drill naming the first, and releases", () => {
        const lock = acquireDrillLock(dir, ops, () => false);
        expect(lock.file).to.equal(path.join(dir, "drill.lock"));
        expect(fs.readFileSync(lock.file, "utf8")).to.equal(`${JSON.stringify(ops)}\n`);
        expect(readHolder(dir)).to.deep.equal(ops);
        const other = { ...ops, owner: "dev", pid: 1 };
        let refused: unknown;
        try {
            acquireDrillLock(dir, other, () => false);
        } catch (e) {
            refused = e;
        }
        expect(refused).to.be.instanceOf(DrillLockedError);
        expect((refused as DrillLockedError).message).to.equal(`another drill holds ${lock.file}: ops@bastion:4242 since 2026-12-01T09:00:00.000Z`);
        expect((refused as DrillLockedError).holder).to.deep.equal(ops);
        expect((refused as DrillLockedError).name).to.equal("DrillLockedError");
        lock.release();
        expect(fs.existsSync(lock.file)).to.equal(false);
        expect(readHolder(dir)).to.equal(undefined);
    });

    it("breaks a lock only when takeOver says its holder may be replaced, and is then held by the new drill", () => {
        acquireDrillLock(dir, ops, () => false);
        const seen: LockHolder[] = [];
        const mine = { ...ops, owner: "dev", pid: 7 };
        const lock = acquireDrillLock(dir, mine, (h) => (seen.push(h), true));
        expect(seen).to.deep.equal([ops]);
        expect(readHolder(dir)).to.deep.equal(mine);
        lock.release();
    });

    it("a torn lock file is someone else's, holder unknown", () => {
        fs.writeFileSync(path.join(dir, "drill.lock"), '{"owner":"op');
        const unknown = { owner: "unknown (unreadable lock file)", host: "unknown", pid: 0, startedAt: "unknown" };
        expect(readHolder(dir)).to.deep.equal(unknown);
        expect(() => acquireDrillLock(dir, ops, () => false)).to.throw(DrillLockedError, "unknown (unreadable lock file)@unknown:0 since unknown");
    });

    /** This process's open file descriptors (Linux). */
    const openFds = () => fs.readdirSync("/proc/self/fd").length;

    it("closes the lock file it wrote, and releasing a lock whose file is already gone is no error", () => {
        const before = openFds();
        const lock = acquireDrillLock(dir, ops, () => false);
        expect(openFds()).to.equal(before);
        fs.rmSync(lock.file);
        expect(() => lock.release()).to.not.throw();
    });

    it("a dead lock broken, then found again (another drill broke it at the same moment and died): gives up after the second, naming the race", () => {
        // The other drill re-creates a dead holder's lock just after this one removed the first.
        const nodeFs = createRequire(__filename)("node:fs") as typeof fs;
        const rmSync = nodeFs.rmSync;
        let raced = 0;
        nodeFs.rmSync = (file: fs.PathLike, options?: fs.RmOptions) => {
            rmSync(file, options);
            if (raced++ === 0) fs.writeFileSync(file, `${JSON.stringify({ ...ops, pid: 2 ** 22 + 1 })}\n`);
        };
        try {
            fs.writeFileSync(path.join(dir, "drill.lock"), `${JSON.stringify({ ...ops, pid: 2 ** 22 + 1 })}\n`);
            const file = path.join(dir, "drill.lock");
            expect(() => acquireDrillLock(dir, ops, () => true)).to.throw(DrillLockedError, `could not take ${file}: another drill took it at the same moment`);
            expect(raced, "both dead locks removed").to.equal(2);
        } finally {
            nodeFs.rmSync = rmSync;
        }
    });

    it("creates the drills folder when there is none", () => {
        const nested = path.join(dir, "a", "b");
        acquireDrillLock(nested, ops, () => false).release();
        expect(fs.existsSync(nested)).to.equal(true);
    });
});

describe("drill journal", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "paved-journal-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const lines = (file: string) => fs.readFileSync(file, "utf8").split("\n");

    it("writes one JSON line per step, in order, and knows what was begun", () => {
        const journal = Journal.start(path.join(dir, "drills"), { targets: "t" });
        expect(journal.file).to.equal(path.join(dir, "drills", "journal.jsonl"));
        journal.write("promote");
        journal.write("inject", { knob: true });
        const written = lines(journal.file);
        expect(written).to.have.length(4);
        expect(written[3]).to.equal("");
        const parsed = written.slice(0, 3).map((l) => JSON.parse(l) as { step: string; at: string; detail?: unknown });
        expect(parsed.map((e) => [e.step, e.detail])).to.deep.equal([
            ["started", { targets: "t" }],
            ["promote", undefined],
            ["inject", { knob: true }],
        ]);
        expect(Object.keys(parsed[1])).to.deep.equal(["step", "at"]);
        expect(parsed[0].at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect([journal.has("promote"), journal.has("inject"), journal.has("failback")]).to.deep.equal([true, true, false]);
        expect(journal.started.step).to.equal("started");
        expect(journal.steps.map((s) => s.step)).to.deep.equal(["started", "promote", "inject"]);
    });

    it("an unfinished journal is read back; a closed one, an empty one or one not begun by `started` is not unfinished", () => {
        expect(Journal.unfinished(dir)).to.equal(undefined);
        const journal = Journal.start(dir, { n: 1 });
        journal.write("promote");
        const back = Journal.unfinished(dir);
        expect(back?.steps.map((s) => s.step)).to.deep.equal(["started", "promote"]);
        expect(back?.started.detail).to.deep.equal({ n: 1 });
        fs.writeFileSync(Journal.pathIn(dir), "\n\n");
        expect(Journal.unfinished(dir)).to.equal(undefined);
        fs.writeFileSync(Journal.pathIn(dir), `${JSON.stringify({ step: "promote", at: "t" })}\n`);
        expect(Journal.unfinished(dir)).to.equal(undefined);
        fs.writeFileSync(Journal.pathIn(dir), `${JSON.stringify({ step: "started", at: "t" })}\n${JSON.stringify({ step: "closed", at: "t" })}\n`);
        expect(Journal.unfinished(dir)).to.equal(undefined);
        // Closed is the last line that counts, whatever came between.
        fs.writeFileSync(Journal.pathIn(dir), ["started", "promote", "inject", "closed"].map((step) => `${JSON.stringify({ step, at: "t" })}\n`).join(""));
        expect(Journal.unfinished(dir)).to.equal(undefined);
    });

    it("a torn last line is cut off with a warning naming the file; the next step starts on its own line", () => {
        const journal = Journal.start(dir, {});
        journal.write("promote");
        const whole = fs.readFileSync(journal.file, "utf8");
        fs.appendFileSync(journal.file, '{"step":"inj');
        const warnings: string[] = [];
        const back = Journal.unfinished(dir, (w) => warnings.push(w))!;
        expect(warnings).to.deep.equal([`${journal.file}: ignored its torn last line "{\\"step\\":\\"inj" (a crash mid-write); that step never acted`]);
        expect(fs.readFileSync(journal.file, "utf8")).to.equal(whole);
        back.write("restore");
        expect(lines(journal.file).slice(0, 3).map((l) => (JSON.parse(l) as { step: string }).step)).to.deep.equal(["started", "promote", "restore"]);
    });

    it("a torn line followed only by blank lines is still the last; its warning quotes 60 characters", () => {
        const journal = Journal.start(dir, {});
        const torn = `{"step":"inject","detail":{"note":"${"x".repeat(60)}`;
        fs.appendFileSync(journal.file, `${torn}\n \n`);
        const warnings: string[] = [];
        expect(Journal.unfinished(dir, (w) => warnings.push(w))?.steps.map((e) => e.step)).to.deep.equal(["started"]);
        expect(warnings).to.deep.equal([`${journal.file}: ignored its torn last line ${JSON.stringify(torn.slice(0, 60))} (a crash mid-write); that step never acted`]);
    });

    it("a line that is not JSON before the last is corruption, named by file and line, quoting at most 60 characters", () => {
        const journal = Journal.start(dir, {});
        fs.appendFileSync(journal.file, `garbage\n${JSON.stringify({ step: "promote", at: "t" })}\n`);
        expect(() => Journal.unfinished(dir)).to.throw(JournalCorruptError, `${journal.file}: line 2 is not JSON ("garbage") and is not the last line; the journal was edited or is corrupt`);
        fs.writeFileSync(journal.file, `${JSON.stringify({ step: "started", at: "t" })}\n${"y".repeat(61)}\n${JSON.stringify({ step: "promote", at: "t" })}\n`);
        expect(() => Journal.unfinished(dir)).to.throw(JournalCorruptError, `line 2 is not JSON ("${"y".repeat(60)}") and is not`);
    });

    it("tryWrite keeps the step in memory and warns when the disk refuses", () => {
        const journal = Journal.start(dir, {});
        fs.rmSync(journal.file);
        fs.mkdirSync(journal.file);
        const warnings: string[] = [];
        journal.tryWrite("restore", { reason: "r" }, (w) => warnings.push(w));
        journal.tryWrite("kept", undefined, (w) => warnings.push(w));
        expect(journal.steps.slice(1).map((s) => [s.step, s.detail])).to.deep.equal([
            ["restore", { reason: "r" }],
            ["kept", undefined],
        ]);
        expect(Object.keys(journal.steps[2])).to.deep.equal(["step", "at"]);
        expect(warnings).to.have.length(2);
        expect(warnings[0]).to.match(new RegExp(`^journal ${journal.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} could not be written \\(EISDIR: .*\\); restoring anyway$`));
    });

    it("close writes `closed` with the outcome and moves the journal beside the report", () => {
        const journal = Journal.start(dir, {});
        const reportDir = path.join(dir, "2026-12-01T09-00-00-000Z");
        const kept = journal.close("pass", reportDir);
        expect(kept).to.equal(path.join(reportDir, "journal.jsonl"));
        expect(fs.existsSync(Journal.pathIn(dir))).to.equal(false);
        const last = JSON.parse(lines(kept)[1]) as { step: string; detail: unknown };
        expect([last.step, last.detail]).to.deep.equal(["closed", { outcome: "pass" }]);
    });

    it("close moves the journal into a report folder that is already there (a drill that kept its journal, then --resume), and leaves no file open", () => {
        const before = fs.readdirSync("/proc/self/fd").length;
        const journal = Journal.start(dir, {});
        journal.write("promote");
        const reportDir = path.join(dir, "2026-12-01T09-00-00-000Z");
        fs.mkdirSync(reportDir);
        fs.writeFileSync(path.join(reportDir, "report.md"), "# the first report\n");
        expect(journal.close("rolled back", reportDir)).to.equal(path.join(reportDir, "journal.jsonl"));
        expect(fs.readdirSync(reportDir).sort()).to.deep.equal(["journal.jsonl", "report.md"]);
        expect(fs.readdirSync("/proc/self/fd").length).to.equal(before);
    });
});
