// Not in `npm run test:quick`: it starts the type check and the lint as a process, twice.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./helpers";

const CHECK = path.join(ROOT, "tools", "test", "check.js");

/**
 * A project of one file, checked as `npm test` checks this one
 * (tools/test/check.js): its tsconfig, and a lint config whose typed block
 * runs Pulumi's rule on `index.ts`, as eslint.config.mjs does on the program.
 */
function project(source: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
        compilerOptions: { target: "ES2022", module: "commonjs", moduleResolution: "node", lib: ["ES2022"], types: [], strict: true, skipLibCheck: true, noEmit: true },
        include: ["index.ts"],
    }));
    fs.writeFileSync(path.join(dir, "eslint.config.mjs"), [
        'import tseslint from "typescript-eslint";',
        'import pulumi from "@pulumi/eslint-plugin";',
        "export default tseslint.config(",
        '    { ignores: ["node_modules/**", "*.mjs"] },',
        "    ...tseslint.configs.recommended,",
        '    { files: ["index.ts"], languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } }, plugins: { "@pulumi": pulumi }, rules: { "@pulumi/no-output-in-template-literal": "error" } },',
        ");",
        "",
    ].join("\n"));
    fs.writeFileSync(path.join(dir, "index.ts"), source);
    return dir;
}

function check(dir: string) {
    const r = spawnSync(process.execPath, [CHECK, dir], { encoding: "utf8", timeout: 120_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    return { code: r.status, out: r.stdout + r.stderr };
}

describe("npm test's type check and lint (tools/test/check.js)", function () {
    this.timeout(180_000);

    it("passes a project with neither a type error nor a lint finding", () => {
        const r = check(project('import * as pulumi from "@pulumi/pulumi";\nexport const name = pulumi.output("x").apply(s => `name: ${s}`);\n'));
        assert.equal(r.code, 0, r.out);
        assert.match(r.out, /type check \(tsc --noEmit\): clean\nlint \(eslint\): clean\n/);
    });

    it("fails on a type error and on an Output in a template literal, each under its own label, with the finding", () => {
        const r = check(project('import * as pulumi from "@pulumi/pulumi";\nconst o = pulumi.output("x");\nexport const n: number = "x";\nexport const s = `name: ${o}`;\n'));
        assert.equal(r.code, 1, r.out);
        assert.match(r.out, /type check \(tsc --noEmit\): FAILED\n.*index\.ts\(3,14\): error TS2322/);
        assert.match(r.out, /lint \(eslint\): FAILED\n[\s\S]*4:\d+ +error +pulumi\.Output<T> not permitted in template literals +@pulumi\/no-output-in-template-literal/);
    });
});
