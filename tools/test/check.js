#!/usr/bin/env node
// The type check and the lint of `npm test`, in one process over one
// TypeScript program.
//
// `tsc --noEmit` builds the project's program (about 200 files of ours and
// the declarations of @pulumi/aws, most of the work); the lint's Pulumi
// rules need type information for the program's files (eslint.config.mjs),
// and typescript-eslint built a second program of its own for them. Here
// the program is built once: its diagnostics are the type check (the same
// `ts.getPreEmitDiagnostics` tsc reports), and it is handed to the lint as
// `parserOptions.programs` (typescript-eslint's documented way to provide
// the programs that give rules their types; files outside it are an error,
// so a file the lint types but tsconfig.json leaves out fails loudly).
// About 20 s of CPU less than the two commands apart in a fresh clone
// (docs/performance.md, "The test suite").
//
// `npm run typecheck` and `npm run lint` stay the commands to run alone.
// Prints the type check's and the lint's results under their own labels;
// exits non-zero when either fails.
"use strict";
const path = require("path");
const ts = require("typescript");
const { ESLint } = require("eslint");

/** The project checked: this one, or the directory given (test/check.test.ts checks small projects of its own). */
const ROOT = path.resolve(process.argv[2] ?? path.join(__dirname, "..", ".."));

function typeCheck() {
    const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: d => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } };
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), { noEmit: true }, host);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences, configFileParsingDiagnostics: parsed.errors });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const text = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: f => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" });
    return { program, ok: diagnostics.length === 0, text };
}

async function lint(program) {
    // The typed block of eslint.config.mjs reads its types from this program instead of building one.
    const eslint = new ESLint({
        cwd: ROOT,
        overrideConfig: [{ files: ["index.ts", "components/**/*.ts", "package/**/*.ts"], languageOptions: { parserOptions: { projectService: false, programs: [program] } } }],
    });
    const results = await eslint.lintFiles(["."]);
    const errors = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
    const text = (await eslint.loadFormatter("stylish")).format(results);
    return { ok: errors === 0, text };
}

async function main() {
    const checked = typeCheck();
    process.stdout.write(checked.ok ? "type check (tsc --noEmit): clean\n" : `type check (tsc --noEmit): FAILED\n${checked.text}\n`);
    const linted = await lint(checked.program);
    process.stdout.write(linted.ok ? "lint (eslint): clean\n" : `lint (eslint): FAILED\n${linted.text}\n`);
    process.exitCode = checked.ok && linted.ok ? 0 : 1;
}

main().catch(e => {
    process.stdout.write(`type check and lint: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 1;
});
