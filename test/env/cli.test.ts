import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { main, parseEnvArgs, runEnv } from "../../tools/env/cli";
import { mapLimited } from "../../tools/env/waves";
import { OfflineBackend, offlineAutomation, ProgramRun } from "./offline-workspace";
import { environmentFrom } from "../../components/catalog/environment";
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

/** The cross-shard neighbours of each shard of the qa catalog (what its program reads through StackReference). */
const NEIGHBOURS: Record<string, string[]> = { "qa.a": ["qa.b", "qa.c"], "qa.b": ["qa.a"], "qa.c": ["qa.a"], "qa.d": [] };

/**
 * A light stand-in for the program, with the engine's StackReference rule:
 * reading a stack the backend does not hold fails (`unknown stack`); `failOn`
 * fails that stack's run. An `up` deploys outputs.
 */
function lightProgram(failOn?: string): ProgramRun {
    return async ({ stack, mode, stackOutputs }) => {
        await new Promise(r => setTimeout(r, 2));
        for (const other of NEIGHBOURS[stack] ?? []) {
            const name = `organization/privatelink-platform/${other}`;
            if (!stackOutputs.has(name)) throw new Error(`unknown stack ${JSON.stringify(name)}`);
        }
        if (stack === failOn) throw new Error(`${mode} of ${stack} failed`);
        return { services: { [stack]: {} } };
    };
}

/** A backend whose `deployed` stacks exist with outputs. */
function backendWith(deployed: string[] = []): OfflineBackend {
    const backend = new OfflineBackend();
    for (const s of deployed) backend.stacks.set(backend.qualify(s), { services: { [s]: {} } });
    return backend;
}

/** Runs `npm run env` (tools/env/cli.ts main) through the offline workspace; returns the exit code and what it logged. */
async function env(argv: string[], backend: OfflineBackend, program: ProgramRun = lightProgram(), projectDir = qaDir()): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await main(argv, { projectDir, log: l => lines.push(l), automation: async () => offlineAutomation(backend, program) });
    return { code, lines };
}

let qa: string | undefined;
function qaDir(): string {
    if (!qa) {
        qa = fs.mkdtempSync(path.join(os.tmpdir(), "env-cli-"));
        fs.mkdirSync(path.join(qa, "stacks"));
        fs.writeFileSync(path.join(qa, "stacks", "Pulumi.qa.yaml"), YAML.stringify({ config }));
        // The project's policy pack, which every preview and up runs.
        fs.symlinkSync(path.resolve(__dirname, "../../policies"), path.join(qa, "policies"), "dir");
    }
    return qa;
}

const only = (calls: string[], verb: string) => calls.filter(c => c.startsWith(`${verb} `)).map(c => c.slice(verb.length + 1));

