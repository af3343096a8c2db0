import * as fs from "node:fs";
import * as path from "node:path";

/** The steps that change something; each is journaled before it acts, so a restore knows what to undo. */
export type DrillStep = "started" | "promote" | "inject" | "failback" | "warm" | "restore" | "closed";

export interface JournalEntry {
    readonly step: DrillStep;
    /** Wall time, ISO 8601. */
    readonly at: string;
    readonly detail?: Record<string, unknown>;
}

export const JOURNAL_FILE = "journal.jsonl";

/**
 * The drill's write-ahead journal: one JSON line per step, flushed to disk before the step acts.
 * It lives at `<drills>/journal.jsonl` while a drill runs; a journal whose last line is not
 * `closed` is an unfinished drill that `paved drill --resume` restores.
 */
export class Journal {
    private constructor(readonly file: string, private readonly entries: JournalEntry[]) {}

    static pathIn(dir: string): string {
        return path.join(dir, JOURNAL_FILE);
    }

    /** The unfinished drill's journal in `dir`, or undefined when there is none. */
    static unfinished(dir: string): Journal | undefined {
        const file = Journal.pathIn(dir);
        if (!fs.existsSync(file)) return undefined;
        const entries = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as JournalEntry);
        return entries.at(-1)?.step === "closed" ? undefined : new Journal(file, entries);
    }

    static start(dir: string, detail: Record<string, unknown>): Journal {
        fs.mkdirSync(dir, { recursive: true });
        const journal = new Journal(Journal.pathIn(dir), []);
        fs.writeFileSync(journal.file, "");
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

    /** Closes the journal and moves it beside the drill's report, freeing the slot for the next drill. */
    close(outcome: string, reportDir: string): string {
        this.write("closed", { outcome });
        fs.mkdirSync(reportDir, { recursive: true });
        const kept = path.join(reportDir, JOURNAL_FILE);
        fs.renameSync(this.file, kept);
        return kept;
    }
}
