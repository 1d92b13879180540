/**
 * Lifecycles of a sharded environment: `npm run env` itself (tools/env/cli.ts
 * `main`, `automationOps` and the real wave runner) drives the real program
 * through the Automation API faked at the workspace boundary
 * (./offline-workspace.ts). Each step starts from the backend the previous
 * one left: which stacks exist, and each one's last deployed outputs.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { crossShardEdges, edgeName } from "../../components/catalog";
import { loadEnvironment } from "../../components/catalog/environment";
import { main } from "../../tools/env/cli";
import { computeMatrix } from "../../tools/env/matrix";
import { fakeAccountFor } from "../../tools/preview/env";
import { generate } from "../../tools/shards/generate";
import { catalogConfig, fargate, PROJECT, ROOT } from "../helpers";
import { OfflineBackend, offlineAutomation } from "./offline-workspace";

/** `npm run env -- <argv>` in `projectDir` against `backend`; fails the test unless it exits 0. */
async function env(argv: string[], backend: OfflineBackend, projectDir: string): Promise<string[]> {
    const lines: string[] = [];
    const code = await main(argv, { projectDir, log: l => lines.push(l), automation: async () => offlineAutomation(backend) });
    assert.strictEqual(code, 0, lines.join("\n"));
    return lines;
}

/**
 * The environment has converged: every cross-shard edge has its consumer's
 * endpoint exported and accepted by the provider's stack (the accepter of
 * exactly that endpoint, on the provider's current endpoint service).
 */
function assertConverged(backend: OfflineBackend, projectDir: string, envName: string): void {
    const environment = loadEnvironment(projectDir, envName);
    const stackOf = new Map(environment.shards.map(s => [s.name, s.stack]));
    const edges = crossShardEdges(environment.catalog);
    assert.ok(edges.length > 0);
    for (const e of edges) {
        const consumer = backend.outputsOf(stackOf.get(e.consumerShard)!) as { endpoints?: Record<string, string> };
        const provider = backend.outputsOf(stackOf.get(e.providerShard)!) as { services?: Record<string, { endpointServiceId?: string }> };
        const endpoint = consumer.endpoints?.[edgeName(e)];
        assert.ok(endpoint, `${edgeName(e)}: ${stackOf.get(e.consumerShard)} exports no endpoint`);
        const service = provider.services?.[e.provider]?.endpointServiceId;
        assert.ok(service, `${edgeName(e)}: ${stackOf.get(e.providerShard)} exports no endpoint service for ${e.provider}`);
        const accepted = backend.deployments.get(backend.qualify(stackOf.get(e.providerShard)!))?.accepted ?? [];
        assert.ok(accepted.includes(`${service}_${endpoint}`), `${edgeName(e)}: ${stackOf.get(e.providerShard)} does not accept ${endpoint} (accepts ${accepted.join(", ") || "nothing"})`);
    }
}

