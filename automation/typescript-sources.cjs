// How paved loads its own TypeScript when it runs from source (the tests: .mocharc.json's first
// `require`; plan worker threads started from source): tsx compiles this repository's files, and the
// dependencies' .js load as Node loads them, CommonJS or ESM (require(esm), Node >= 20.19), as they do
// from dist/. tsx alone would also take over every .js file, to lex it for ESM syntax first (9 MB for
// typescript.js, which @pulumi/pulumi loads): about 0.45 CPU-s of each process's or thread's start.
const Module = require("node:module");

const nodeLoadsJs = Module._extensions[".js"];
require("tsx/cjs");
const tsxLoadsJs = Module._extensions[".js"];

Module._extensions[".js"] = function loadJs(module, filename) {
    const loader = filename.includes("/node_modules/") ? nodeLoadsJs : tsxLoadsJs;
    return loader.call(this, module, filename);
};
