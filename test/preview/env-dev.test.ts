import { strict as assert } from "assert";
import * as path from "path";
import { evaluate } from "../../policies/evaluate";
import { PreviewResult, ResourceRecord, runPreview } from "../../tools/preview";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { EnvironmentModel, EnvironmentPlan, planEnvironment } from "../../tools/preview/env";
import { checkEnvironment, environmentViolations } from "../../tools/preview/env-checks";
import { environmentModel } from "../../tools/preview/env-model";

const ROOT = path.resolve(__dirname, "..", "..");

/** The shipped dev environment as shards, planned as one, in up (every value known). */
let cached: Promise<{ model: EnvironmentModel; plan: EnvironmentPlan }> | undefined;
function devUp() {
    cached ??= (async () => {
        const model = environmentModel(ROOT, "dev");
        const plan = await planEnvironment({ projectDir: ROOT, model, mode: "up", evaluatePolicies: evaluate });
        return { model, plan };
    })();
    return cached;
}

/** One shard planned again against the converged outputs of the others (its records kept). */
async function shardPlan(name: string, mode: "up" | "preview" = "up"): Promise<{ result: PreviewResult; config: Record<string, unknown> }> {
    const { model, plan } = await devUp();
    const shard = model.shards.find(s => s.name === name)!;
    const config = model.stackConfigOf(shard);
    return { result: await runPreview({ projectDir: ROOT, stack: shard.stack, mode, stackConfig: config, stackOutputs: plan.outputs }), config };
}

const mandatory = <V extends { enforcementLevel: string; policy: string; message: string }>(vs: V[], policy?: string) => vs.filter(v => v.enforcementLevel === "mandatory" && (!policy || v.policy === policy));
const strip = (urn: string) => urn.replace(/^urn:pulumi:[^:]+::[^:]+::/, "");

