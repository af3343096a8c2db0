import * as fs from "node:fs";
import * as path from "node:path";
import { NAMESPACE } from "../../stacks/config-schema";
import { StackEvaluation, StackEvaluationError, StackProgram, evaluateStack } from "./evaluate";
import { StackFileError, readProjectYaml } from "./stack-file";

/** A team's own Pulumi project (its Pulumi.yaml names another project than the platform's `paved`). */
export interface TeamProject {
    readonly name: string;
    /** The program's entry file, absolute. */
    readonly entry: string;
}

/** The team project in `projectDir`, or undefined when it is the platform's own project. */
export function teamProject(projectDir: string): TeamProject | undefined {
    const doc = readProjectFile(projectDir);
    if (doc.name === NAMESPACE) return undefined;
    // Absolute: PAVED_PROJECT_DIR may be relative, and tsx resolves a bare relative path as a package.
    return { name: doc.name, entry: programEntry(path.resolve(projectDir), doc.main) };
}

function readProjectFile(projectDir: string): { name: string; main?: string } {
    const doc = readProjectYaml(projectDir);
    if (typeof doc.name !== "string" || doc.name === "") throw new StackFileError(`Pulumi.yaml: "name" is missing; set the project name, e.g. name: team-a`);
    if (doc.main !== undefined && typeof doc.main !== "string") throw new StackFileError(`Pulumi.yaml: main got ${JSON.stringify(doc.main)}: a path to the program, e.g. main: src/index.ts`);
    return { name: doc.name, main: doc.main };
}

/** Pulumi.yaml's `main` (a file, or a folder holding index.ts or index.js), else index.ts or index.js beside it. */
function programEntry(projectDir: string, main: string | undefined): string {
    const base = main === undefined ? projectDir : path.resolve(projectDir, main);
    if (main !== undefined && fs.existsSync(base) && fs.statSync(base).isFile()) return base;
    const found = ["index.ts", "index.js"].map((f) => path.join(base, f)).find((f) => fs.existsSync(f));
    if (found) return found;
    const where = main === undefined ? "" : ` (Pulumi.yaml main: ${main})`;
    throw new StackFileError(`no program in ${base}${where}: add index.ts or index.js there, or set main in Pulumi.yaml, e.g. main: src/index.ts`);
}

type TsxRegister = (options: { namespace: string }) => { require(id: string, fromFile: string): unknown; unregister(): void };

/**
 * tsx's programmatic API, as the team's project sees it first (a consumer of the published package has
 * no tsx of paved's: it is a devDependency here), else paved's own (this checkout).
 */
function tsx(projectDir: string): TsxRegister | undefined {
    for (const paths of [[projectDir], [__dirname]]) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- found at run time, optional
            return (require(require.resolve("tsx/cjs/api", { paths })) as { register: TsxRegister }).register;
        } catch {
            continue;
        }
    }
    return undefined;
}

let runs = 0;

/**
 * The team's program as a StackProgram. Each run loads the entry afresh (a new tsx namespace, so its
 * modules run again for every stack), and takes its exports the way Pulumi's Node.js host does
 * (sdk/nodejs/cmd/run/run.ts at v3.248.0): a default export alone stands for the module, a function is
 * called and awaited, and what is left are the stack's outputs.
 */
function teamProgram(projectDir: string, entry: string): StackProgram {
    return async () => {
        const exports = loadEntry(projectDir, entry) as Record<string, unknown> | (() => unknown);
        const keys = Object.keys(exports).filter((k) => k !== "__esModule");
        const program = keys.length === 1 && keys[0] === "default" ? (exports as Record<string, unknown>).default : exports;
        const result: unknown = await (typeof program === "function" ? (program as () => unknown)() : program);
        if (result === undefined || result === null || typeof result !== "object") return {};
        return Object.fromEntries(Object.entries(result as Record<string, unknown>).filter(([k]) => k !== "__esModule"));
    };
}

/** How long a team's stack may run in this process (the same as in a plan worker, plan-pool.ts). */
const STACK_TIMEOUT_MS = 120_000;

/** A program that never finished; the runtime it holds is process-global, so no other stack runs here after it. */
class UnfinishedProgram extends Error {}

/** The stack whose program never finished in this process, if one did. */
let unfinished: string | undefined;

/**
 * Evaluates a stack of the team's project with its program. A failure is one line (Pulumi's own
 * messages span several: the config hint after the missing key), naming the program file. A program
 * that awaits what nothing will settle would otherwise let the process end with nothing reported
 * (exit 0): when the event loop runs dry (beforeExit), or after STACK_TIMEOUT_MS, the stack fails.
 */
export async function evaluateTeamStack(projectDir: string, stack: string, team: TeamProject): Promise<StackEvaluation> {
    const program = path.relative(projectDir, team.entry);
    if (unfinished !== undefined) {
        throw new StackEvaluationError(stack, new Error(`not planned: the program of stack ${unfinished} never finished, and the offline runtime is one per process; plan ${stack} on its own, e.g. paved plan ${stack}`), []);
    }
    let stop: (e: Error) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    const idle = () => stop(new UnfinishedProgram("the program never finished: it awaits something that nothing left to run will settle"));
    const timer = setTimeout(() => stop(new UnfinishedProgram(`the program did not finish within ${STACK_TIMEOUT_MS / 1000} s`)), STACK_TIMEOUT_MS).unref();
    process.once("beforeExit", idle);
    try {
        return await Promise.race([evaluateStack(projectDir, stack, teamProgram(projectDir, team.entry)), stopped]);
    } catch (e) {
        if (e instanceof UnfinishedProgram) {
            unfinished = stack;
            throw new StackEvaluationError(stack, new Error(`${program}: ${e.message}`), []);
        }
        if (!(e instanceof StackEvaluationError)) throw e;
        const line = e.cause.message.split("\n").map((l) => l.trim()).filter(Boolean).join(" ");
        throw new StackEvaluationError(stack, new Error(`${program}: ${line}`), e.resources);
    } finally {
        clearTimeout(timer);
        process.off("beforeExit", idle);
    }
}

function loadEntry(projectDir: string, entry: string): unknown {
    const register = tsx(projectDir);
    if (register) {
        const scope = register({ namespace: `paved-team-${process.pid}-${++runs}` });
        try {
            return scope.require(entry, path.join(projectDir, "Pulumi.yaml"));
        } finally {
            scope.unregister();
        }
    }
    if (entry.endsWith(".ts")) throw new StackFileError(`${path.basename(entry)} is TypeScript and no tsx is installed to run it: npm install --save-dev tsx in ${projectDir}, or point main at the compiled JavaScript`);
    // Plain JavaScript: drop the project's own modules from the cache so they run again for this stack.
    for (const id of Object.keys(require.cache)) if (id.startsWith(projectDir + path.sep) && !id.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[id];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the team's program, chosen at run time
    return require(entry);
}
