import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { main, parseEnvArgs, PulumiCliMissingError, runEnv, StackOps } from "../../tools/env/cli";
import { environmentFrom } from "../../tools/env/environment";
import { fargate } from "../helpers";

/** a <-> b (a cycle), c consumes a, d alone. */
const config = {
    "aws:region": "us-east-1",
    "privatelink-platform:platform": {},
    "privatelink-platform:services": [
        fargate("alpha", { consumes: ["beta"] }), fargate("beta", { consumes: ["alpha"] }),
        fargate("gamma", { consumes: ["alpha"] }), fargate("delta"),
    ],
    "privatelink-platform:shards": [
        { name: "a", services: ["alpha"] }, { name: "b", services: ["beta"] },
        { name: "c", services: ["gamma"] }, { name: "d", services: ["delta"] },
    ],
};
const environment = () => environmentFrom(config, "qa", path.resolve(__dirname, "../.."));

/** StackOps recording what would run; `deployed` stacks have outputs. */
function fakeOps(deployed: string[] = [], failOn?: string) {
    const calls: string[] = [];
    let active = 0;
    let peak = 0;
    const run = async (what: string, stack: string) => {
        active++;
        peak = Math.max(peak, active);
        calls.push(`${what} ${stack}`);
        await new Promise(r => setTimeout(r, 2));
        active--;
        if (stack === failOn) throw new Error(`${what} of ${stack} failed`);
    };
    const ops: StackOps = {
        outputs: async stack => (deployed.includes(stack) ? { services: {} } : stack === "qa.d" ? {} : undefined),
        preview: stack => run("preview", stack),
        up: stack => run("up", stack),
    };
    return { ops, calls, peak: () => peak };
}

