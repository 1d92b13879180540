import * as assert from "assert";
import { runPreview, PreviewResult, ResourceRecord } from "../../tools/preview";
import { OFFLINE_ORGANIZATION } from "../../tools/preview";
import { fargate, Graph, PROJECT, ROOT } from "../helpers";

/**
 * Moving a service from the environment's stack into a shard of its own
 * (docs/scale.md, "Moving a service between shards"): `pulumi state move`
 * rewrites the URNs' stack and keeps every resource, so the shard's program
 * must declare the same resources (type and name) with the same physical
 * names and inputs, fed by resources that moved with it.
 */
const services = [
    fargate("web", { consumes: ["orders"] }),
    fargate("orders", { consumes: ["notify"] }),
    { name: "notify", runtime: "lambda", port: 8080, function: { code: "services/notifier" } },
    { name: "rank", runtime: "ecs-ec2", port: 9000, image: "1.0.0", instanceTypes: ["m7i.large"] },
];
const shards = [
    { name: "front", services: ["web"] },
    { name: "orders", services: ["orders", "notify", "rank"] },
];

function config(keys: "stack" | "service", shard?: string): Record<string, unknown> {
    return {
        "aws:region": "us-east-1",
        ...(shard ? { [`${PROJECT}:environment`]: "dev", [`${PROJECT}:shard`]: shard } : {}),
        [`${PROJECT}:platform`]: { keys },
        [`${PROJECT}:services`]: services,
        [`${PROJECT}:shards`]: shards,
    };
}

const MOVED = ["orders", "notify", "rank"];
/** The physical names AWS knows the moved services' resources by. */
const NAME_INPUTS = ["name", "family", "functionName", "clusterName", "repositoryName", "namePrefix"];

/** The moved services' resources: theirs by tag or owning component, and the accepters of edges into them. */
function movedOf(result: PreviewResult): ResourceRecord[] {
    const g = new Graph(result);
    const owner = (r: ResourceRecord): string | undefined => {
        for (let x: ResourceRecord | undefined = r; x; x = x.parent ? g.byUrn.get(x.parent) : undefined) {
            const tag = Graph.serviceOf(x);
            if (tag) return tag;
            if (MOVED.includes(x.name) && x.type.startsWith("privatelink:")) return x.name;
            const edge = /^(.+)-to-.+$/.exec(x.name);
            if (edge && x.type === "privatelink:mesh:PrivateLinkConsumer") return edge[1];
        }
        return undefined;
    };
    return result.resources.filter(r => {
        if (r.type === "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter") {
            return MOVED.includes(/-to-(.+)-accept$/.exec(r.name)?.[1] ?? "");
        }
        return MOVED.includes(owner(r) ?? "");
    });
}

/** A resource's identity across stacks: its type and the names of its ancestors and itself (what state move keeps). */
function identity(r: ResourceRecord): string {
    return `${r.type}::${r.name}`;
}

/**
 * Inputs with what a move legitimately changes taken out: the stack in URNs
 * and in the `privatelink:stack` tag (an in-place tag update), and the random
 * suffix of auto-names, which the fake cloud derives from the URN while
 * Pulumi keeps a resource's auto-name in its state (and the state moves).
 */
function normalise(value: unknown, stack: string): unknown {
    if (value === undefined) return undefined;
    // Launch templates carry the (auto-named) ECS cluster inside base64 user data.
    const text = JSON.stringify(value, (k, v: unknown) => (k === "userData" && typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : v));
    return JSON.parse(text.split(`urn:pulumi:${stack}::`).join("urn:pulumi:<stack>::")
        .split(`"privatelink:stack":"${stack}"`).join(`"privatelink:stack":"<stack>"`)
        .split(`"key":"privatelink:stack","propagateAtLaunch":true,"value":"${stack}"`).join(`"key":"privatelink:stack","propagateAtLaunch":true,"value":"<stack>"`)
        .replace(/-[0-9a-f]{7}\b/g, "-<autoname>"));
}

