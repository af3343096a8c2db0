#!/usr/bin/env node
// The compiling part of `npm test`, in one process: the library build (tsconfig.build.json into dist/,
// exactly `tsc -b`: incremental, node types only), then the type-check of everything (tsconfig.json,
// the same check as `tsc --noEmit`), then the type-aware lint on that very program. The build and the
// check share one parse of each file: the node_modules types alone are some 8,000 files.
// Under npm test (an IPC channel) it tells the parent as soon as dist/ is built, so the tests start
// while the check goes on. After a clean run it skips, next time, what is unchanged and unaffected
// (scripts/check-cache.mjs, kept in node_modules/.cache/paved-road/): a no-change run costs about
// 9 CPU-s instead of 22. Prints what is wrong and exits 1; prints nothing and exits 0 when all is clean.
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import ts from "typescript";
import { checkCache } from "./check-cache.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
const report = (diagnostic) => process.stdout.write(ts.formatDiagnostics([diagnostic], host));

// One parse per file for both programs (as an editor's language service shares them between projects).
// JSDoc is parsed only where types depend on it, as the tsc command line does.
const parsed = new Map();
function sharingParses(compilerHost) {
    const parse = compilerHost.getSourceFile.bind(compilerHost);
    compilerHost.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
    compilerHost.getSourceFile = (fileName, language, onError, fresh) => {
        const key = typeof language === "object" ? `${fileName}|${language.languageVersion}|${language.impliedNodeFormat}|${language.jsDocParsingMode}` : `${fileName}|${language}`;
        if (!fresh && parsed.has(key)) return parsed.get(key);
        const file = parse(fileName, language, onError, fresh);
        if (file) parsed.set(key, file);
        return file;
    };
    return compilerHost;
}

// The build, as `tsc -b tsconfig.build.json` (it builds nothing when dist/ is up to date).
let buildProgram;
const createProgram = (rootNames, options, compilerHost, ...rest) => {
    const builder = ts.createEmitAndSemanticDiagnosticsBuilderProgram(rootNames, options, sharingParses(compilerHost), ...rest);
    buildProgram = builder.getProgram();
    return builder;
};
const buildHost = ts.createSolutionBuilderHost(ts.sys, createProgram, report, () => {});
buildHost.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
const built = ts.createSolutionBuilder(buildHost, [path.join(root, "tsconfig.build.json")], {}).build() === ts.ExitStatus.Success;
process.send?.({ built });

// The type-check of everything, tests included, on the parses the build made. What the build compiles
// it has just checked and reported (or checked unchanged before: tsc -b keeps a project with errors
// out of date), with the same options but fewer global types; the rest, the tests, is checked here.
const parseConfig = (file) => ts.getParsedCommandLineOfConfigFile(path.join(root, file), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } });
const config = parseConfig("tsconfig.json");
const cache = checkCache(root);
const options = { ...config.options, noEmit: true, incremental: true, tsBuildInfoFile: cache.tsBuildInfoFile };
const checker = ts.createIncrementalProgram({ rootNames: config.fileNames, options, host: sharingParses(ts.createIncrementalCompilerHost(options)) });
const program = checker.getProgram();
const checkedByBuild = new Set(parseConfig("tsconfig.build.json").fileNames.map((f) => path.resolve(f)));
// The files whose types may have changed since the last clean check (all of them the first time).
const affected = new Set();
let allAffected = false;
const semantic = [];
for (let next; (next = checker.getSemanticDiagnosticsOfNextAffectedFile(undefined, (f) => (affected.add(path.resolve(f.fileName)), checkedByBuild.has(path.resolve(f.fileName))))); ) {
    if (next.affected === program) allAffected = true;
    semantic.push(...next.result);
}
const isAffected = (file) => allAffected || affected.has(file);
const declarations = program.getSourceFiles().filter((f) => {
    const file = path.resolve(f.fileName);
    return !checkedByBuild.has(file) && isAffected(file);
});
const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...semantic,
    ...declarations.flatMap((f) => program.getDeclarationDiagnostics(f)),
];
if (diagnostics.length > 0) process.stdout.write(ts.formatDiagnostics(diagnostics, host));

// The lint, its type-aware rules reading the programs just checked: the library's files in the build's
// (when it ran), whose types are worked out already, the tests in the check's. Files clean last time,
// unchanged and unaffected since, are not linted again.
const programs = buildProgram ? [buildProgram, program] : [program];
const eslint = new ESLint({ cwd: root, overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parserOptions: { programs } } }] });
const files = await cache.lintedFiles(eslint);
const toLint = files ? cache.toLint(files, isAffected) : ["."];
const results = toLint.length > 0 ? await eslint.lintFiles(toLint) : [];
const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
if (problems > 0) process.stdout.write(await (await eslint.loadFormatter("stylish")).format(results));

const ok = built && diagnostics.length === 0 && problems === 0;
if (ok) checker.emit();
cache.save(ok, files);
process.exit(ok ? 0 : 1);