describe("the dev environment as shards, planned offline as one", function () {
    this.timeout(600_000);

    it("has 0 mandatory violations over every shard and the environment checks, and accepts every cross-shard edge", async () => {
        const { model, plan } = await devUp();
        const checks = checkEnvironment(model, plan);
        assert.deepEqual(mandatory(environmentViolations(plan, checks)).map(v => v.message), []);
        const cross = model.edges.filter(e => e.consumerShard !== e.providerShard).map(e => `${e.consumer}->${e.provider}`).sort();
        assert.ok(cross.length > 0);
        assert.deepEqual(checks.wired, cross);
        assert.deepEqual(checks.accepted, cross);
    });

    it("answers the assumed-role shard as a distinct fake account, visible in principals by account id", async () => {
        const { model, plan } = await devUp();
        const other = model.shards.find(s => s.roleArn !== undefined && s.fakeAccount)!;
        assert.ok(other, "dev ships a shard in another account whose id needs input");
        const outcome = plan.shards.find(s => s.name === other.name)!;
        assert.notEqual(outcome.account, ACCOUNT_ID);
        assert.equal(outcome.account, other.account);
        const checks = checkEnvironment(model, plan);
        // Every provider its services consume admits that account; its own services admit their consumers' account.
        for (const e of model.edges.filter(x => x.consumerShard === other.name && x.providerShard !== other.name)) {
            assert.ok(checks.admitted[e.provider].includes(outcome.account), `${e.provider} admits ${outcome.account}`);
        }
        for (const e of model.edges.filter(x => x.providerShard === other.name && x.consumerShard !== other.name)) {
            assert.ok(checks.admitted[e.provider].includes(ACCOUNT_ID), `${e.provider} admits ${ACCOUNT_ID}`);
            // Its own account only for a consumer in the shard itself (its API front door, when it exposes the service).
            const local = model.edges.some(x => x.provider === e.provider && x.consumerShard === other.name);
            assert.equal(checks.admitted[e.provider].includes(outcome.account), local, `${e.provider} admits its own account only for a consumer in its shard`);
        }
    });

    it("plans the assumed-role shard's resources as the single-stack plan does, up to stack and URN prefixes", async () => {
        const { model } = await devUp();
        const other = model.shards.find(s => s.roleArn !== undefined && s.fakeAccount)!;
        const { result: shard } = await shardPlan(other.name, "preview");
        const single = await runPreview({ projectDir: ROOT, stack: "dev", mode: "preview" });
        const cross = model.edges.filter(e => e.consumerShard !== e.providerShard);
        const crossAccepter = (urn: string) => urn.endsWith("VpcEndpointConnectionAccepter") || cross.some(e => urn.endsWith(`::${e.consumer}-to-${e.provider}-accept`));
        // What only a shard has: its stack, its reads of other shards, the provider assuming its role,
        // and accepters of other shards' endpoints (in one stack the consumer's side accepts).
        // A shard's API front door serves the shard's own exposed services, so it differs from the
        // single stack's (test/platform/front-door.test.ts covers both): compared apart.
        const frontDoor = (r: ResourceRecord) => r.urn.includes("privatelink:edge:FrontDoor");
        const shardOnly = (r: ResourceRecord) => ["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference", "pulumi:providers:aws"].includes(r.type) || crossAccepter(strip(r.urn)) || frontDoor(r);
        const mine = shard.resources.filter(r => !shardOnly(r));
        const singleByUrn = new Map(single.resources.map(r => [strip(r.urn), r]));
        const ofShard = single.resources.filter(r => other.services.some(s => new RegExp(`::${s}(-|$)`).test(r.urn)) && !crossAccepter(strip(r.urn)) && !frontDoor(r));
        // The platform component and its key are in every stack.
        const platformWide = single.resources.filter(r => r.name === "platform" || r.name === "platform-key");
        assert.deepEqual(mine.map(r => strip(r.urn)).sort(), [...new Set([...ofShard, ...platformWide].map(r => strip(r.urn)))].sort());
        // Same inputs, once account ids, stack-derived auto-name suffixes and the reference-read names are aligned.
        const norm = (v: unknown) => JSON.stringify(v).split(other.account!).join("<account>").split(ACCOUNT_ID).join("<account>")
            .replace(/-[0-9a-f]{7}"/g, '-<suffix>"').replace(/"privatelink:stack":"[^"]*"/g, '"privatelink:stack":"<stack>"').replace(/com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]+/g, "<unknown>");
        for (const r of mine) {
            const o = singleByUrn.get(strip(r.urn))!;
            assert.equal(r.type, o.type);
            // An endpoint service's principals name accounts, which differ by design (checked above); the
            // shard's EKS cluster is reached as the role its provider assumes (providerCredentialOpts), the
            // single stack's with the running credentials (test/platform/shard-wiring.test.ts).
            const inputs = (x: ResourceRecord) => (x.type === "aws:ec2/vpcEndpointService:VpcEndpointService" ? { ...x.inputs, allowedPrincipals: undefined }
                : x.type === "eks:index:Cluster" ? { ...x.inputs, providerCredentialOpts: undefined } : x.inputs);
            assert.equal(norm(inputs(r)), norm(inputs(o)), strip(r.urn));
        }
        assert.deepEqual(mandatory(shard.violations), []);
    });

    describe("the policy pack over one shard", () => {
        it("takes an endpoint whose service name was read from the provider shard's stack as the declared edge", async () => {
            const { result, config } = await shardPlan("search");
            const stackConfig = config as Record<string, string>;
            const violations = await evaluate(result.resources, { mode: "up", stackConfig });
            assert.deepEqual(mandatory(violations, "interface-endpoint-declared"), []);
            assert.deepEqual(mandatory(violations, "declared-edges-only"), []);
            // The same endpoints against a catalog where search no longer consumes recommend.
            const services = (typeof config["privatelink-platform:services"] === "string" ? JSON.parse(config["privatelink-platform:services"] as string) : config["privatelink-platform:services"]) as Array<{ name: string; consumes?: string[] }>;
            const narrowed = services.map(s => (s.name === "search" ? { ...s, consumes: (s.consumes ?? []).filter(c => c !== "recommend") } : s));
            const found = await evaluate(result.resources, { mode: "up", stackConfig: { ...stackConfig, "privatelink-platform:services": narrowed } as never });
            assert.ok(mandatory(found, "interface-endpoint-declared").some(v => v.message.includes("recommend") && v.message.includes("read from stack")), JSON.stringify(mandatory(found)));
        });

        it("admits a consumer shard's account on a provider, and only when the catalog places a consumer there", async () => {
            const { result, config } = await shardPlan("storefront");
            const violations = await evaluate(result.resources, { mode: "up", stackConfig: config as Record<string, string> });
            assert.deepEqual(mandatory(violations, "endpoint-service-principals-match-catalog"), []);
            const shards = (config["privatelink-platform:shards"] as Array<Record<string, unknown>>).map(s => (s.name === "search" ? { ...s, account: undefined } : s));
            const found = await evaluate(result.resources, { mode: "up", stackConfig: { ...config, "privatelink-platform:shards": shards } as never });
            assert.ok(mandatory(found, "endpoint-service-principals-match-catalog").length > 0);
        });

        it("judges only the edges with an end in the shard: the others are the environment plan's", async () => {
            const { model } = await devUp();
            const { result, config } = await shardPlan("messaging", "preview");
            const local = new Set(model.shards.find(s => s.name === "messaging")!.services);
            const foreign = model.edges.filter(e => !local.has(e.consumer) && !local.has(e.provider)).map(e => `${e.consumer} -> ${e.provider}`);
            assert.ok(foreign.length > 0, "dev has edges between other shards");
            const reach = (await evaluate(result.resources, { mode: "preview", stackConfig: config as Record<string, string> })).filter(v => v.policy.startsWith("reachability-"));
            for (const edge of foreign) assert.ok(!reach.some(v => v.message.includes(`${edge}:`)), `${edge} reported by shard messaging: ${reach.map(v => v.message).join("\n")}`);
        });

        it("lets a shard in an account of its own admit its consumers' account, which is not its own", async () => {
            const { result, config } = await shardPlan("search");
            const violations = await evaluate(result.resources, { mode: "up", stackConfig: config as Record<string, string> });
            assert.deepEqual(mandatory(violations, "endpoint-service-principals-match-catalog").map(v => v.message), []);
        });
    });
});
