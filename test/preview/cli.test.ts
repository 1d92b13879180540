import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { parseArgs } from "../../tools/preview/cli";
import { APP, CATALOG_ERROR, FIXTURES } from "./helpers";

const BIN = path.resolve(__dirname, "..", "..", "tools", "preview", "bin.js");

function plan(...args: string[]) {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function planWith(env: Record<string, string>, ...args: string[]) {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 600_000, env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("preview: the plan command", () => {
    it("parses its options", () => {
        assert.deepEqual(parseArgs([]), { stack: "dev", mode: "preview", json: false, verbose: false, freshAccount: false, cost: false, help: false });
        assert.deepEqual(parseArgs(["--stack", "prod", "--mode=up", "--json", "--config-file", "f.yaml", "--cwd", "d", "--fresh-account", "--cost", "--verbose"]), {
            stack: "prod", mode: "up", json: true, verbose: true, configFile: "f.yaml", cwd: "d", freshAccount: true, cost: true, help: false,
        });
        assert.deepEqual(parseArgs(["--json=plan.json"]).jsonFile, "plan.json");
        assert.throws(() => parseArgs(["--mode", "destroy"]), /preview or up/);
        assert.throws(() => parseArgs(["--stack"]), /needs a value/);
        assert.throws(() => parseArgs(["--colour"]), /unknown argument/);
    });

    describe("--env: the shipped dev environment as its shards", function () {
        this.timeout(900_000);

        // That a worker thread plans exactly what one thread plans is test/preview/env-plan.test.ts's (in one process).
        it("prints each shard and the environment checks, exit 0, in one thread and with a worker thread (--json)", () => {
            const text = planWith({ PREVIEW_WORKERS: "1" }, "--env", "dev");
            assert.equal(text.code, 0, text.stderr.slice(-3000));
            const head = /^Environment dev \(preview\): 5 shard\(s\), (\d+) resources, \d+ program runs in \d pass\(es\)\n/.exec(text.stdout);
            assert.ok(head, text.stdout.slice(0, 500));
            for (const shard of ["storefront", "payments", "messaging", "ml", "search"]) assert.match(text.stdout, new RegExp(`\\n {2}dev\\.${shard} +\\d{12}`));
            assert.match(text.stdout, /\nEnvironment checks:\n {2}cross-shard edges wired by reference: [1-9]/);
            assert.match(text.stdout, /\n0 mandatory violations/);
            const two = planWith({ PREVIEW_WORKERS: "2" }, "--env", "dev", "--json");
            assert.equal(two.code, 0, two.stderr.slice(-3000));
            const doc = JSON.parse(two.stdout) as { summary: { mandatory: number; resources: number }; shards: Array<{ stack: string }> };
            assert.equal(doc.summary.mandatory, 0);
            assert.deepEqual(doc.shards.map(s => s.stack).sort(), ["dev.messaging", "dev.ml", "dev.payments", "dev.search", "dev.storefront"]);
            assert.equal(doc.summary.resources, Number(head![1]), "the JSON counts the resources the text does");
        });

        it("exits 2 for an environment without a stack file, naming it", () => {
            const r = plan("--env", "nosuch");
            assert.equal(r.code, 2);
            assert.match(r.stderr, /nosuch/);
        });
    });

    it("prints a tree, the outputs and a summary", () => {
        const r = plan("--cwd", APP, "--stack", "test");
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^Previewing update \(test\):/);
        assert.match(r.stdout, /\n \+ {3}pulumi:pulumi:Stack +fixture-app-test +create\n/);
        assert.match(r.stdout, /\n \+ {3}│  ├─ aws:ec2\/vpc:Vpc +main-vpc +create\n/);
        assert.match(r.stdout, /\n    vpcId: +output<string>\n/);
        assert.match(r.stdout, /\n    password: +\[secret\]\n/);
        assert.match(r.stdout, /\nResources:\n    \+ 13 to create\n/);
        assert.match(r.stdout, /\n    2  aws:ec2\/subnet:Subnet\n/);
        assert.match(r.stdout, /⚠️ +\[advisory\] +fixture-log-retention/, "violations from the project's policies/evaluate.ts");
    });

    it("with --json prints exactly one JSON document; program output goes to stderr", () => {
        const r = plan("--cwd", APP, "--stack", "test", "--json", "--mode", "up");
        assert.equal(r.code, 0, r.stderr);
        const doc = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(doc), ["stack", "project", "mode", "resources", "outputs", "violations", "summary", "needsInput", "offlineFallbacks", "world", "startedFrom", "diagnostics"]);
        assert.deepEqual(doc.offlineFallbacks, []);
        // What the program printed is in the document too, as the diagnostics the engine would show.
        assert.ok(doc.diagnostics.some((d: { message: string }) => /fixture-app: 2 services in eu-west-1/.test(d.message)), JSON.stringify(doc.diagnostics));
        assert.deepEqual(doc.needsInput, []);
        assert.equal(doc.mode, "up");
        assert.equal(doc.resources.length, 13);
        assert.deepEqual(Object.keys(doc.resources[0]).filter(k => !["remote", "op", "id"].includes(k)),
            ["urn", "type", "name", "parent", "custom", "inputs", "outputs", "dependencies", "propertyDependencies", "options"]);
        assert.match(r.stderr, /fixture-app: 2 services in eu-west-1/);
    });

    it("prints byte-identical JSON in separate processes", () => {
        const a = plan("--cwd", APP, "--stack", "test", "--json", "--mode", "up");
        const b = plan("--cwd", APP, "--stack", "test", "--json", "--mode", "up");
        assert.equal(a.code, 0, a.stderr);
        assert.ok(a.stdout.length > 1000);
        assert.equal(b.stdout, a.stdout);
    });

    it("exits 1 on a mandatory policy violation", () => {
        const r = plan("--cwd", APP, "--stack", "other");
        assert.equal(r.code, 1);
        assert.match(r.stdout, /❌ \[mandatory\] +fixture-vpc-tags +\(1\)\n +- \(aws:ec2\/vpc:Vpc: main-vpc\)\n +a VPC needs tags/);
    });

    it("exits 2 on a catalog error, registering nothing, also with --json", () => {
        const r = plan("--cwd", CATALOG_ERROR, "--stack", "test", "--json");
        assert.equal(r.code, 2);
        const doc = JSON.parse(r.stdout);
        assert.deepEqual(doc.resources, []);
        assert.deepEqual(doc.errors.map((e: { path: string }) => e.path), ["services[0].name", "services[0].port"]);
        assert.match(r.stderr, /services\[0\]\.port: a port is between 1 and 65535/);
    });

    it("exits 2 naming the file it looked for and the stacks that exist for an unknown stack", () => {
        const r = plan("--cwd", APP, "--stack", "prod");
        assert.equal(r.code, 2);
        assert.match(r.stderr, /Pulumi\.prod\.yaml does not exist; stacks found: other, test/);
        assert.equal(r.stdout, "");
    });

    it("fails, instead of exiting silently, when the program never finishes", () => {
        const r = plan("--cwd", path.join(FIXTURES, "never-finishes"), "--stack", "test");
        assert.equal(r.code, 1);
        assert.match(r.stderr, /the program never finished/);
        assert.equal(r.stdout, "");
    });

    it("reads the stack from --config-file", () => {
        const r = plan("--cwd", APP, "--stack", "x", "--config-file", path.join(APP, "stacks", "Pulumi.other.yaml"), "--json");
        const doc = JSON.parse(r.stdout);
        assert.equal(doc.stack, "x");
        assert.equal(doc.outputs.regionSeen, "us-east-1");
        assert.equal(doc.summary.byType["aws:ec2/subnet:Subnet"], 1);
    });
});