describe("npm run env (tools/env/cli.ts)", () => {
    it("parses its arguments and names what is wrong", () => {
        assert.deepStrictEqual(parseEnvArgs(["up", "--env", "dev", "--parallel", "2", "--touched", "a, b", "--org", "acme"]),
            { command: "up", env: "dev", parallel: 2, dryRun: false, touched: ["a", "b"], org: "acme" });
        assert.deepStrictEqual(parseEnvArgs(["preview", "--env", "dev"]), { command: "preview", env: "dev", parallel: 4, dryRun: false });
        assert.deepStrictEqual(parseEnvArgs(["up", "--env", "dev", "--dry-run", "--deployed", "all"]).deployed, "all");
        assert.throws(() => parseEnvArgs(["destroy", "--env", "dev"]), /first argument must be preview or up/);
        assert.throws(() => parseEnvArgs(["up"]), /--env is required/);
        assert.throws(() => parseEnvArgs(["up", "--env", "dev", "--parallel", "0"]), /--parallel must be a positive integer, got "0"/);
        assert.throws(() => parseEnvArgs(["up", "--env", "--parallel"]), /--env needs a value/);
        assert.throws(() => parseEnvArgs(["up", "--env", "dev", "--deployed", "all"]), /--deployed only goes with --dry-run/);
        assert.throws(() => parseEnvArgs(["up", "--env", "dev", "--force"]), /unknown argument "--force"/);
    });

    it("first deployment: runs the three waves in order, a wave after the previous one finished", async () => {
        const { ops, calls } = fakeOps();
        const lines: string[] = [];
        const { plan, ran } = await runEnv(parseEnvArgs(["up", "--env", "qa", "--parallel", "1"]), environment(), ops, l => lines.push(l));
        assert.deepStrictEqual(ran, [
            "up qa.a", "up qa.b", "up qa.d", // wave 1: endpoint services (c only consumes: it waits)
            "up qa.a", "up qa.b", "up qa.c", // wave 2: endpoints to the other shards
            "up qa.a", "up qa.b",            // wave 3: acceptance
        ]);
        assert.deepStrictEqual(calls, ran);
        assert.strictEqual(plan.waves.length, 3);
        assert.ok(lines.includes("  wave 3: qa.a (accept beta->alpha, gamma->alpha)"), lines.join("\n"));
    });

    it("a change: asks each stack for its outputs, then re-runs only the touched shards and their dependents", async () => {
        const { ops, calls } = fakeOps(["qa.a", "qa.b", "qa.c", "qa.d"]);
        const { ran } = await runEnv(parseEnvArgs(["up", "--env", "qa", "--touched", "c", "--parallel", "1"]), environment(), ops, () => undefined);
        assert.deepStrictEqual(ran, ["up qa.c", "up qa.a"]); // c re-creates its endpoint; a accepts it
        assert.deepStrictEqual(calls, ran);
    });

    it("keeps to --parallel within a wave", async () => {
        const { ops, peak } = fakeOps();
        await runEnv(parseEnvArgs(["up", "--env", "qa", "--parallel", "2"]), environment(), ops, () => undefined);
        assert.strictEqual(peak(), 2);
    });

    it("preview: every shard of the plan once, no waves (a preview writes no outputs)", async () => {
        const { ops, calls } = fakeOps(["qa.a", "qa.b", "qa.c", "qa.d"]);
        const { ran } = await runEnv(parseEnvArgs(["preview", "--env", "qa", "--touched", "b", "--parallel", "1"]), environment(), ops, () => undefined);
        assert.deepStrictEqual(ran, ["preview qa.a", "preview qa.b"]);
        assert.deepStrictEqual(calls, ran);
    });

    it("stops at the first failed stack: no later wave starts", async () => {
        const { ops, calls } = fakeOps([], "qa.b");
        await assert.rejects(runEnv(parseEnvArgs(["up", "--env", "qa", "--parallel", "1"]), environment(), ops, () => undefined), /up of qa.b failed/);
        assert.deepStrictEqual(calls, ["up qa.a", "up qa.b"]);
    });

    it("--dry-run prints the waves without Pulumi", async () => {
        const lines: string[] = [];
        const { ran } = await runEnv(parseEnvArgs(["up", "--env", "qa", "--dry-run", "--deployed", "all", "--touched", "d"]), environment(), undefined, l => lines.push(l));
        assert.deepStrictEqual(ran, []);
        assert.deepStrictEqual(lines.slice(1), ["  wave 1: qa.d (apply)"]);
        await assert.rejects(runEnv(parseEnvArgs(["up", "--env", "qa", "--touched", "x", "--dry-run"]), environment(), undefined, () => undefined),
            /--touched: x is not a shard of qa; its shards: a, b, c, d/);
    });

    describe("main", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-cli-"));
            fs.mkdirSync(path.join(dir, "stacks"));
            fs.writeFileSync(path.join(dir, "stacks", "Pulumi.qa.yaml"), YAML.stringify({ config }));
        });

        it("without the Pulumi CLI: exit 3, a message saying what to install and what works offline, no stack touched", async () => {
            const lines: string[] = [];
            const savedPath = process.env.PATH;
            process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-")); // no `pulumi` here
            try {
                assert.strictEqual(await main(["up", "--env", "qa"], { projectDir: dir, log: l => lines.push(l) }), 3);
            } finally {
                process.env.PATH = savedPath;
            }
            const text = lines.join("\n");
            assert.match(text, /the Pulumi CLI was not found on PATH/);
            assert.match(text, /https:\/\/www\.pulumi\.com\/docs\/iac\/download-install\//);
            assert.match(text, /npm run plan -- --env qa/);
            assert.doesNotMatch(text, /wave 1/);
        });

        it("exit codes: 2 for bad arguments or an unknown environment, 1 for a failed stack, 0 when done", async () => {
            const quiet = { projectDir: dir, log: () => undefined };
            assert.strictEqual(await main(["up", "--env", "nope"], quiet), 2);
            assert.strictEqual(await main(["up"], quiet), 2);
            assert.strictEqual(await main(["up", "--env", "qa"], { ...quiet, ops: async () => fakeOps([], "qa.a").ops }), 1);
            assert.strictEqual(await main(["up", "--env", "qa"], { ...quiet, ops: async () => fakeOps().ops }), 0);
            assert.strictEqual(await main(["up", "--env", "qa"], { ...quiet, ops: async () => { throw new PulumiCliMissingError("none"); } }), 3);
        });
    });
});
