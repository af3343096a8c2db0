#!/usr/bin/env node
// The type-check and the lint of `npm test`, in one process on one TypeScript program: tsconfig.json
// (every file of ours, with node and mocha types), the same check as `tsc --noEmit`, and the program
// ESLint's type-aware rules read — so the node_modules types are parsed and checked once, not twice.
// Prints what is wrong and exits 1; prints nothing and exits 0 when all is clean.
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import ts from "typescript";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } });
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });

const diagnostics = ts.getPreEmitDiagnostics(program);
const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
if (diagnostics.length > 0) process.stdout.write(ts.formatDiagnostics(diagnostics, host));

const eslint = new ESLint({ cwd: root, overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parserOptions: { programs: [program] } } }] });
const results = await eslint.lintFiles(["."]);
const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
if (problems > 0) process.stdout.write(await (await eslint.loadFormatter("stylish")).format(results));

process.exit(diagnostics.length > 0 || problems > 0 ? 1 : 0);
