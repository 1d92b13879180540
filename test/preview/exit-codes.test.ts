import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { main } from "../../tools/preview/cli";
import { SECTION_ORDER } from "../../tools/preview/render";
import { catalogConfig, fargate, ROOT, stackConfig } from "../helpers";

/**
 * `npm run plan`'s exit codes, as the README and `--help` state them:
 * 0 clean; 1 a mandatory violation or the program failed; 2 bad input of any
 * kind (catalog, stack file, flag, git ref, output path), found before
 * anything is planned wherever it can be.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "exit-codes-"));

function stackFile(name: string, config: Record<string, unknown>): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, YAML.stringify({ config }));
    return file;
}

const small = stackFile("small.yaml", catalogConfig([fargate("orders", { consumes: ["payments"] }), fargate("payments")]));
const invalidCatalog = stackFile("invalid.yaml", catalogConfig([fargate("orders", { consumes: ["paymnts"] }), fargate("payments")]));
// Declares fewer VPCs than the two services need: quotas-within-limits is mandatory.
const violating = stackFile("violating.yaml", catalogConfig([fargate("orders", { consumes: ["payments"] }), fargate("payments")], { quotas: { "L-F678F1CE": 2 } }));
const badYaml = path.join(tmp, "bad-yaml.yaml");
fs.writeFileSync(badYaml, YAML.stringify({ config: stackConfig("dev") }).replace(/image: "?1\.12\.0"?/, 'image: "1.12.0'));

interface Case {
    what: string;
    argv: string[];
    code: 0 | 1 | 2;
    /** What stderr must say (the flag, file or line at fault). */
    says?: RegExp;
    /** What stdout must say. */
    prints?: RegExp;
    /** True when the plan must not have run (nothing printed on stdout but the JSON error document). */
    beforePlanning?: boolean;
}

const CASES: Case[] = [
    { what: "a clean plan", argv: ["--stack", "test", "--config-file", small, "--mode", "up"], code: 0 },
    { what: "a mandatory policy violation", argv: ["--stack", "test", "--config-file", violating, "--mode", "up"], code: 1, prints: /❌ \[mandatory\]  quotas-within-limits/ },
    { what: "a program that fails", argv: ["--cwd", path.join(ROOT, "test/fixtures/program-error"), "--stack", "test"], code: 1, says: /the program failed: .*the fixture fails on purpose/ },
    { what: "an invalid catalog", argv: ["--stack", "test", "--config-file", invalidCatalog], code: 2, says: /services\[0\]\.consumes\[0\]: unknown service "paymnts"/ },
    { what: "an unknown stack", argv: ["--stack", "nope"], code: 2, says: /no stack named 'nope'.*stacks found: dev/, beforePlanning: true },
    { what: "a missing --config-file", argv: ["--config-file", path.join(tmp, "missing.yaml")], code: 2, says: /--config-file .*missing\.yaml: .* does not exist/, beforePlanning: true },
    { what: "a YAML syntax error in a stack file", argv: ["--config-file", badYaml], code: 2, says: /bad-yaml\.yaml:\d+:\d+: Missing closing "quote/, beforePlanning: true },
    { what: "an unknown flag", argv: ["--stakc", "dev"], code: 2, says: /unknown argument '--stakc'/, beforePlanning: true },
    { what: "a bad --mode", argv: ["--mode", "apply"], code: 2, says: /--mode is preview or up, not 'apply'/, beforePlanning: true },
    { what: "--comment without --base", argv: ["--comment", path.join(tmp, "c.md")], code: 2, says: /--comment needs --base/, beforePlanning: true },
    { what: "a --base ref that names no commit", argv: ["--stack", "dev", "--base", "no-such-ref-anywhere"], code: 2, says: /--base no-such-ref-anywhere: 'no-such-ref-anywhere' is not a commit/, beforePlanning: true },
    { what: "a --diagram file in a directory that does not exist", argv: ["--stack", "dev", "--diagram", path.join(tmp, "no/such/dir/out.svg")], code: 2, says: /--diagram .*out\.svg: the directory .* does not exist/, beforePlanning: true },
    { what: "a --diagram file of an unknown format", argv: ["--stack", "dev", "--diagram", path.join(tmp, "out.png")], code: 2, says: /must end in \.svg, \.mmd/, beforePlanning: true },
    { what: "a --diagram-focus service not in the catalog", argv: ["--stack", "dev", "--diagram", path.join(tmp, "out.svg"), "--diagram-focus", "serch"], code: 2, says: /no service "serch" \(did you mean "search"\?\) in stack 'dev'/, beforePlanning: true },
    { what: "a --json file in a directory that does not exist", argv: ["--stack", "dev", "--json=" + path.join(tmp, "no/such/out.json")], code: 2, says: /--json=.*out\.json: the directory .* does not exist/, beforePlanning: true },
    { what: "a --comment path that is a directory", argv: ["--stack", "dev", "--base", "HEAD", "--comment", tmp], code: 2, says: /is a directory/, beforePlanning: true },
];

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run plan: exit codes, one table", () => {
    for (const c of CASES) {
        it(`${c.code} for ${c.what}`, async () => {
            let stdout = "";
            let stderr = "";
            const code = await main(c.argv, s => (stdout += s), s => (stderr += s));
            assert.strictEqual(code, c.code, `exit code for ${c.what}; stderr:\n${stderr}`);
            if (c.says) assert.match(stderr, c.says);
            if (c.prints) assert.match(stdout, c.prints);
            if (c.beforePlanning) assert.strictEqual(stdout, "", `${c.what}: the plan ran before the input was checked:\n${stdout.slice(0, 400)}`);
            if (c.code === 0) assert.match(stdout, /\n0 mandatory violations/);
        });
    }

    it("0 for --help, answered by the launcher before TypeScript or the SDK load", () => {
        // A marker module the launcher would load for anything but --help.
        const run = spawnSync(process.execPath, ["-e", `
            require(${JSON.stringify(path.join(ROOT, "tools/preview/bin.js"))});
            const loaded = Object.keys(require.cache).filter(k => k.includes("ts-node") || k.includes("@pulumi"));
            process.stderr.write("loaded:" + loaded.length);
        `, "bin.js", "--help"], { encoding: "utf8", cwd: ROOT });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /^usage: npm run -s plan/);
        assert.match(run.stdout, /exit codes: 0 clean; 1 a mandatory policy violation, or the program failed;/);
        assert.match(run.stderr, /loaded:0$/);
    });

    it("--json=<file> writes the JSON document there and the text on stdout", async () => {
        const file = path.join(tmp, "plan.json");
        let stdout = "";
        const code = await main(["--stack", "test", "--config-file", small, "--json=" + file], s => (stdout += s), () => undefined);
        assert.strictEqual(code, 0);
        assert.match(stdout, /^Previewing update \(test\):/);
        const doc = JSON.parse(fs.readFileSync(file, "utf8"));
        assert.strictEqual(doc.stack, "test");
        assert.ok(doc.resources.length > 10);
    });
});