async function plans(keys: "stack" | "service"): Promise<{ env: PreviewResult; shard: PreviewResult }> {
    const [env, shard] = await Promise.all([
        runPreview({ projectDir: ROOT, stack: "dev", mode: "preview", stackConfig: config(keys) }),
        runPreview({
            projectDir: ROOT, stack: "dev.orders", mode: "preview", stackConfig: config(keys, "orders"),
            // The consumer's shard exports its endpoint, so the provider's stack accepts it as the environment's stack did.
            stackOutputs: new Map([[`${OFFLINE_ORGANIZATION}/${PROJECT}/dev.front`, { endpoints: { "web->orders": "vpce-0f00d0000000000a1" } }]]),
        }),
    ]);
    assert.strictEqual(env.errors, undefined, JSON.stringify(env.errors));
    assert.strictEqual(shard.errors, undefined, JSON.stringify(shard.errors));
    return { env, shard };
}

describe("moving services from the environment's stack into a shard", function () {
    this.timeout(180_000);
    let env: PreviewResult;
    let shard: PreviewResult;
    before(async () => {
        ({ env, shard } = await plans("service"));
    });

    it("maps the moved services' URNs one to one: same type and name, only the stack (and an accepter's parent) differ", () => {
        const before = movedOf(env);
        const after = movedOf(shard);
        assert.ok(before.length > 60, `${before.length} resources`);
        assert.deepStrictEqual(after.map(identity).sort(), before.map(identity).sort());
        const rename = (urn: string) => urn.replace("urn:pulumi:dev::", "urn:pulumi:dev.orders::");
        const afterUrns = new Set(after.map(r => r.urn));
        const differ = before.filter(r => !afterUrns.has(rename(r.urn)));
        // Only the accepter of the cross-shard edge changes parent (consumer's component -> provider's platform).
        assert.deepStrictEqual(differ.map(r => r.name), ["web-to-orders-accept"]);
        // Everything else of the shard belongs to the platform itself or its shard wiring.
        const extra = shard.resources.filter(r => !after.includes(r)).map(r => r.type).sort();
        assert.deepStrictEqual([...new Set(extra)], ["privatelink:index:Platform", "pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"]);
    });

    it("keeps every physical name and input, fed only by resources that move with it", () => {
        const after = new Map(movedOf(shard).map(r => [identity(r), r]));
        const movedUrns = new Set([...after.values()].map(r => r.urn));
        let names = 0;
        for (const r of movedOf(env)) {
            const s = after.get(identity(r))!;
            for (const k of NAME_INPUTS) {
                if (r.inputs[k] !== undefined) names++;
                assert.deepStrictEqual(normalise(s.inputs[k], "dev.orders"), normalise(r.inputs[k], "dev"), `${r.name}.${k}`);
            }
            // The cross-shard accepter reads the endpoint id from the consumer's stack (a known id, not this stack's).
            if (r.name === "web-to-orders-accept") continue;
            assert.deepStrictEqual(normalise(s.inputs, "dev.orders"), normalise(r.inputs, "dev"), r.urn);
            for (const [prop, deps] of Object.entries(s.propertyDependencies)) {
                for (const dep of deps) assert.ok(movedUrns.has(dep), `${s.name}.${prop} depends on ${dep}, which does not move with the service`);
            }
        }
        assert.ok(names >= 8, `${names} physical names compared`);
        // The names derive from the environment (dev), never from the stack (dev.orders).
        const named = (type: string, service: string) => movedOf(shard).find(r => r.type === type && Graph.serviceOf(r) === service)!.inputs;
        assert.strictEqual(named("aws:ecr/repository:Repository", "orders").name, "dev/orders");
        assert.strictEqual(named("aws:ecs/taskDefinition:TaskDefinition", "orders").family, "dev-orders");
        assert.strictEqual(named("aws:ecs/taskDefinition:TaskDefinition", "rank").family, "dev-rank");
        assert.strictEqual(named("aws:ecs/capacityProvider:CapacityProvider", "rank").name, "cp-dev-rank");
        assert.strictEqual(named("aws:lambda/function:Function", "notify").name, "dev-notify");
    });

    it("with one key per stack (the default), a moved service's repository would be re-encrypted: the test names the key", async () => {
        const { shard: perStack } = await plans("stack");
        const moved = new Set(movedOf(perStack).map(r => r.urn));
        const repo = movedOf(perStack).find(r => r.type === "aws:ecr/repository:Repository" && Graph.serviceOf(r) === "orders")!;
        const foreign = Object.values(repo.propertyDependencies).flat().filter(d => !moved.has(d));
        assert.ok(foreign.some(d => d.endsWith("aws:kms/key:Key::platform-key")), JSON.stringify(foreign));
    });
});
