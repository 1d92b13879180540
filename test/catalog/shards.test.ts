import * as assert from "assert";
import { crossShardEdges, findProblems, RawCatalog, selectedShard, shardOf, shardsOf, shardStackName, validateCatalog } from "../../components/catalog";

function fargate(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name, runtime: "fargate", port: 8080, image: "1.0.0", ...extra };
}
const services = [fargate("web", { consumes: ["orders", "search"] }), fargate("orders", { consumes: ["search"] }), fargate("search", { consumes: ["web"] })];
const shards = [
    { name: "storefront", services: ["web", "orders"] },
    { name: "search", services: ["search"], account: "210000000007", role: "privatelink-deployer", previewRole: "privatelink-previewer" },
];
/** A shard names another account: the environment's zones are named by id (see the zones test below). */
const platform = { zoneIds: ["use1-az1", "use1-az2"] };

function problems(raw: RawCatalog, stack?: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of findProblems(raw, { stack }).problems) {
        out[p.path] = out[p.path] === undefined ? p.message : `${out[p.path]} | ${p.message}`;
    }
    return out;
}

describe("catalog: shards", () => {
    it("without shards, one shard holds every service and its stack is the environment", () => {
        const catalog = validateCatalog({ services }, { stack: "dev" });
        assert.deepStrictEqual(shardsOf(catalog), [{ name: "dev", stack: "dev", services: ["web", "orders", "search"] }]);
        assert.deepStrictEqual(crossShardEdges(catalog), []);
        assert.strictEqual(selectedShard(catalog), undefined);
    });

    it("names each shard's stack <env>.<shard>, derives the role ARN from account, role and the region's partition", () => {
        const catalog = validateCatalog({ platform, services, shards, region: "us-east-1" }, { stack: "dev" });
        assert.strictEqual(shardStackName("dev", "search"), "dev.search");
        assert.deepStrictEqual(shardsOf(catalog).map(s => [s.name, s.stack, s.roleArn]), [
            ["storefront", "dev.storefront", undefined],
            ["search", "dev.search", "arn:aws:iam::210000000007:role/privatelink-deployer"],
        ]);
        const china = validateCatalog({ platform: { zoneIds: ["cnn1-az1", "cnn1-az2"] }, services, shards, region: "cn-north-1" }, { stack: "dev" });
        assert.strictEqual(shardOf(china, "search").roleArn, "arn:aws-cn:iam::210000000007:role/privatelink-deployer");
        assert.strictEqual(shardOf(catalog, "orders").name, "storefront");
    });

    it("lists exactly the edges whose ends are in different shards, cycles included", () => {
        const catalog = validateCatalog({ platform, services, shards }, { stack: "dev" });
        assert.deepStrictEqual(crossShardEdges(catalog), [
            { consumer: "orders", provider: "search", consumerShard: "storefront", providerShard: "search" },
            { consumer: "search", provider: "web", consumerShard: "search", providerShard: "storefront" },
            { consumer: "web", provider: "search", consumerShard: "storefront", providerShard: "search" },
        ]);
    });

    it("a shard stack selects its shard; the stack name must be <env>.<shard>", () => {
        const catalog = validateCatalog({ platform, services, shards, shard: "search", environment: "dev" }, { stack: "dev.search" });
        assert.strictEqual(catalog.environment, "dev");
        assert.strictEqual(selectedShard(catalog)?.stack, "dev.search");
        assert.match(problems({ services, shards, shard: "search", environment: "dev" }, "dev.storefront").shard, /whose stack is "dev.search": regenerate/);
        assert.match(problems({ services, shards, shard: "serch", environment: "dev" }, "dev.serch").shard, /unknown shard "serch".*did you mean "search"/i);
        assert.match(problems({ services, shards, shard: "search" }, "dev.search").environment, /is required in a shard stack/);
    });

    it("a shard in another account previews as its read-only previewRole there, never as the deploy role", () => {
        const catalog = validateCatalog({ platform, services, shards, region: "us-east-1" }, { stack: "dev" });
        assert.strictEqual(shardOf(catalog, "search").previewRoleArn, "arn:aws:iam::210000000007:role/privatelink-previewer");
        const without = problems({ platform, region: "us-east-1", services, shards: [shards[0], { ...shards[1], previewRole: undefined }] }, "dev");
        assert.match(without["shards[1].previewRole"], /is required with an account: a preview .* assumes this read-only role in that account, never the deploy role/);
        const same = problems({ platform, region: "us-east-1", services, shards: [shards[0], { ...shards[1], previewRole: "privatelink-deployer" }] }, "dev");
        assert.match(same["shards[1].previewRole"], /is the deploy role "privatelink-deployer": a preview must not hold deploy rights/);
        const alone = problems({ platform, region: "us-east-1", services, shards: [{ ...shards[0], previewRole: "viewer" }, shards[1]] }, "dev");
        assert.match(alone["shards[0].previewRole"], /no account/);
    });

    it("a shard in another account needs the environment's zones by id (platform.zoneIds): a consumer sees only the zones it shares with its provider", () => {
        const got = problems({ region: "us-east-1", services, shards }, "dev");
        assert.match(got["platform.zoneIds"], /is required when a shard names another account \(shards\[1\] search\).*only the Availability Zones that they have in common/);
        const pending = problems({ region: "us-east-1", services, shards: [shards[0], { ...shards[1], account: { needsInput: "the search team's account" } }] }, "dev");
        assert.match(pending["platform.zoneIds"], /is required when a shard names another account/);
        assert.strictEqual(problems({ region: "us-east-1", services, shards: [shards[0], { name: "search", services: ["search"] }] }, "dev")["platform.zoneIds"], undefined);
        assert.strictEqual(problems({ platform, region: "us-east-1", services, shards }, "dev")["platform.zoneIds"], undefined);
    });

    it("reports every shard problem at once, naming the path and the fix", () => {
        const got = problems({
            region: "us-east-1",
            services,
            shards: [
                { name: "Store", services: ["web", "ordres"] },
                { name: "b", services: ["web"], account: "123456789012", role: "deployer", region: "eu-west-1" },
                { name: "c", services: ["search"], role: "deployer", team: "x" },
                { name: "d", services: ["orders"], account: "210000000007" },
            ],
        }, "dev");
        assert.match(got["shards[0].name"], /not a shard name/);
        assert.match(got["shards[0].services[1]"], /unknown service "ordres".*orders/i);
        assert.match(got["shards[1].account"], /documentation example account/);
        assert.match(got["shards[1].region"], /eu-west-1 is not the environment's region us-east-1.*supportedRegions.*serviceRegion/);
        assert.match(got["shards[2].team"], /unknown field/);
        assert.match(got["shards[3].role"], /is required with an account/);
        assert.deepStrictEqual(findProblems({ services, shards: [shards[0]] }).problems.map(p => [p.path, p.message.slice(0, 30)]), [
            ["shards", "\"search\" is in no shard: add i"],
        ]);
        assert.match(problems({ services, shards: [shards[0], { name: "again", services: ["web", "search"] }] }, "dev")["shards[1].services[0]"], /already in shard "storefront"/);
    });

    it("an account left as { needsInput } plans without a role ARN and is listed with the command that sets it", () => {
        const catalog = validateCatalog({
            services,
            platform,
            shards: [shards[0], { name: "search", services: ["search"], account: { needsInput: "the search team's account" }, role: "privatelink-deployer", previewRole: "privatelink-previewer" }],
        }, { stack: "dev" });
        const search = shardOf(catalog, "search");
        assert.deepStrictEqual([search.account, search.accountNeedsInput, search.roleArn], [undefined, true, undefined]);
        const item = catalog.needsInput.find(n => n.path === "shards[1].account")!;
        assert.deepStrictEqual(item.set, ["pulumi config set --stack dev --path 'privatelink-platform:shards[1].account' '<12-digit account id>'"]);
        assert.match(problems({ services, shards: [{ name: "x", services: ["web", "orders", "search"], account: { needsInput: "y" } }] })["shards[0].role"], /is required with an account/);
    });
});
