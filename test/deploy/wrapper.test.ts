import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluate, stackPolicyConfig } from "../../policies/evaluate";
import { withStackConfig } from "../../policies/lib/stack-config";
import { main } from "../../tools/deploy/cli";
import { loadPolicyEvaluator } from "../../tools/preview/project-hooks";
import { runPreview } from "../../tools/preview";
import { ROOT } from "../helpers";

/** A `pulumi` executable that records its arguments and exits with 0. */
function fakePulumi(): { dir: string; calls: () => string[][] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
    const log = path.join(dir, "calls.jsonl");
    fs.writeFileSync(path.join(dir, "pulumi"), `#!/usr/bin/env node\nrequire("fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + "\\n");\n`, { mode: 0o755 });
    return { dir, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map(l => JSON.parse(l) as string[]) : []) };
}

function npmRun(script: string, args: string[], env: NodeJS.ProcessEnv) {
    return spawnSync("npm", ["run", "-s", script, "--", ...args], { cwd: ROOT, encoding: "utf8", env, timeout: 120_000 });
}

function flag(args: string[], name: string): string | undefined {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
}

describe("npm run preview / npm run up: the Pulumi CLI with the pack", () => {
    const fake = fakePulumi();
    after(() => fs.rmSync(fake.dir, { recursive: true, force: true }));

    it("runs pulumi with the project's pack and the stack's environment configuration, and passes every other flag", () => {
        const env = { ...process.env, PATH: `${fake.dir}${path.delimiter}${process.env.PATH}` };
        const preview = npmRun("preview", ["--stack", "dev.payments", "--diff"], env);
        assert.strictEqual(preview.status, 0, preview.stderr);
        const up = npmRun("up", ["--stack", "prod", "--yes", "--skip-preview"], env);
        assert.strictEqual(up.status, 0, up.stderr);
        const [p, u] = fake.calls();
        assert.deepStrictEqual(p, ["preview", "--stack", "dev.payments", "--policy-pack", path.join(ROOT, "policies"), "--policy-pack-config", path.join(ROOT, "policies/config/dev.json"), "--diff"]);
        assert.deepStrictEqual(u, ["up", "--stack", "prod", "--policy-pack", path.join(ROOT, "policies"), "--policy-pack-config", path.join(ROOT, "policies/config/prod.json"), "--yes", "--skip-preview"]);
    });

    // The offline plan loads the pack's evaluate() from the same directory and,
    // given no configuration, resolves the stack's own: judging a plan with the
    // file the wrapper passes must give exactly the same findings.
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: the configuration it passes is the one the offline plan judges with`, async () => {
            const args: string[][] = [];
            const code = await main(["preview", "--stack", stack], { projectDir: ROOT, run: async a => (args.push(a), 0), err: () => undefined });
            assert.strictEqual(code, 0);
            const packDir = flag(args[0], "--policy-pack")!;
            const configFile = flag(args[0], "--policy-pack-config")!;
            assert.strictEqual(loadPolicyEvaluator(path.dirname(packDir)), evaluate, "the offline plan loads the pack the wrapper passes");
            const given = JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>;
            let withFile: unknown;
            let offline: unknown;
            await runPreview({
                projectDir: ROOT, stack, mode: "up",
                evaluatePolicies: async (records, ctx) => {
                    withFile = await evaluate(records, { mode: ctx.mode, config: given, stackConfig: ctx.stackConfig });
                    offline = await evaluate(records, { mode: ctx.mode, config: ctx.config, stackConfig: ctx.stackConfig });
                    return [];
                },
            });
            assert.ok(Array.isArray(withFile) && withFile.length > 0, "the plan has findings to compare");
            assert.deepStrictEqual(offline, withFile);
        });
    }

    it("a shard stack is judged offline with its environment's configuration, the file the wrapper passes", async () => {
        const devJson = JSON.parse(fs.readFileSync(path.join(ROOT, "policies/config/dev.json"), "utf8"));
        const resolved = await withStackConfig({ "privatelink-platform:environment": "dev" }, async () => stackPolicyConfig("dev.payments"));
        assert.deepStrictEqual(resolved, devJson);
        assert.strictEqual(await withStackConfig({}, async () => stackPolicyConfig("dev.payments")), undefined, "without an environment, a shard name is its own environment (no such file)");
    });

    it("takes the stack qualified by organization, as CI passes it, and reads the stack file of its last part", async () => {
        const args: string[][] = [];
        assert.strictEqual(await main(["preview", "--stack", "acme/dev.search"], { projectDir: ROOT, run: async a => (args.push(a), 0), err: () => undefined }), 0);
        assert.strictEqual(flag(args[0], "--stack"), "acme/dev.search");
        assert.strictEqual(flag(args[0], "--policy-pack-config"), path.join(ROOT, "policies/config/dev.json"));
    });

    const cases: Array<[string, string[], number, RegExp]> = [
        ["no --stack", ["preview"], 2, /--stack <stack> is required/],
        ["an unknown stack", ["up", "--stack", "nope"], 2, /no stack named 'nope'/],
        ["a pack of one's own", ["up", "--stack", "dev", "--policy-pack", "elsewhere"], 2, /--policy-pack is chosen by this command/],
        ["another command", ["destroy", "--stack", "dev"], 2, /first argument must be preview or up/],
    ];
    for (const [what, argv, code, says] of cases) {
        it(`exits ${code} for ${what}`, async () => {
            let err = "";
            const ran: string[][] = [];
            assert.strictEqual(await main(argv, { projectDir: ROOT, run: async a => (ran.push(a), 0), err: s => (err += s) }), code);
            assert.match(err, says);
            assert.deepStrictEqual(ran, [], "pulumi ran");
        });
    }

    it("exits 3 and says what to install when the Pulumi CLI is not on PATH", () => {
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "tools/deploy/cli.ts"), "preview", "--stack", "dev"], {
            cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH: path.dirname(process.execPath) },
        });
        assert.strictEqual(run.status, 3, run.stderr);
        assert.match(run.stderr, /Pulumi CLI was not found on PATH/);
    });
});
