import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./helpers";

/**
 * How the suite is laid out, where mocha would not say: a test file imported
 * by another registers its suites in the importer's process as well, so under
 * `mocha --parallel` (tools/test/run.js) they run once or twice depending on
 * which worker loads what first. Shared fixtures live in modules of their own.
 */
describe("the test suite's layout", () => {
    const files = ["test", "policies/test"].flatMap(dir =>
        fs.readdirSync(path.join(ROOT, dir), { recursive: true })
            .map(f => path.join(dir, String(f)))
            .filter(f => f.endsWith(".ts")));

    it("finds the test files", () => assert.ok(files.filter(f => f.endsWith(".test.ts")).length > 100, `${files.length} files`));

    it("no file imports a test file", () => {
        const importing = files.flatMap(f => {
            const text = fs.readFileSync(path.join(ROOT, f), "utf8");
            return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)["']([^"']+\.test)(?:\.ts)?["']/g)].map(m => `${f} imports ${m[1]}`);
        });
        assert.deepStrictEqual(importing, [], "move what is shared into a module that is not a test file");
    });
});
