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
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const CACHE_DIR = path.join(__dirname, "..", "..", "node_modules", ".cache", "privatelink-preview", "ts");

/** ts-node's factory: `service.config.options` are the compiler options ts-node would transpile with. */
function create({ service }) {
    const ts = require(service.projectLocalResolveHelper("typescript", true));
    const compilerOptions = service.config.options;
    const salt = `${ts.version}\0${JSON.stringify(compilerOptions)}\0`;
    const enabled = process.env.PREVIEW_TS_CACHE !== "0";
    return {
        transpile(code, { fileName }) {
            const key = crypto.createHash("sha256").update(salt).update(fileName).update("\0").update(code).digest("hex");
            const file = path.join(CACHE_DIR, `${crypto.createHash("sha256").update(fileName).digest("hex").slice(0, 32)}.json`);
            if (enabled) {
                const hit = read(file);
                if (hit && hit.key === key) return { outputText: hit.outputText, sourceMapText: hit.sourceMapText };
            }
            const result = ts.transpileModule(code, { fileName, compilerOptions, reportDiagnostics: true });
            if (enabled && (result.diagnostics ?? []).length === 0) {
                write(file, { key, outputText: result.outputText, sourceMapText: result.sourceMapText });
            }
            return result;
        },
    };
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
