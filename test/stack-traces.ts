/**
 * Stack traces in the test processes: this repository's frames mapped to the TypeScript sources (as
 * tsx's source maps give), node_modules frames as V8 prints them. Pulumi formats the whole stack of
 * every resource it constructs (Resource.callsites, for source positions); Node's own source-mapped
 * formatting maps each of those frames through @pulumi/pulumi's .js.map files, which cost about a
 * third of the CPU time of the tests that evaluate stacks. Loaded by .mocharc.json after tsx.
 */
import { SourceMap, findSourceMap } from "node:module";
import { fileURLToPath } from "node:url";

const maps = new Map<string, SourceMap | undefined>();

/** V8's CallSite prints itself as the stack line does ("fn (file:line:column)"); Node's types omit it. */
type PrintableCallSite = NodeJS.CallSite & { toString(): string };

/** Where a frame of ours is in its TypeScript source, or the frame as V8 prints it. */
function frame(site: PrintableCallSite): string {
    const text = site.toString();
    const file = site.getFileName();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (!file || !line || !column || file.startsWith("node:") || file.includes("/node_modules/")) return text;
    if (!maps.has(file)) maps.set(file, findSourceMap(file));
    const entry = maps.get(file)?.findEntry(line - 1, column - 1);
    if (!entry || !("originalSource" in entry)) return text;
    const source = entry.originalSource.startsWith("file:") ? fileURLToPath(entry.originalSource) : entry.originalSource;
    return text.replace(`${file}:${line}:${column}`, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
}

/**
 * Pulumi also takes the whole stack (Error.stackTraceLimit = Infinity) of every resource it constructs
 * (Resource.callsites): its source position is the first frame past the constructors, and the mock
 * monitor reads none of the rest. Such a stack gets its first frames only.
 */
const RESOURCE_STACK_FRAMES = 12;
function isPulumiResourceStack(sites: readonly NodeJS.CallSite[]): boolean {
    return sites[0]?.getFunctionName() === "callsites" && (sites[0].getFileName() ?? "").endsWith("/@pulumi/pulumi/resource.js");
}

Error.prepareStackTrace = (error: Error, sites: PrintableCallSite[]): string => {
    if (isPulumiResourceStack(sites)) sites = sites.slice(0, RESOURCE_STACK_FRAMES);
    let head: string;
    try {
        head = Error.prototype.toString.call(error);
    } catch {
        head = "<error>";
    }
    return [head, ...sites.map((s) => `    at ${frame(s)}`)].join("\n");
};
