/**
 * @pulumi/pulumi loads, as soon as it is required, two large modules for features paved never uses:
 * - the TypeScript compiler (9 MB of JavaScript), to serialize JavaScript functions. Only
 *   runtime/closure/parseFunction.js requires the SDK's typescript-shim.js at its top; the SDK's other
 *   users of it require it inside the functions that need it, "to avoid always loading" it (tsutils.js).
 * - npm's @npmcli/arborist (with its own dependencies, some 150 files), to find the packages a
 *   function's code needs when it is uploaded (runtime/closure/codePaths.js, computeCodePaths).
 * Imported for its effect before anything loads the SDK, this module gives those two requirers a
 * stand-in for each, which loads the real module the first time anything reads it: each process or
 * thread that loads the SDK starts about 0.17 + 0.16 CPU-s sooner. Where the SDK is already loaded, or
 * lays out its files otherwise, it does nothing.
 */
import Module from "node:module";
import * as path from "node:path";

/**
 * A module that loads the one at `file` the first time anything reads it. `namespace`: it says it is an
 * ES module namespace, so that TypeScript's `__importStar` (how codePaths.js imports arborist) keeps it
 * as it is instead of copying, and so loading, every export.
 */
function standIn(file: string, namespace: boolean, onLoad: () => void): object {
    let real: object | undefined;
    const load = (): object => {
        if (!real) {
            onLoad();
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as the SDK's other users do
            real = require(file) as object;
        }
        return real;
    };
    return new Proxy<object>({}, {
        get: (_, key): unknown => (namespace && key === "__esModule" ? true : Reflect.get(load(), key)),
        has: (_, key) => Reflect.has(load(), key),
        ownKeys: () => Reflect.ownKeys(load()),
        // Reported configurable: the stand-in's own (empty) target must not contradict the real module.
        getOwnPropertyDescriptor: (_, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            return descriptor && { ...descriptor, configurable: true };
        },
    });
}

/**
 * The SDK's own typescript-shim.js, which only the SDK's files require, plainly: the stand-in goes in the
 * require cache, and the real module replaces it there when it loads.
 */
function deferInCache(file: string | undefined): void {
    if (!file || require.cache[file]) return;
    const cached = new Module(file);
    cached.filename = file;
    cached.loaded = true;
    cached.exports = standIn(file, false, () => delete require.cache[file]);
    require.cache[file] = cached;
}

/**
 * arborist is a package like any other: a team's program, which runs in paved's process, may use it
 * as its own (its export is the Arborist class). So only `requirer` (the SDK's codePaths.js, which reads
 * nothing but `.Arborist`) is served the stand-in, once, by Node's module loader; everyone else, and the
 * stand-in itself when first read, gets the real module.
 */
function deferForRequirer(requirer: string | undefined, request: string, file: string | undefined): void {
    if (!requirer || !file || require.cache[requirer]) return;
    type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
    const loader = Module as unknown as { _load: Load };
    const load = loader._load;
    let served = false;
    loader._load = function (this: unknown, wanted, parent, isMain) {
        if (served || wanted !== request || parent?.filename !== requirer) return load.call(this, wanted, parent, isMain);
        served = true;
        return standIn(file, true, () => undefined);
    };
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
deferInCache(shim);
if (shim) {
    const codePaths = resolved("./runtime/closure/codePaths.js", path.dirname(shim));
    if (codePaths) deferForRequirer(codePaths, "@npmcli/arborist", resolved("@npmcli/arborist", path.dirname(codePaths)));
}
