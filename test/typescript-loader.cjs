// The test processes' TypeScript loader (.mocharc.json's first `require`): tsx, for this repository's
// files only. tsx also takes over loading every .js file, to lex it for ESM syntax first (9 MB for
// typescript.js alone, which @pulumi/pulumi loads): a third of each test worker's start. Dependencies
// load as Node loads them, CommonJS or ESM (require(esm), on by default since Node 20.19).
const Module = require("node:module");

const nodeLoadsJs = Module._extensions[".js"];
require("tsx/cjs");
const tsxLoadsJs = Module._extensions[".js"];

Module._extensions[".js"] = function loadJs(module, filename) {
    const loader = filename.includes("/node_modules/") ? nodeLoadsJs : tsxLoadsJs;
    return loader.call(this, module, filename);
};
