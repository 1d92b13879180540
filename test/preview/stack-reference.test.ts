import { strict as assert } from "assert";
import * as path from "path";
import { PreviewResult, runPreview } from "../../tools/preview";
import { ACCOUNT_ID, assumedRoleAccount, FakeCloud, qualifiedStackName, stackReferenceState } from "../../tools/preview/cloud";
import { UNKNOWN_SENTINEL, wireSecret } from "../../tools/preview/values";
import { FIXTURES } from "./helpers";

const SHARD_APP = path.join(FIXTURES, "shard-app");
/** A second account, distinct from the cloud's own (never the documentation ids). */
const OTHER = String((Number(ACCOUNT_ID.slice(0, 6)) + 1) % 1e6).padStart(6, "0") + ACCOUNT_ID.slice(6);

function shardConfig(shard: string, shards: Array<{ name: string; roleArn?: string; account?: string }>) {
    return {
        "aws:region": "us-east-1",
        "shardapp:environment": "dev",
        "shardapp:shard": shard,
        "shardapp:shards": shards,
        "shardapp:services": [
            { name: "orders", shard: "core", consumes: [] },
            { name: "web", shard: "edge", consumes: ["orders"] },
        ],
    };
}

const SHARDS = [{ name: "core" }, { name: "edge" }];
/** Both shard stacks exist (the environment tooling creates them before wave 1), neither deployed. */
const CREATED = () => new Map<string, Record<string, unknown>>([["organization/shardapp/dev.core", {}], ["organization/shardapp/dev.edge", {}]]);

async function planShard(shard: string, mode: "up" | "preview", stackOutputs?: Map<string, Record<string, unknown>>, shards = SHARDS) {
    let outputs: Record<string, unknown> = {};
    const result = await runPreview({
        projectDir: SHARD_APP, stack: `dev.${shard}`, mode, stackConfig: shardConfig(shard, shards), stackOutputs,
        onStackOutputs: o => { outputs = o; },
    });
    return { result, outputs };
}

const byType = (r: PreviewResult, type: string) => r.resources.filter(x => x.type === type);

