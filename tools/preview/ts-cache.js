// A ts-node transpiler (its documented `transpiler` option: a module whose
// `create` returns `{ transpile(code, { fileName }) }`) that is TypeScript's
// own `ts.transpileModule`, with each file's output kept on disk.
//
// Why: the offline plan loads about 200 TypeScript files (the program, the
// fake cloud, the policy pack). Transpiling them file by file took 5-7 s of
// CPU in every run, a fifth of a 200-service plan and most of a small one.
// The output depends only on the source text, the file name, the compiler
// options and TypeScript's version, so it is computed once and read back:
// the same JavaScript and source map TypeScript would produce, by
// construction (the key holds all four; any difference recompiles).
//
// Where: node_modules/.cache/privatelink-preview/ts/ (the usual place for a
// tool's cache; `npm ci` starts it afresh). One file per source path, so
// editing a file replaces its entry. Written to a temporary name and
// renamed, so runs in parallel never read half an entry. Output with
// diagnostics (a syntax error) is never kept. PREVIEW_TS_CACHE=0 turns it off.
//
// Within one process the output is also kept in memory by the file's base
// name and text: TypeScript's output text depends on the file name only
// through its base name (the closing `//# sourceMappingURL=<base>.js.map`),
// and its source map names the file in `sources`, which ts-node replaces
// with the file's own path before use (ts-node dist/index.js
// `updateSourceMap`). So a copy of the program in another directory (the
// red-team suite plans hundreds of edited copies) is transpiled only where
// its text differs; the source map handed back names the copy. Files
// outside the project (such copies, in the temporary directory) are not
// written to the disk cache.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..", "..");
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "privatelink-preview", "ts");

/** This process's outputs by compiler options, base name and source text (see above). */
const inMemory = new Map();

/** ts-node's factory: `service.config.options` are the compiler options ts-node would transpile with. */
function create({ service }) {
    const ts = require(service.projectLocalResolveHelper("typescript", true));
    const compilerOptions = service.config.options;
    const salt = `${ts.version}\0${JSON.stringify(compilerOptions)}\0`;
    const enabled = process.env.PREVIEW_TS_CACHE !== "0";
    return {
        transpile(code, { fileName }) {
            const memoKey = enabled ? crypto.createHash("sha256").update(salt).update(path.basename(fileName)).update("\0").update(code).digest("hex") : undefined;
            const remembered = memoKey && inMemory.get(memoKey);
            if (remembered) {
                return remembered.fileName === fileName ? remembered.result : { outputText: remembered.result.outputText, sourceMapText: renamedSources(remembered.result.sourceMapText, fileName) };
            }
            const key = crypto.createHash("sha256").update(salt).update(fileName).update("\0").update(code).digest("hex");
            const file = path.join(CACHE_DIR, `${crypto.createHash("sha256").update(fileName).digest("hex").slice(0, 32)}.json`);
            const onDisk = enabled && fileName.startsWith(ROOT + path.sep);
            if (onDisk) {
                const hit = read(file);
                if (hit && hit.key === key) {
                    const result = { outputText: hit.outputText, sourceMapText: hit.sourceMapText };
                    inMemory.set(memoKey, { fileName, result });
                    return result;
                }
            }
            const result = ts.transpileModule(code, { fileName, compilerOptions, reportDiagnostics: true });
            if (enabled && (result.diagnostics ?? []).length === 0) {
                inMemory.set(memoKey, { fileName, result: { outputText: result.outputText, sourceMapText: result.sourceMapText } });
                if (onDisk) write(file, { key, outputText: result.outputText, sourceMapText: result.sourceMapText });
            }
            return result;
        },
    };
}

/** A source map of the same text under another path: its `sources` name that path, as ts-node sets them. */
function renamedSources(sourceMapText, fileName) {
    if (sourceMapText === undefined) return undefined;
    const map = JSON.parse(sourceMapText);
    map.sources = [fileName];
    return JSON.stringify(map);
}

function read(file) {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return undefined;
    }
}

function write(file, entry) {
    try {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
        fs.writeFileSync(tmp, JSON.stringify(entry));
        fs.renameSync(tmp, file);
    } catch {
        // A cache that cannot be written only costs time.
    }
}

module.exports = { create, CACHE_DIR };
