import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const LOCK_FILE = "drill.lock";

/** Who holds the drill lock: enough to find the run and to tell whether it is still alive. */
export interface LockHolder {
    /** The operator, or the CI actor. */
    readonly owner: string;
    readonly host: string;
    readonly pid: number;
    readonly startedAt: string;
    /** The CI run's URL when the drill runs in CI. */
    readonly ciRun?: string;
}

/** How a holder is named on the command line (`--force-resume <holder>`): owner@host:pid. */
export const holderId = (h: LockHolder) => `${h.owner}@${h.host}:${h.pid}`;

export const describeHolder = (h: LockHolder) => `${holderId(h)} since ${h.startedAt}${h.ciRun ? ` (${h.ciRun})` : ""}`;

/** This process as a lock holder, from the CI environment when there is one. */
export function thisProcess(env: NodeJS.ProcessEnv, startedAt: string): LockHolder {
    const ciRun = env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
    return { owner: env.GITHUB_ACTOR ?? os.userInfo().username, host: os.hostname(), pid: process.pid, startedAt, ...(ciRun ? { ciRun } : {}) };
}

/**
 * Whether the holder may still be running: a process on this host is asked (signal 0); one on
 * another host cannot be asked, so it counts as alive.
 */
export function holderAlive(h: LockHolder): boolean {
    if (h.host !== os.hostname()) return true;
    try {
        process.kill(h.pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Another drill holds the lock. */
export class DrillLockedError extends Error {
    constructor(readonly holder: LockHolder, message: string) {
        super(message);
        this.name = "DrillLockedError";
    }
}

export interface DrillLock {
    readonly file: string;
    release(): void;
}

export function readHolder(dir: string): LockHolder | undefined {
    try {
        return JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8")) as LockHolder;
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        // A lock torn by a crash mid-write: its holder is unknown, so it is someone else's.
        return { owner: "unknown (unreadable lock file)", host: "unknown", pid: 0, startedAt: "unknown" };
    }
}

/**
 * Takes the drill lock in `dir` atomically (created with O_EXCL: of two drills started at once,
 * exactly one gets it) and records who holds it. Throws `DrillLockedError` naming the holder.
 * `takeOver(holder)` decides whether an existing lock may be broken (its holder is dead).
 */
export function acquireDrillLock(dir: string, me: LockHolder, takeOver: (holder: LockHolder) => boolean): DrillLock {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
        let fd: number;
        try {
            fd = fs.openSync(file, "wx");
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            const holder = readHolder(dir);
            if (holder && takeOver(holder)) {
                fs.rmSync(file, { force: true });
                continue;
            }
            const h = holder ?? me;
            throw new DrillLockedError(h, `another drill holds ${file}: ${describeHolder(h)}`);
        }
        try {
            fs.writeSync(fd, `${JSON.stringify(me)}\n`);
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        return { file, release: () => fs.rmSync(file, { force: true }) };
    }
    throw new DrillLockedError(me, `could not take ${file}: another drill took it at the same moment`);
}