describe("lifecycles of a sharded environment through npm run env and the offline workspace", function () {
    this.timeout(1_800_000);

    it("the shipped dev environment from nothing: init, then three waves; every cross-shard edge wired and accepted", async () => {
        // The shipped catalog with the search team's account set (a real `up` refuses to start while it is
        // { needsInput }): the account the offline environment plan gives it.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-dev-"));
        fs.mkdirSync(path.join(dir, "stacks"));
        // The files the catalog names (request schemas, function code) and the policy pack, as in the repository.
        for (const d of ["policies", "schemas", "services"]) fs.symlinkSync(path.join(ROOT, d), path.join(dir, d), "dir");
        const text = fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8");
        const withAccount = text.replace(/account: \{ needsInput: "the AWS account of the search team[^}]*\}/, `account: "${fakeAccountFor("dev", "search")}"`);
        assert.notStrictEqual(withAccount, text);
        fs.writeFileSync(path.join(dir, "stacks", "Pulumi.dev.yaml"), withAccount);
        generate(path.join(dir, "stacks"));
        const backend = new OfflineBackend();
        const lines = await env(["up", "--env", "dev", "--parallel", "4"], backend, dir);
        const shards = loadEnvironment(dir, "dev").shards.map(s => s.stack).sort();
        assert.deepStrictEqual(backend.existing(), shards);
        assert.deepStrictEqual(backend.deployed(), shards);
        // Every stack existed before the first program ran (a reference to a missing one fails the run).
        assert.deepStrictEqual(backend.runs[0].existing, shards);
        assert.ok(lines.some(l => l.startsWith("init dev: creating every shard stack")), lines.join("\n"));
        assert.strictEqual(backend.runs.length, 13, backend.runs.map(r => `${r.mode} ${r.stack}`).join("\n"));
        assertConverged(backend, dir, "dev");
        // The search shard runs in its own account, through its deploy role.
        const search = backend.outputsOf("dev.search") as { services: { search: { account: string } } };
        assert.strictEqual(search.services.search.account, fakeAccountFor("dev", "search"));
        // A second up of an unchanged environment changes no output.
        const before = new Map(backend.stacks);
        await env(["up", "--env", "dev", "--parallel", "4"], backend, dir);
        assert.deepStrictEqual(new Map(backend.stacks), before);
    });

    describe("a small environment, changed step by step (each change as CI computes it: npm run matrix, then npm run env -- up --touched)", () => {
        // app [web] and svc [orders, payments] consume each other (web -> orders -> web), so a change to
        // both runs both in wave 1; app sorts before svc, so in a wave it runs first.
        const services = (webConsumes: string[]) => [fargate("web", { consumes: webConsumes }), fargate("orders", { consumes: ["web"] }), fargate("payments")];
        const catalog = (webConsumes: string[], shards: Array<{ name: string; services: string[] }>) => ({
            // A stack file as catalogConfig writes it (its account declared), plus the shards.
            config: { ...catalogConfig(services(webConsumes)), [`${PROJECT}:shards`]: shards },
        });
        const twoShards = [{ name: "app", services: ["web"] }, { name: "svc", services: ["orders", "payments"] }];
        const threeShards = [{ name: "app", services: ["web"] }, { name: "pay", services: ["payments"] }, { name: "svc", services: ["orders"] }];
        let dir: string;
        const backend = new OfflineBackend();

        /** Writes the environment file and its shard files, and returns the touched shards as the matrix computes them. */
        function change(doc: unknown): string {
            const stacks = path.join(dir, "stacks");
            const base = new Map(fs.readdirSync(stacks).map(f => [`stacks/${f}`, fs.readFileSync(path.join(stacks, f), "utf8")]));
            fs.writeFileSync(path.join(stacks, "Pulumi.qa.yaml"), YAML.stringify(doc));
            const changed = generate(stacks).map(l => `stacks/${l.split(" ").pop()}`);
            // As `git diff --name-only <base>...HEAD` and `git show <base>:<file>` would answer.
            const matrix = computeMatrix({ projectDir: dir, changed: ["stacks/Pulumi.qa.yaml", ...changed], readBase: f => base.get(f) });
            return matrix.up.include.find(e => e.env === "qa")!.touched;
        }

        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-lifecycle-"));
            fs.mkdirSync(path.join(dir, "stacks"));
            fs.symlinkSync(path.join(ROOT, "policies"), path.join(dir, "policies"), "dir");
        });

        it("1. from nothing: a preview (init first: every stack created, none deployed), then up in waves; web->orders wired and accepted", async () => {
            change(catalog(["orders"], twoShards));
            await env(["preview", "--env", "qa"], backend, dir);
            assert.deepStrictEqual(backend.existing(), ["qa.app", "qa.svc"]);
            assert.deepStrictEqual(backend.deployed(), []);
            assert.deepStrictEqual(backend.runs.map(r => `${r.mode} ${r.stack}`), ["preview qa.app", "preview qa.svc"]);
            await env(["up", "--env", "qa"], backend, dir);
            assert.deepStrictEqual(backend.deployed(), ["qa.app", "qa.svc"]);
            assertConverged(backend, dir, "qa");
        });

        it("2. adding an edge across shards: the consumer waits in wave 1 until the provider admits it, then wires it", async () => {
            const touched = change(catalog(["orders", "payments"], twoShards));
            assert.strictEqual(touched, "app,svc", "the provider's principals change too");
            const start = backend.runs.length;
            const lines = await env(["up", "--env", "qa", "--touched", touched], backend, dir);
            // Wave 1: app (reads svc's deployment, which does not admit it for payments yet: skips that edge) and svc
            // (admits app); wave 2: app creates the endpoint; wave 3: both accept what the other created.
            assert.deepStrictEqual(backend.runs.slice(start).map(r => r.stack), ["qa.app", "qa.svc", "qa.app", "qa.svc", "qa.app", "qa.svc"], lines.join("\n"));
            assert.ok(lines.some(l => l.includes("web->payments")), lines.join("\n"));
            assertConverged(backend, dir, "qa");
        });

        it("3. moving a service to another shard (docs/scale.md): init creates the new shard's stack before wave 1, consumers re-point, the new owner accepts", async () => {
            const touched = change(catalog(["orders", "payments"], threeShards));
            assert.deepStrictEqual(touched.split(",").sort(), ["pay", "svc"]);
            const start = backend.runs.length;
            await env(["up", "--env", "qa", "--touched", touched], backend, dir);
            // qa.pay existed (created by init, no deployment) when the first run of this change started.
            assert.ok(backend.runs[start].existing.includes("qa.pay"));
            assert.deepStrictEqual(backend.deployed(), ["qa.app", "qa.pay", "qa.svc"]);
            const svc = backend.outputsOf("qa.svc") as { services: Record<string, unknown> };
            assert.deepStrictEqual(Object.keys(svc.services), ["orders"], "payments left qa.svc");
            assertConverged(backend, dir, "qa");
        });
    });
});
