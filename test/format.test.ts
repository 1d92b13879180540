import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./helpers";

/**
 * The formatting .editorconfig states, held for every tracked source and
 * data file: UTF-8 text ending in a newline, no trailing white space, spaces
 * for indentation (4 in TypeScript and JavaScript, checked as "no tabs"). The
 * lint (npm run lint, eslint.config.mjs) holds the code itself.
 */
describe("formatting (.editorconfig)", () => {
    const files = execFileSync("git", ["ls-files", "*.ts", "*.js", "*.mjs", "*.json", "*.yaml", "*.yml"], { cwd: ROOT, encoding: "utf8" })
        .split("\n")
        .filter(f => f !== "" && fs.existsSync(path.join(ROOT, f)));

    it("finds the files to check", () => assert.ok(files.length > 200, `${files.length} files`));

    it("every file ends with a newline, has no trailing white space and indents with spaces", () => {
        const problems: string[] = [];
        for (const f of files) {
            const text = fs.readFileSync(path.join(ROOT, f), "utf8");
            if (text.length > 0 && !text.endsWith("\n")) problems.push(`${f}: no newline at the end`);
            text.split("\n").forEach((line, i) => {
                if (/[ \t]+$/.test(line)) problems.push(`${f}:${i + 1}: trailing white space`);
                if (/^\t/.test(line)) problems.push(`${f}:${i + 1}: indented with a tab`);
            });
        }
        assert.deepStrictEqual(problems, []);
    });
});
