import { strict as assert } from "assert";
import * as path from "path";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { EnvEdge, EnvironmentModel, EnvShard, fakeAccountFor, planEnvironment, providersFirst } from "../../tools/preview/env";
import { checkEnvironment, environmentQuotas } from "../../tools/preview/env-checks";
import { FIXTURES } from "./helpers";

const SHARD_APP = path.join(FIXTURES, "shard-app");
const OTHER = String((Number(ACCOUNT_ID.slice(0, 6)) + 7) % 1e6).padStart(6, "0") + ACCOUNT_ID.slice(6);

interface Svc { name: string; shard: string; consumes: string[] }

/** An environment of the fixture program: services with their shard, shards with an optional account and role. */
function model(services: Svc[], shards: Array<{ name: string; account?: string; roleArn?: string; accountNeedsInput?: boolean }>): EnvironmentModel {
    const envShards: EnvShard[] = shards.map(s => ({ ...s, stack: `dev.${s.name}`, services: services.filter(x => x.shard === s.name).map(x => x.name) }));
    const shardOf = new Map(services.map(s => [s.name, s.shard]));
    const edges: EnvEdge[] = services.flatMap(s => s.consumes.map(p => ({ consumer: s.name, provider: p, consumerShard: s.shard, providerShard: shardOf.get(p)! })));
    return {
        env: "dev",
        region: "us-east-1",
        shards: envShards,
        edges,
        envConfig: {},
        stackConfigOf: shard => ({
            "aws:region": "us-east-1",
            "shardapp:environment": "dev",
            "shardapp:shard": shard.name,
            "shardapp:shards": shards.map(s => ({ name: s.name, account: s.account ?? (s.accountNeedsInput ? fakeAccountFor("dev", s.name) : undefined), roleArn: s.roleArn })),
            "shardapp:services": services,
        }),
    };
}

const TWO = [
    { name: "orders", shard: "core", consumes: [] },
    { name: "web", shard: "edge", consumes: ["orders"] },
];
const CYCLE = [
    { name: "alpha", shard: "a", consumes: ["beta"] },
    { name: "beta", shard: "b", consumes: ["alpha"] },
];

