/**
 * @pulumi/pulumi loads, as soon as it is required, two large modules for features paved never uses:
 * - the TypeScript compiler (9 MB of JavaScript), to serialize JavaScript functions. Only
 *   runtime/closure/parseFunction.js requires the SDK's typescript-shim.js at its top; the SDK's other
 *   users of it require it inside the functions that need it, "to avoid always loading" it (tsutils.js).
 * - npm's @npmcli/arborist (with its own dependencies, some 150 files), to find the packages a
 *   function's code needs when it is uploaded (runtime/closure/codePaths.js, computeCodePaths).
 * Imported for its effect before anything loads the SDK, this module puts a stand-in for each in the
 * require cache, which loads the real module the first time anything reads it: each process or thread
 * that loads the SDK starts about 0.17 + 0.16 CPU-s sooner. Where the SDK is already loaded, or lays
 * out its files otherwise, it does nothing.
 */
import Module from "node:module";
import * as path from "node:path";

/**
 * Caches a stand-in for the module at `file` that loads it on first use. `namespace`: the stand-in says
 * it is an ES module namespace, so that TypeScript's `__importStar` (how codePaths.js imports arborist)
 * keeps it as it is instead of copying, and so loading, every export; `.default` is then the real
 * module's own (arborist has none, and codePaths.js reads only `.Arborist`).
 */
function deferModule(file: string | undefined, namespace: boolean): void {
    if (!file || require.cache[file]) return;
    let real: object | undefined;
    const load = (): object => {
        if (!real) {
            // The real module replaces the stand-in in the cache, for whoever requires it from now on.
            delete require.cache[file];
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as the SDK's other users do
            real = require(file) as object;
        }
        return real;
    };
    const standIn = new Proxy<object>({}, {
        get: (_, key): unknown => (namespace && key === "__esModule" ? true : Reflect.get(load(), key)),
        has: (_, key) => Reflect.has(load(), key),
        ownKeys: () => Reflect.ownKeys(load()),
        // Reported configurable: the stand-in's own (empty) target must not contradict the real module.
        getOwnPropertyDescriptor: (_, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            return descriptor && { ...descriptor, configurable: true };
        },
    });
    const cached = new Module(file);
    cached.filename = file;
    cached.loaded = true;
    cached.exports = standIn;
    require.cache[file] = cached;
}

/** A module's file as the SDK would resolve it; undefined where the SDK or the module is not installed. */
function resolved(request: string, from: string): string | undefined {
    try {
        return require.resolve(request, { paths: [from] });
    } catch {
        return undefined;
    }
}

const shim = resolved("@pulumi/pulumi/typescript-shim.js", __dirname);
deferModule(shim, false);
if (shim) deferModule(resolved("@npmcli/arborist", path.dirname(shim)), true);