describe("npm run plan: output for people", () => {
    let text = "";
    let verbose = "";
    before(async () => {
        await main(["--stack", "test", "--config-file", small], s => (text += s), () => undefined);
        await main(["--stack", "test", "--config-file", small, "--verbose"], s => (verbose += s), () => undefined);
    });

    it("prints its sections in the documented order, the summary last", () => {
        const headings = text.split("\n").filter(l => /^[A-Z][A-Za-z -]*[:(]/.test(l)).map(l => SECTION_ORDER.findIndex(h => l.startsWith(h)));
        assert.ok(!headings.includes(-1), `a section outside SECTION_ORDER:\n${text.split("\n").filter(l => /^[A-Z][A-Za-z -]*[:(]/.test(l)).join("\n")}`);
        assert.deepStrictEqual(headings, [...headings].sort((a, b) => a - b), "sections out of order");
        assert.strictEqual(headings[headings.length - 1], SECTION_ORDER.indexOf("Summary"));
        const tail = text.slice(text.lastIndexOf("\nSummary (") + 1).trimEnd();
        assert.match(tail, /Summary \(test, preview\):\n {4}verdict: +clean/);
        assert.match(tail, /quotas: +\d+ counted, none short/);
        assert.match(tail, /reachability: +1\/1 declared edges reach/);
        assert.match(tail, /cost: +\$[\d,.]+\/month/);
        assert.match(tail, /\n0 mandatory violations, \d+ advisory, \d+ undecided until up$/);
    });

    it("folds what a preview cannot decide into one line per rule; --verbose lists each", () => {
        const folded = /⏳ undecided in a preview: (\d+) findings? of (\d+) rules?/.exec(text);
        assert.ok(folded, text);
        assert.ok(!text.includes("can't run policy"), "an undecided finding was printed in full without --verbose");
        const listed = verbose.match(/can't run policy '[^']+' from policy pack/g) ?? [];
        assert.strictEqual(listed.length, Number(folded[1]), "--verbose lists every undecided finding");
    });

    it("shows progress on a terminal, and nothing of it otherwise", async () => {
        let onTty = "";
        await main(["--stack", "test", "--config-file", small], () => undefined, s => (onTty += s), { progress: true });
        assert.match(onTty, /\rplanning test: 0 resources registered/);
        assert.match(onTty, /\rplanning test: [1-9]\d* resources registered/);
        assert.match(onTty, /\rplanning test: \d+ resources; the policy pack is running/);
        let piped = "";
        await main(["--stack", "test", "--config-file", small], () => undefined, s => (piped += s), { progress: false });
        assert.ok(!piped.includes("planning test"), piped);
    });
});
