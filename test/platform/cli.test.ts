import * as assert from "assert";
import { parseShardStackName } from "../../components/catalog";
import { loadEnvironment } from "../../components/catalog/environment";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { main } from "../../tools/preview/cli";
import { catalogConfig, fargate, ROOT, stackFiles } from "../helpers";

/**
 * Runs the plan command's own code (tools/preview/cli.ts `main`, what
 * `npm run plan` runs after its launcher) in this process, with its stdout
 * and stderr kept apart. The launcher itself (bin.js: --help before the SDK
 * loads, one JSON document on a real stdout, separate processes) is
 * test/preview/cli.test.ts's.
 */
async function cli(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const status = await main(["--cwd", ROOT, ...argv], s => out.push(s), s => err.push(s));
    return { status, stdout: out.join(""), stderr: err.join("") };
}

/** `npm run plan` on a stack file of our own. */
function planCli(config: Record<string, unknown>, ...flags: string[]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const file = path.join(dir, "Pulumi.test.yaml");
    fs.writeFileSync(file, YAML.stringify({ config }));
    return cli("--stack", "test", "--config-file", file, ...flags);
}

const good = [fargate("orders", { consumes: ["payments"] }), fargate("payments")];

describe("offline preview of the real program, from the command line", () => {
    const cases: [string, unknown[], string, RegExp][] = [
        ["a misspelled dependency", [fargate("orders", { consumes: ["paymnts"] }), fargate("payments")], "services[0].consumes[0]", /unknown service "paymnts" \(did you mean "payments"\?\)/],
        ["a duplicate name", [...good, fargate("orders")], "services[2].name", /duplicate service name "orders"/],
        ["a too-long name", [...good, fargate("customer-notifications")], "services[2].name", /22 characters; at most 20/],
    ];
    for (const [what, services, field, message] of cases) {
        it(`refuses ${what}: names the field, exits 2, registers nothing`, async () => {
            const run = await planCli(catalogConfig(services), "--json");
            assert.strictEqual(run.status, 2, run.stderr);
            const doc = JSON.parse(run.stdout);
            assert.deepStrictEqual(doc.resources, []);
            const hit = doc.errors.find((e: { path: string }) => e.path === field);
            assert.ok(hit, JSON.stringify(doc.errors));
            assert.match(hit.message, message);
            assert.ok(run.stderr.includes(field), "the problem is not printed for the reader");

            const text = await planCli(catalogConfig(services));
            assert.strictEqual(text.status, 2);
            assert.ok(!/Resources:/.test(text.stdout), "a tree was printed for an invalid catalog");
            assert.ok(text.stderr.includes(field) || text.stdout.includes(field));
        });
    }

    for (const stack of stackFiles()) {
        for (const mode of ["preview", "up"]) {
            it(`plans the shipped ${stack} stack in ${mode} mode, ending with 0 mandatory violations`, async () => {
                const run = await cli("--stack", stack, "--mode", mode);
                assert.strictEqual(run.status, 0, run.stderr);
                const lines = run.stdout.trimEnd().split("\n");
                assert.match(lines[lines.length - 1], /^0 mandatory violations, \d+ advisory(, \d+ undecided until up)?$/);
                assert.match(run.stdout, /^Previewing update|^Updating/);
                // A shard's plan says which other stacks it takes to exist: every shard stack of its environment, none deployed.
                const shard = parseShardStackName(stack);
                if (shard) {
                    const siblings = loadEnvironment(ROOT, shard.env).shards.map(s => `    organization/privatelink-platform/${s.stack}`);
                    const listed = run.stdout.split("\n");
                    const at = listed.findIndex(l => l.startsWith("  taken to exist, never deployed (`npm run env -- init --env dev`"));
                    assert.ok(at >= 0, run.stdout);
                    assert.deepStrictEqual(listed.slice(at + 1, at + 1 + siblings.length), siblings);
                } else {
                    assert.doesNotMatch(run.stdout, /^Stack references:/m);
                }
            });
        }
    }

    it("prints one JSON document, with every value known, in up mode", async () => {
        // The stack declares the account it deploys into (README, first deploy); the plan simulates deploying there.
        const account = "240000000001";
        const run = await planCli({ ...catalogConfig(good), "aws:allowedAccountIds": [account] }, "--json", "--mode", "up");
        assert.strictEqual(run.status, 0, run.stderr);
        const doc = JSON.parse(run.stdout);
        assert.deepStrictEqual(doc.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory"), []);
        const arns = doc.resources.map((r: { outputs: { arn?: unknown } }) => r.outputs.arn).filter((a: unknown): a is string => typeof a === "string" && /^arn:aws:[^:]+:[^:]*:\d{12}:/.test(a));
        assert.ok(arns.length > 10 && arns.every((a: string) => a.split(":")[4] === account), JSON.stringify(arns.slice(0, 3)));
        assert.strictEqual(doc.mode, "up");
        assert.strictEqual(doc.project, "privatelink-platform");
        const endpoint = doc.resources.find((r: { name: string; type: string }) => r.name === "orders-to-payments-endpoint" && r.type === "aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.match(endpoint.outputs.dnsEntries[0].dnsName, /^vpce-[0-9a-f]+-[0-9a-z]+\.vpce-svc-[0-9a-f]+\.us-east-1\.vpce\.amazonaws\.com$/);
        assert.ok(!run.stdout.includes("<unknown>"));
        for (const key of ["urn", "type", "name", "parent", "custom", "inputs", "outputs", "dependencies", "propertyDependencies", "options"]) {
            assert.ok(key in endpoint, `record lacks ${key}`);
        }
    });
});
