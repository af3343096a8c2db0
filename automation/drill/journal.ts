import * as fs from "node:fs";
import * as path from "node:path";

/** The steps that change something; each is journaled before it acts, so a restore knows what to undo. */
export type DrillStep = "started" | "pause" | "promote" | "inject" | "failback" | "warm" | "resume" | "restore" | "kept" | "closed";

export interface JournalEntry {
    readonly step: DrillStep;
    /** Wall time, ISO 8601 UTC. */
    readonly at: string;
    readonly detail?: Record<string, unknown>;
}

export const JOURNAL_FILE = "journal.jsonl";

/** A journal line that is not JSON and is not the last one: the file was edited or is corrupt. */
export class JournalCorruptError extends Error {}

/**
 * The drill's write-ahead journal: one JSON line per step, written and fsynced before the step
 * acts. It lives at `<drills>/journal.jsonl` while a drill runs; a journal whose last line is not
 * `closed` is an unfinished drill that `paved drill --resume` restores. It is created with O_EXCL,
 * so it never truncates another drill's journal.
 */
export class Journal {
    private constructor(readonly file: string, private readonly entries: JournalEntry[]) {}

    static pathIn(dir: string): string {
        return path.join(dir, JOURNAL_FILE);
    }

    /**
     * The unfinished drill's journal in `dir`, or undefined when there is none. A torn last line (a
     * crash mid-write) is ignored with a warning naming the file: the step it began was not acted on.
     */
    static unfinished(dir: string, warn: (line: string) => void = () => undefined): Journal | undefined {
        const file = Journal.pathIn(dir);
        if (!fs.existsSync(file)) return undefined;
        const text = fs.readFileSync(file, "utf8");
        const lines = text.split("\n");
        const entries: JournalEntry[] = [];
        lines.forEach((line, i) => {
            if (line.trim() === "") return;
            try {
                entries.push(JSON.parse(line) as JournalEntry);
            } catch {
                const last = lines.slice(i + 1).every((l) => l.trim() === "");
                if (!last) throw new JournalCorruptError(`${file}: line ${i + 1} is not JSON (${JSON.stringify(line.slice(0, 60))}) and is not the last line; the journal was edited or is corrupt`);
                warn(`${file}: ignored its torn last line ${JSON.stringify(line.slice(0, 60))} (a crash mid-write); that step never acted`);
                // Cut the torn bytes, so the next line the restore appends starts on a line of its own.
                fs.truncateSync(file, Buffer.byteLength(lines.slice(0, i).map((l) => `${l}\n`).join("")));
            }
        });
        if (entries.length === 0 || entries[0].step !== "started") return undefined;
        return entries.at(-1)?.step === "closed" ? undefined : new Journal(file, entries);
    }

    /** Starts a new journal; throws EEXIST rather than truncate one that is there. */
    static start(dir: string, detail: Record<string, unknown>): Journal {
        fs.mkdirSync(dir, { recursive: true });
        const journal = new Journal(Journal.pathIn(dir), []);
        fs.closeSync(fs.openSync(journal.file, "wx"));
        journal.write("started", detail);
        return journal;
    }

    get steps(): readonly JournalEntry[] {
        return this.entries;
    }

    /** Whether a step was begun: what a restore must undo. */
    has(step: DrillStep): boolean {
        return this.entries.some((e) => e.step === step);
    }

    get started(): JournalEntry {
        return this.entries[0];
    }

    /** Appends one line and fsyncs it; throws when the disk refuses. */
    write(step: DrillStep, detail?: Record<string, unknown>): void {
        const entry: JournalEntry = { step, at: new Date().toISOString(), ...(detail ? { detail } : {}) };
        const fd = fs.openSync(this.file, "a");
        try {
            fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        this.entries.push(entry);
    }

    /** A restore's write: a journal that cannot be written must not stop the restore, so it warns instead. */
    tryWrite(step: DrillStep, detail: Record<string, unknown> | undefined, warn: (line: string) => void): void {
        try {
            this.write(step, detail);
        } catch (e) {
            this.entries.push({ step, at: new Date().toISOString(), ...(detail ? { detail } : {}) });
            warn(`journal ${this.file} could not be written (${(e as Error).message}); restoring anyway`);
        }
    }

    /** Closes the journal and moves it beside the drill's report, freeing the slot for the next drill. */
    close(outcome: string, reportDir: string): string {
        this.write("closed", { outcome });
        fs.mkdirSync(reportDir, { recursive: true });
        const kept = path.join(reportDir, JOURNAL_FILE);
        fs.renameSync(this.file, kept);
        return kept;
    }
}
