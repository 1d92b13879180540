import { strict as assert } from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

// Plain JavaScript loaded as ts-node loads a `transpiler` module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cache = require("../../tools/preview/ts-cache") as {
    create(ctx: { service: unknown }): { transpile(code: string, o: { fileName: string }): { outputText: string; sourceMapText?: string } };
    CACHE_DIR: string;
};

/** What ts-node hands the transpiler: the project's compiler options and its module resolver. */
const compilerOptions: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, sourceMap: true, strict: true };
const service = { config: { options: compilerOptions }, projectLocalResolveHelper: (name: string) => require.resolve(name) };

describe("preview: the transpile cache of the plan's launcher (tools/preview/ts-cache.js)", () => {
    const fileName = path.join(__dirname, `ts-cache-probe-${process.pid}.ts`);
    const entries = () => (fs.existsSync(cache.CACHE_DIR) ? fs.readdirSync(cache.CACHE_DIR).length : 0);
    // The probe's own entry (one file per source path) goes when the test ends.
    after(() => fs.rmSync(path.join(cache.CACHE_DIR, `${createHash("sha256").update(fileName).digest("hex").slice(0, 32)}.json`), { force: true }));

    it("gives exactly TypeScript's own transpileModule output, first from TypeScript, then from the cache", () => {
        const code = "export const answer: number = 42;\nexport function twice(x: number): number { return 2 * x; }\n";
        const expected = ts.transpileModule(code, { fileName, compilerOptions });
        const t = cache.create({ service });
        const first = t.transpile(code, { fileName });
        const again = cache.create({ service }).transpile(code, { fileName });
        for (const r of [first, again]) {
            assert.equal(r.outputText, expected.outputText);
            assert.equal(r.sourceMapText, expected.sourceMapText);
        }
    });

    it("transpiles a changed source again, under the same file name", () => {
        const t = cache.create({ service });
        const a = t.transpile("export const v = 1;\n", { fileName });
        const b = t.transpile("export const v = 2;\n", { fileName });
        assert.match(a.outputText, /v = 1/);
        assert.match(b.outputText, /v = 2/);
    });

    it("gives a copy of a file in another directory TypeScript's output for the copy, from memory, and keeps no disk entry for a file outside the project", () => {
        const code = `export const copied: string = "${process.pid}";\n`;
        const copy = path.join(os.tmpdir(), `ts-cache-copy-${process.pid}`, path.basename(fileName));
        const t = cache.create({ service });
        t.transpile(code, { fileName });
        const before = entries();
        const r = t.transpile(code, { fileName: copy });
        const expected = ts.transpileModule(code, { fileName: copy, compilerOptions });
        assert.equal(r.outputText, expected.outputText);
        // TypeScript names the file relative to the output; ts-node replaces `sources` with the file's path (ts-node updateSourceMap).
        const map = JSON.parse(r.sourceMapText!);
        assert.deepEqual(map.sources, [copy]);
        assert.deepEqual({ ...map, sources: undefined }, { ...JSON.parse(expected.sourceMapText!), sources: undefined });
        assert.equal(entries(), before);
    });

    it("keeps nothing for a source with a syntax error, and writes nothing with PREVIEW_TS_CACHE=0", () => {
        const before = entries();
        cache.create({ service }).transpile("export const = ;\n", { fileName: `${fileName}-broken.ts` });
        assert.equal(entries(), before);
        process.env.PREVIEW_TS_CACHE = "0";
        try {
            const r = cache.create({ service }).transpile("export const w = 3;\n", { fileName: `${fileName}-off.ts` });
            assert.match(r.outputText, /w = 3/);
            assert.equal(entries(), before);
        } finally {
            delete process.env.PREVIEW_TS_CACHE;
        }
    });
});
