import * as assert from "assert";
import { builtinModules } from "module";
import * as fs from "fs";
import * as path from "path";

/**
 * The pack is published on its own: `pulumi policy publish` uploads only this
 * directory and installs its dependencies from the registry (policies/package.json).
 * So no file the pack loads may import from outside `policies/` (the program,
 * `tools/`), and every package it imports must be one of its own dependencies.
 * The pack's tests (`policies/test/`) are uploaded but never loaded by the
 * engine: they may run the program against the pack.
 */
const PACK = path.resolve(__dirname, "..");

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" || p === path.join(PACK, "test") ? [] : walk(p);
        return /\.(ts|js|json)$/.test(e.name) ? [p] : [];
    });
}

/** Module specifiers of static imports and re-exports, dynamic imports and require calls. */
export function specifiers(source: string): string[] {
    const out: string[] = [];
    const patterns = [/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
    for (const re of patterns) {
        for (const m of source.matchAll(re)) out.push(m[1]);
    }
    return out;
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
function packageName(spec: string): string {
    const parts = spec.split("/");
    return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

describe("the pack is self-contained", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    const declared = new Set(Object.keys(pkg.dependencies ?? {}));
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

    it("reads import specifiers as written (static, re-export, dynamic, require)", () => {
        const src = `import a from "./a";\nimport type { B } from '../../components/b';\nexport { c } from "../c";\nimport "./side";\nconst d = require("../../tools/d");\nconst e = await import("e/sub");\nimport {\n  f,\n} from "@s/f/x";`;
        assert.deepStrictEqual(specifiers(src).sort(), ["../../components/b", "../../tools/d", "../c", "./a", "./side", "@s/f/x", "e/sub"].sort());
    });

    it("imports nothing from outside policies/, and only packages policies/package.json declares", () => {
        const outside: string[] = [];
        const undeclared: string[] = [];
        const files = walk(PACK).filter((f) => !f.endsWith(".json"));
        assert.ok(files.length > 100, `${files.length} files read`);
        for (const file of files) {
            for (const spec of specifiers(fs.readFileSync(file, "utf8"))) {
                const rel = path.relative(PACK, file);
                if (spec.startsWith(".")) {
                    const target = path.resolve(path.dirname(file), spec);
                    if (path.relative(PACK, target).startsWith("..")) outside.push(`${rel}: ${spec}`);
                } else if (!builtins.has(spec) && !builtins.has(packageName(spec)) && !declared.has(packageName(spec))) {
                    undeclared.push(`${rel}: ${spec}`);
                }
            }
        }
        assert.deepStrictEqual(outside, [], "files of the pack import from outside policies/");
        assert.deepStrictEqual(undeclared, [], "packages the pack imports but policies/package.json does not declare");
    });
});