describe("preview: StackReference and assumed-role providers", () => {
    describe("the fake cloud alone", () => {
        it("answers a stack reference read as the engine's built-in provider does: name, outputs, sorted secret output names", () => {
            const cloud = new FakeCloud({ stackOutputs: { "organization/p/dev.core": { b: "x", a: wireSecret("s"), c: { nested: wireSecret(1) } } }, project: "p" });
            const r = cloud.resource({ type: "pulumi:pulumi:StackReference", name: "dev.core", urn: "urn:pulumi:dev::p::pulumi:pulumi:StackReference::dev.core", inputs: { name: "dev.core" }, custom: true, id: "dev.core" });
            assert.equal(r.id, "dev.core");
            assert.deepEqual(r.computed.secretOutputNames, ["a", "c"]);
            assert.equal((r.computed.outputs as Record<string, unknown>).b, "x");
        });

        it("fails the read of a stack that does not exist with the engine's text (backend.go GetStackOutputs: unknown stack)", () => {
            assert.throws(() => stackReferenceState("organization/p/nowhere", undefined), (e: Error) => e.message === 'unknown stack "organization/p/nowhere"');
            const cloud = new FakeCloud({ stackOutputs: new Map(), project: "p" });
            assert.equal(cloud.stackOutputsOf("nowhere"), undefined);
            assert.throws(
                () => cloud.resource({ type: "pulumi:pulumi:StackReference", name: "nowhere", urn: "urn:pulumi:dev::p::pulumi:pulumi:StackReference::nowhere", inputs: { name: "organization/p/nowhere" }, custom: true, id: "organization/p/nowhere" }),
                /^Error: unknown stack "organization\/p\/nowhere"$/);
        });

        it("answers a stack that exists but was never deployed ({} in the map) with no outputs", () => {
            assert.deepEqual(stackReferenceState("organization/p/new", {}), { name: "organization/p/new", outputs: {}, secretOutputNames: [] });
            const cloud = new FakeCloud({ stackOutputs: { "organization/p/new": {} }, project: "p" });
            const r = cloud.resource({ type: "pulumi:pulumi:StackReference", name: "new", urn: "urn:pulumi:dev::p::pulumi:pulumi:StackReference::new", inputs: { name: "new" }, custom: true, id: "new" });
            assert.deepEqual(r.computed.outputs, {});
        });

        it("completes short stack names with the organization and project", () => {
            assert.equal(qualifiedStackName("dev", { organization: "o", project: "p" }), "o/p/dev");
            assert.equal(qualifiedStackName("q/dev", { organization: "o", project: "p" }), "o/q/dev");
            assert.equal(qualifiedStackName("x/q/dev", { organization: "o", project: "p" }), "x/q/dev");
        });

        it("reads the account of an assumed role from a provider's inputs, as the SDK sends them (JSON) or as objects", () => {
            const roleArn = `arn:aws:iam::${OTHER}:role/deployer`;
            assert.equal(assumedRoleAccount({ assumeRoles: JSON.stringify([{ roleArn }]) }), OTHER);
            assert.equal(assumedRoleAccount({ assumeRoles: [{ roleArn }] }), OTHER);
            assert.equal(assumedRoleAccount({ assumeRoles: JSON.stringify([{ roleArn: UNKNOWN_SENTINEL }]) }), undefined);
            assert.equal(assumedRoleAccount({ region: "us-east-1" }), undefined);
        });

        it("answers resources and getCallerIdentity of an assumed role's provider as the role's account", () => {
            const cloud = new FakeCloud();
            const vpc = cloud.resource({ type: "aws:ec2/vpc:Vpc", name: "v", urn: "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::v", inputs: {}, custom: true, account: OTHER });
            assert.equal(vpc.computed.ownerId, OTHER);
            assert.match(String(vpc.computed.arn), new RegExp(`:${OTHER}:vpc/`));
            const id = cloud.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {}, account: OTHER, roleArn: `arn:aws:iam::${OTHER}:role/deployer` });
            assert.equal(id.accountId, OTHER);
            assert.equal(id.arn, `arn:aws:sts::${OTHER}:assumed-role/deployer/offline-preview`);
        });
    });

    describe("a program reading another stack", () => {
        for (const mode of ["up", "preview"] as const) {
            it(`in ${mode}, a reference to a stack that does not exist fails the run, as the engine's read does`, async () => {
                await assert.rejects(planShard("edge", mode), /unknown stack "organization\/shardapp\/dev\.core"/);
            });
        }

        it("in up, a stack that exists but was never deployed reads no outputs: the edge waits instead of failing", async () => {
            const { result } = await planShard("edge", "up", new Map([["organization/shardapp/dev.core", {}]]));
            assert.equal(byType(result, "aws:ec2/vpcEndpoint:VpcEndpoint").length, 0, "the edge waits for the provider's outputs");
            const ref = byType(result, "pulumi:pulumi:StackReference");
            assert.equal(ref.length, 1);
            assert.equal(ref[0].op, "read");
            assert.deepEqual(ref[0].outputs.outputs, {});
        });

        for (const mode of ["up", "preview"] as const) {
            it(`in ${mode}, reads the other stack's outputs, known as a read is, and wires them without a copied literal`, async () => {
                const core = await planShard("core", "up", CREATED());
                const map = new Map([["organization/shardapp/dev.core", core.outputs]]);
                const { result } = await planShard("edge", mode, map);
                const [endpoint] = byType(result, "aws:ec2/vpcEndpoint:VpcEndpoint");
                const providerService = byType(core.result, "aws:ec2/vpcEndpointService:VpcEndpointService")[0];
                assert.match(String(providerService.outputs.serviceName), /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);
                assert.equal(endpoint.inputs.serviceName, providerService.outputs.serviceName);
            });
        }
    });

    describe("a shard deployed through an assumed role", () => {
        const roleArn = `arn:aws:iam::${OTHER}:role/privatelink-deployer`;
        const shards = [{ name: "core" }, { name: "edge", account: OTHER, roleArn }];

        it("creates its resources in the role's account and calls as the role", async () => {
            const { result, outputs } = await planShard("edge", "up", CREATED(), shards);
            const [vpc] = byType(result, "aws:ec2/vpc:Vpc");
            assert.equal(vpc.outputs.ownerId, OTHER);
            assert.match(String(vpc.outputs.arn), new RegExp(`^arn:aws:ec2:us-east-1:${OTHER}:vpc/`));
            assert.equal(outputs.callerArn, `arn:aws:sts::${OTHER}:assumed-role/privatelink-deployer/offline-preview`);
            assert.notEqual(OTHER, ACCOUNT_ID);
        });

        it("shows the provider admitting the consumer's account by id, and the consumer's endpoint in that account", async () => {
            const core = await planShard("core", "up", CREATED(), shards);
            const [svc] = byType(core.result, "aws:ec2/vpcEndpointService:VpcEndpointService");
            assert.deepEqual(svc.inputs.allowedPrincipals, [`arn:aws:iam::${OTHER}:root`]);
            assert.equal(svc.outputs.arn && String(svc.outputs.arn).split(":")[4], ACCOUNT_ID);
            const edge = await planShard("edge", "up", new Map([["organization/shardapp/dev.core", core.outputs]]), shards);
            const [endpoint] = byType(edge.result, "aws:ec2/vpcEndpoint:VpcEndpoint");
            assert.equal(endpoint.outputs.ownerId, OTHER);
        });
    });
});