describe("npm run env (tools/env/cli.ts)", () => {
    it("parses its arguments and names what is wrong", () => {
        assert.deepStrictEqual(parseEnvArgs(["up", "--env", "dev", "--parallel", "2", "--touched", "a, b", "--org", "acme"]),
            { command: "up", env: "dev", parallel: 2, dryRun: false, touched: ["a", "b"], org: "acme" });
        assert.deepStrictEqual(parseEnvArgs(["preview", "--env", "dev"]), { command: "preview", env: "dev", parallel: 4, dryRun: false });
        assert.deepStrictEqual(parseEnvArgs(["up", "--env", "dev", "--dry-run", "--deployed", "all"]).deployed, "all");
        assert.deepStrictEqual(parseEnvArgs(["init", "--env", "dev"]), { command: "init", env: "dev", parallel: 4, dryRun: false });
        assert.throws(() => parseEnvArgs(["destroy", "--env", "dev"]), /first argument must be init, preview or up/);
        assert.throws(() => parseEnvArgs(["up"]), /--env is required/);
        assert.throws(() => parseEnvArgs(["up", "--env", "dev", "--parallel", "0"]), /--parallel must be a positive integer, got "0"/);
        assert.throws(() => parseEnvArgs(["up", "--env", "--parallel"]), /--env needs a value/);
        assert.throws(() => parseEnvArgs(["up", "--env", "dev", "--deployed", "all"]), /--deployed only goes with --dry-run/);
        assert.throws(() => parseEnvArgs(["up", "--env", "dev", "--force"]), /unknown argument "--force"/);
    });

    it("first deployment: creates every shard stack, then runs the three waves in order, a wave after the previous one finished", async () => {
        const backend = backendWith();
        const { code, lines } = await env(["up", "--env", "qa", "--parallel", "1"], backend);
        assert.strictEqual(code, 0, lines.join("\n"));
        // What the workspace received, not what runEnv logged: every stack created before the first run.
        const firstRun = backend.calls.findIndex(c => c.startsWith("up "));
        assert.deepStrictEqual(only(backend.calls.slice(0, firstRun), "createOrSelectStack"), ["qa.a", "qa.b", "qa.c", "qa.d"]);
        assert.deepStrictEqual(only(backend.calls, "createOrSelectStack").length, 4, "each stack is created once");
        assert.deepStrictEqual(only(backend.calls, "up"), [
            "qa.a", "qa.b", "qa.d", // wave 1: endpoint services (c only consumes: it waits)
            "qa.a", "qa.b", "qa.c", // wave 2: endpoints to the other shards
            "qa.a", "qa.b",         // wave 3: acceptance
        ]);
        assert.deepStrictEqual(backend.deployed(), ["qa.a", "qa.b", "qa.c", "qa.d"]);
        assert.ok(lines.includes("  wave 3: qa.a (accept beta->alpha, gamma->alpha)"), lines.join("\n"));
    });

    it("a first deployment whose stacks are created only as each shard's up starts fails in wave 1 with unknown stack (why init comes first)", async () => {
        // The workspace as the old tooling used it: createOrSelectStack right before each up, 4 at a time.
        const backend = backendWith();
        const auto = offlineAutomation(backend, lightProgram());
        const late = async (stack: string) => (await auto.LocalWorkspace.createOrSelectStack({ stackName: stack, workDir: qaDir() }, { pulumiCommand: undefined as never }))
            .up({ policyPacks: [], onOutput: () => undefined });
        await assert.rejects(mapLimited(["qa.a", "qa.b", "qa.d"], late, 4), /unknown stack "organization\/privatelink-platform\/qa\.c"/);
    });

    it("init creates every shard stack and deploys nothing; run again, it changes nothing", async () => {
        const backend = backendWith(["qa.a"]);
        assert.strictEqual((await env(["init", "--env", "qa"], backend)).code, 0);
        assert.deepStrictEqual(backend.existing(), ["qa.a", "qa.b", "qa.c", "qa.d"]);
        assert.deepStrictEqual(backend.deployed(), ["qa.a"]);
        assert.deepStrictEqual(only(backend.calls, "up"), []);
        const before = [...backend.stacks];
        assert.strictEqual((await env(["init", "--env", "qa"], backend)).code, 0);
        assert.deepStrictEqual([...backend.stacks], before);
    });

    it("a change: asks each stack for its outputs, then re-runs only the touched shards and their dependents", async () => {
        const backend = backendWith(["qa.a", "qa.b", "qa.c", "qa.d"]);
        assert.strictEqual((await env(["up", "--env", "qa", "--touched", "c", "--parallel", "1"], backend)).code, 0);
        assert.deepStrictEqual(only(backend.calls, "outputs"), ["qa.a", "qa.b", "qa.c", "qa.d"]);
        assert.deepStrictEqual(only(backend.calls, "up"), ["qa.c", "qa.a"]); // c re-creates its endpoint; a accepts it
    });

    it("keeps to --parallel within a wave", async () => {
        let active = 0;
        let peak = 0;
        const counting: ProgramRun = async req => {
            active++;
            peak = Math.max(peak, active);
            try {
                return await lightProgram()(req);
            } finally {
                active--;
            }
        };
        assert.strictEqual((await env(["up", "--env", "qa", "--parallel", "2"], backendWith(), counting)).code, 0);
        assert.strictEqual(peak, 2);
    });

    it("preview: creates the stacks, then previews every shard of the plan once, no waves (a preview writes no outputs)", async () => {
        const fresh = backendWith();
        assert.strictEqual((await env(["preview", "--env", "qa", "--parallel", "1"], fresh)).code, 0);
        assert.deepStrictEqual(only(fresh.calls, "preview"), ["qa.a", "qa.b", "qa.c", "qa.d"]);
        assert.deepStrictEqual(fresh.deployed(), []);
        const deployed = backendWith(["qa.a", "qa.b", "qa.c", "qa.d"]);
        assert.strictEqual((await env(["preview", "--env", "qa", "--touched", "b", "--parallel", "1"], deployed)).code, 0);
        assert.deepStrictEqual(only(deployed.calls, "preview"), ["qa.a", "qa.b"]);
    });

    it("stops at the first failed stack: no later wave starts", async () => {
        const backend = backendWith();
        const { code, lines } = await env(["up", "--env", "qa", "--parallel", "1"], backend, lightProgram("qa.b"));
        assert.strictEqual(code, 1);
        assert.deepStrictEqual(only(backend.calls, "up"), ["qa.a", "qa.b"]);
        assert.match(lines.join("\n"), /error: up of qa.b failed/);
    });

    it("--dry-run prints the waves without Pulumi", async () => {
        const lines: string[] = [];
        const { ran } = await runEnv(parseEnvArgs(["up", "--env", "qa", "--dry-run", "--deployed", "all", "--touched", "d"]), environment(), undefined, l => lines.push(l));
        assert.deepStrictEqual(ran, []);
        assert.deepStrictEqual(lines.slice(1), ["up qa: 1 wave(s), at most 4 stack(s) at a time; deployed before: a, b, c, d", "  wave 1: qa.d (apply)"]);
        assert.match(lines[0], /^init qa: would create every shard stack that does not exist yet: qa.a, qa.b, qa.c, qa.d$/);
        await assert.rejects(runEnv(parseEnvArgs(["up", "--env", "qa", "--touched", "x", "--dry-run"]), environment(), undefined, () => undefined),
            /--touched: x is not a shard of qa; its shards: a, b, c, d/);
    });

    describe("main", () => {
        it("without the Pulumi CLI: exit 3, a message saying what to install and what works offline, no stack touched", async () => {
            const lines: string[] = [];
            const savedPath = process.env.PATH;
            process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-")); // no `pulumi` here
            try {
                // The real Automation API (no `automation` given): its PulumiCommand.get() finds no CLI.
                assert.strictEqual(await main(["up", "--env", "qa"], { projectDir: qaDir(), log: l => lines.push(l) }), 3);
            } finally {
                process.env.PATH = savedPath;
            }
            const text = lines.join("\n");
            assert.match(text, /the Pulumi CLI was not found on PATH/);
            assert.match(text, /https:\/\/www\.pulumi\.com\/docs\/iac\/download-install\//);
            assert.match(text, /npm run plan -- --env qa/);
            assert.doesNotMatch(text, /wave 1|init qa/);
        });

        it("exit codes: 2 for bad arguments or an unknown environment, 1 for a failed stack, 0 when done", async () => {
            assert.strictEqual((await env(["up", "--env", "nope"], backendWith())).code, 2);
            assert.strictEqual((await env(["up"], backendWith())).code, 2);
            assert.strictEqual((await env(["up", "--env", "qa"], backendWith(), lightProgram("qa.a"))).code, 1);
            assert.strictEqual((await env(["up", "--env", "qa"], backendWith())).code, 0);
        });
    });
});
