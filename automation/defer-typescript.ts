/**
 * @pulumi/pulumi loads the TypeScript compiler (9 MB of JavaScript) as soon as it is required, for one
 * use: serializing JavaScript functions, which paved never does. Only runtime/closure/parseFunction.js
 * requires the SDK's typescript-shim.js at its top; the SDK's other users of it require it inside the
 * functions that need it, "to avoid always loading" it (tsutils.js). Imported for its effect before
 * anything loads the SDK, this module puts a stand-in for that shim in the require cache, which loads
 * the real module the first time anything reads it: each process or thread that loads the SDK starts
 * about 0.17 CPU-s sooner. Where the SDK is already loaded, or lays out its files otherwise, it does nothing.
 */
import Module from "node:module";

function deferShim(): void {
    let shim: string;
    try {
        shim = require.resolve("@pulumi/pulumi/typescript-shim.js");
    } catch {
        return;
    }
    if (require.cache[shim]) return;
    let real: object | undefined;
    const load = (): object => {
        if (!real) {
            // The real shim replaces the stand-in in the cache, for whoever requires it from now on.
            delete require.cache[shim];
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as the SDK's other users do
            real = require(shim) as object;
        }
        return real;
    };
    const standIn = new Proxy<object>({}, {
        get: (_, key): unknown => Reflect.get(load(), key),
        has: (_, key) => Reflect.has(load(), key),
        ownKeys: () => Reflect.ownKeys(load()),
        // Reported configurable: the stand-in's own (empty) target must not contradict the real module.
        getOwnPropertyDescriptor: (_, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            return descriptor && { ...descriptor, configurable: true };
        },
    });
    const cached = new Module(shim);
    cached.filename = shim;
    cached.loaded = true;
    cached.exports = standIn;
    require.cache[shim] = cached;
}

deferShim();