describe("preview: the offline environment plan", () => {
    it("orders providers before consumers, and breaks a cycle by name", () => {
        const m = model([...TWO, { name: "cart", shard: "shop", consumes: ["web"] }], [{ name: "shop" }, { name: "edge" }, { name: "core" }]);
        assert.deepEqual(providersFirst(m.shards, m.edges), ["core", "edge", "shop"]);
        const c = model(CYCLE, [{ name: "b" }, { name: "a" }]);
        assert.deepEqual(providersFirst(c.shards, c.edges), ["a", "b"]);
    });

    it("gives a needsInput account a fake account of its own, distinct per shard and from the cloud's", () => {
        assert.match(fakeAccountFor("dev", "x"), /^\d{12}$/);
        assert.notEqual(fakeAccountFor("dev", "x"), fakeAccountFor("dev", "y"));
        assert.notEqual(fakeAccountFor("dev", "x"), ACCOUNT_ID);
    });

    for (const mode of ["up", "preview"] as const) {
        it(`in ${mode}, wires a cross-shard edge through references and accepts the declared endpoint`, async () => {
            const m = model(TWO, [{ name: "core" }, { name: "edge" }]);
            const plan = await planEnvironment({ projectDir: SHARD_APP, model: m, mode });
            const checks = checkEnvironment(m, plan);
            assert.deepEqual(checks.wired, ["web->orders"]);
            if (mode === "up") assert.deepEqual(checks.accepted, ["web->orders"]);
            assert.deepEqual(checks.findings.filter(f => f.enforcementLevel === "mandatory"), []);
            // core is planned, then edge reads it, then core again to accept edge's endpoint.
            assert.equal(plan.passes, 2);
        });
    }

    it("converges a cycle A <-> B in three passes, each edge wired and accepted", async () => {
        const m = model(CYCLE, [{ name: "a" }, { name: "b" }]);
        const plan = await planEnvironment({ projectDir: SHARD_APP, model: m, mode: "up" });
        const checks = checkEnvironment(m, plan);
        assert.deepEqual(checks.wired, ["alpha->beta", "beta->alpha"]);
        assert.deepEqual(checks.accepted, ["alpha->beta", "beta->alpha"]);
        assert.equal(plan.passes, 3);
        assert.deepEqual(checks.findings, []);
    });

    it("shows a shard behind an assumed role as its own account: principals by account id", async () => {
        const m = model(TWO, [{ name: "core" }, { name: "edge", account: OTHER, roleArn: `arn:aws:iam::${OTHER}:role/deployer` }]);
        const plan = await planEnvironment({ projectDir: SHARD_APP, model: m, mode: "up" });
        assert.equal(plan.shards.find(s => s.name === "edge")!.account, OTHER);
        assert.equal(plan.shards.find(s => s.name === "core")!.account, ACCOUNT_ID);
        const checks = checkEnvironment(m, plan);
        assert.deepEqual(checks.admitted.orders, [OTHER]);
        assert.deepEqual(checks.accepted, ["web->orders"]);
        assert.deepEqual(checks.findings, []);
    });

    it("reports a provider that admits an account none of its declared consumers runs in", async () => {
        // The provider shard believes web runs in OTHER; web's shard actually runs in the default account.
        const m = model(TWO, [{ name: "core" }, { name: "edge" }]);
        const lying: EnvironmentModel = {
            ...m,
            stackConfigOf: s => {
                const c = m.stackConfigOf(s);
                return s.name === "core" ? { ...c, "shardapp:shards": [{ name: "core" }, { name: "edge", account: OTHER }] } : c;
            },
        };
        const plan = await planEnvironment({ projectDir: SHARD_APP, model: lying, mode: "up" });
        const messages = checkEnvironment(lying, plan).findings.filter(f => f.check === "env-principals").map(f => f.message);
        assert.equal(messages.length, 2, messages.join("\n"));
        assert.ok(messages.some(x => x.includes(`does not admit account ${ACCOUNT_ID}`)));
        assert.ok(messages.some(x => x.includes(`admits account ${OTHER}`)));
    });

    it("reports an endpoint to another shard's service that the catalog does not declare", async () => {
        const m = model(TWO, [{ name: "core" }, { name: "edge" }]);
        // The program is given an edge the environment's catalog does not have.
        const undeclared: EnvironmentModel = { ...m, edges: [] };
        const plan = await planEnvironment({ projectDir: SHARD_APP, model: m, mode: "up" });
        const findings = checkEnvironment(undeclared, plan).findings.map(f => f.check);
        assert.ok(findings.includes("env-declared-edges-only"), findings.join(", "));
        assert.ok(findings.includes("env-acceptance"), findings.join(", "));
    });

    it("releases each shard's records once planned: only summaries and join facts are kept", async () => {
        const m = model(TWO, [{ name: "core" }, { name: "edge" }]);
        const seen: number[] = [];
        const plan = await planEnvironment({ projectDir: SHARD_APP, model: m, mode: "up", onShardPlanned: (_s, info) => seen.push(info.resources) });
        assert.ok(seen.every(n => n > 0));
        const kept = JSON.stringify(plan.shards);
        for (const field of ['"options"', '"propertyDependencies"', '"inputs"', '"outputs"']) assert.ok(!kept.includes(field), `a shard outcome keeps ${field}`);
        assert.ok(plan.shards.every(s => !("resources" in s && Array.isArray((s as unknown as { resources: unknown }).resources))));
        assert.deepEqual(plan.netRecords, [], "no network records without a reachability model");
    });

    it("sums region quotas per account and Region over the shards there", () => {
        const row = (need: number, limit: number) => ({ code: "L-F678F1CE", name: "VPCs per Region", scope: "region", region: "us-east-1", need, limit }) as never;
        const shard = (name: string, account: string, need: number) => ({ name, account, region: "us-east-1", quotas: [row(need, 5)] }) as never;
        const rows = environmentQuotas([shard("a", ACCOUNT_ID, 3), shard("b", ACCOUNT_ID, 3), shard("c", OTHER, 3)]);
        assert.deepEqual(rows.map(r => [r.account, r.need, r.ok]), [[ACCOUNT_ID, 6, false], [OTHER, 3, true]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
    });

    it("counts what exists once per account and Region once, not once per shard (the default VPC)", () => {
        // Each shard needs its 2 VPCs plus the Region's default VPC (countQuotaNeeds: perAccountRegion 1).
        const row = { code: "L-F678F1CE", name: "VPCs per Region", scope: "region", region: "us-east-1", need: 3, perAccountRegion: 1, limit: 5 } as never;
        const shards = ["a", "b"].map(name => ({ name, account: ACCOUNT_ID, region: "us-east-1", quotas: [row] }) as never);
        assert.deepEqual(environmentQuotas(shards).map(r => [r.need, r.ok]), [[5, true]]);
        const three = ["a", "b", "c"].map(name => ({ name, account: ACCOUNT_ID, region: "us-east-1", quotas: [row] }) as never);
        assert.deepEqual(environmentQuotas(three).map(r => [r.need, r.ok]), [[7, false]]);
    });
});
