import * as assert from "assert";
import { runPreview, PreviewResult } from "../../tools/preview";
import { OFFLINE_ORGANIZATION } from "../../tools/preview";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { createdStacks, fargate, Graph, PROJECT, ROOT } from "../helpers";
import { evaluate } from "../../policies/evaluate";
import { toProgramConfig } from "../../tools/preview/config";

/**
 * A shard stack wired to the others only through stack references: the
 * fake cloud answers each StackReference from `stackOutputs`, as the engine
 * answers it from the referenced stack's last deployment.
 */
const FRONT_ACCOUNT = "246813579024";
const ORDERS_SERVICE_NAME = "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718";
const ORDERS_SERVICE_ID = "vpce-svc-0a1b2c3d4e5f60718";

const services = [
    fargate("web", { consumes: ["orders", "search"] }),
    fargate("orders"),
    fargate("search"),
];
const shards = [
    { name: "front", services: ["web"], account: FRONT_ACCOUNT, role: "privatelink-deployer", previewRole: "privatelink-previewer" },
    { name: "orders", services: ["orders"] },
    { name: "search", services: ["search"] },
];

function shardConfig(shard: string): Record<string, unknown> {
    return {
        "aws:region": "us-east-1",
        [`${PROJECT}:environment`]: "dev",
        [`${PROJECT}:shard`]: shard,
        [`${PROJECT}:platform`]: { zoneIds: ["use1-az1", "use1-az2"] },
        [`${PROJECT}:services`]: services,
        [`${PROJECT}:shards`]: shards,
    };
}

/** dev.orders as deployed, admitting `principals` to its endpoint service (its `declaredPrincipals` output). */
const ORDERS_DEPLOYED = (principals: string[]) => ({
    services: { orders: { endpointServiceName: ORDERS_SERVICE_NAME, endpointServiceId: ORDERS_SERVICE_ID, zoneIds: ["use1-az1", "use1-az2"], account: ACCOUNT_ID } },
    declaredPrincipals: { orders: principals },
});

const ref = (stack: string) => `${OFFLINE_ORGANIZATION}/${PROJECT}/${stack}`;

function planShard(shard: string, outputs: Record<string, Record<string, unknown>>, mode: "preview" | "up" = "up"): Promise<PreviewResult> {
    return runPreview({
        projectDir: ROOT,
        stack: `dev.${shard}`,
        mode,
        stackConfig: shardConfig(shard),
        stackOutputs: createdStacks(shardConfig(shard), outputs),
    });
}

/** planShard, collecting the program's warnings (its diagnostics). */
async function planShardLogged(shard: string, outputs: Record<string, Record<string, unknown>>, warnings: string[], mode: "preview" | "up" = "up"): Promise<PreviewResult> {
    const result = await planShard(shard, outputs, mode);
    warnings.push(...(result.diagnostics ?? []).filter(d => d.severity === "warning").map(d => d.message));
    return result;
}

describe("shards: wired through stack references, never copied", function () {
    this.timeout(180_000);

    describe("a consumer shard", () => {
        let g: Graph;
        before(async () => {
            const r = await planShard("front", {
                "dev.orders": ORDERS_DEPLOYED([`arn:aws:iam::${FRONT_ACCOUNT}:root`]),
                // dev.search has not been deployed: no outputs.
            });
            assert.strictEqual(r.errors, undefined, JSON.stringify(r.errors));
            g = new Graph(r);
        });

        it("reads the provider's endpoint service name from the provider shard's stack, not from a literal", () => {
            const endpoint = g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "web-to-orders-endpoint");
            const reference = g.one("pulumi:pulumi:StackReference", "shard-orders");
            assert.strictEqual(reference.inputs.name, ref("dev.orders"));
            assert.strictEqual(endpoint.inputs.serviceName, ORDERS_SERVICE_NAME);
            assert.deepStrictEqual(endpoint.propertyDependencies.serviceName, [reference.urn]);
            // The value is nowhere in the stack's configuration: only the reference carries it.
            assert.ok(!JSON.stringify(shardConfig("front")).includes("vpce-svc"));
        });

        it("declares only its own services, and leaves the acceptance to the provider's stack", () => {
            assert.deepStrictEqual(g.ofType("aws:ec2/vpc:Vpc").map(Graph.serviceOf), ["web"]);
            assert.deepStrictEqual(g.ofType("aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter"), []);
            assert.deepStrictEqual(g.ofType("aws:ec2/vpcEndpointService:VpcEndpointService").map(Graph.serviceOf), ["web"]);
        });

        it("skips an edge whose provider stack has no outputs yet, without failing, and exports the endpoint ids it created", () => {
            assert.strictEqual(g.resources.filter(r => r.name === "web-to-search-endpoint").length, 0);
            const endpoints = g.result.outputs.endpoints as Record<string, string>;
            assert.deepStrictEqual(Object.keys(endpoints), ["web->orders"]);
            assert.match(endpoints["web->orders"], /^vpce-/);
        });

        it("deploys through an explicit provider that assumes the catalog's role in the shard's account", () => {
            const provider = g.one("pulumi:providers:aws", "shard-front");
            const roles = typeof provider.inputs.assumeRoles === "string" ? JSON.parse(provider.inputs.assumeRoles) : provider.inputs.assumeRoles;
            assert.strictEqual(roles[0].roleArn, `arn:aws:iam::${FRONT_ACCOUNT}:role/privatelink-deployer`);
            const allowed = typeof provider.inputs.allowedAccountIds === "string" ? JSON.parse(provider.inputs.allowedAccountIds) : provider.inputs.allowedAccountIds;
            assert.deepStrictEqual(allowed, [FRONT_ACCOUNT]);
            const aws = g.resources.filter(r => r.custom && r.type.startsWith("aws:"));
            assert.ok(aws.length > 30);
            for (const r of aws) {
                assert.ok(r.options.provider?.startsWith(provider.urn), `${r.urn} uses ${r.options.provider ?? "the default provider"}`);
            }
            // The fake cloud answers the assumed role as its account.
            const outputs = g.result.outputs.services as Record<string, { account: string }>;
            assert.strictEqual(outputs.web.account, FRONT_ACCOUNT);
        });
    });

    describe("a shard in another account, previewed", () => {
        it("assumes the catalog's read-only previewRole there, never the deploy role (a pull request's preview holds no deploy rights)", async () => {
            const g = new Graph(await planShardLogged("front", { "dev.orders": ORDERS_DEPLOYED([`arn:aws:iam::${FRONT_ACCOUNT}:root`]) }, [], "preview"));
            const provider = g.one("pulumi:providers:aws", "shard-front");
            const roles = typeof provider.inputs.assumeRoles === "string" ? JSON.parse(provider.inputs.assumeRoles) : provider.inputs.assumeRoles;
            assert.deepStrictEqual(roles.map((r: { roleArn: string }) => r.roleArn), [`arn:aws:iam::${FRONT_ACCOUNT}:role/privatelink-previewer`]);
        });
    });

    describe("an EKS shard in another account", () => {
        // search runs on EKS in the front account: the cluster's admin is the role the shard's provider assumes.
        const eksConfig = (shard: string) => ({
            ...shardConfig(shard),
            [`${PROJECT}:platform`]: { zoneIds: ["use1-az1", "use1-az2"], eks: { adminRoleArns: ["arn:aws:iam::111111111111:role/platform-admin"] } },
            [`${PROJECT}:services`]: [fargate("web", { consumes: ["orders"] }), fargate("orders"), { name: "search", runtime: "eks", port: 8081, image: "1.0.0", instanceTypes: ["m7i.large"] }],
            [`${PROJECT}:shards`]: [
                { name: "front", services: ["web"] },
                { name: "orders", services: ["orders"] },
                { name: "search", services: ["search"], account: FRONT_ACCOUNT, role: "privatelink-deployer", previewRole: "privatelink-previewer" },
            ],
        });
        for (const [mode, role] of [["up", "privatelink-deployer"], ["preview", "privatelink-previewer"]] as const) {
            it(`in ${mode}, reaches its cluster as that role: the kubeconfig's token is \`aws eks get-token --role\` ${role} (pulumi-eks providerCredentialOpts)`, async () => {
                const r = await runPreview({ projectDir: ROOT, stack: "dev.search", mode, stackConfig: eksConfig("search"), stackOutputs: createdStacks(eksConfig("search")) });
                assert.strictEqual(r.errors, undefined, JSON.stringify(r.errors));
                const g = new Graph(r);
                const roleArn = `arn:aws:iam::${FRONT_ACCOUNT}:role/${role}`;
                const [cluster] = g.ofType("eks:index:Cluster");
                const opts = typeof cluster.inputs.providerCredentialOpts === "string" ? JSON.parse(cluster.inputs.providerCredentialOpts) : cluster.inputs.providerCredentialOpts;
                assert.deepStrictEqual(opts, { roleArn });
                if (mode === "up") {
                    const kubeconfig = JSON.parse(String(cluster.outputs.kubeconfigJson));
                    const args: string[] = kubeconfig.users[0].user.exec.args;
                    assert.deepStrictEqual(args.slice(args.indexOf("--role"), args.indexOf("--role") + 2), ["--role", roleArn]);
                    // The Kubernetes provider of the service uses that kubeconfig.
                    const k8s = g.ofType("pulumi:providers:kubernetes").find(p => String(p.inputs.kubeconfig).includes("--role"));
                    assert.ok(k8s, "no Kubernetes provider authenticates with the shard's role");
                }
            });
        }
    });

    describe("a consumer whose provider does not admit its account yet (a new edge, or a consumer in a new account)", () => {
        it("skips the edge with a warning, as if the provider had no outputs, instead of asking AWS for an endpoint it refuses", async () => {
            // AWS: "by default, your endpoint service is not available to service consumers" (PrivateLink guide,
            // "Configure an endpoint service"): CreateVpcEndpoint from an account the service does not admit fails.
            const warnings: string[] = [];
            const r = await planShardLogged("front", { "dev.orders": ORDERS_DEPLOYED([`arn:aws:iam::${ACCOUNT_ID}:root`]) }, warnings);
            assert.strictEqual(r.errors, undefined, JSON.stringify(r.errors));
            const g = new Graph(r);
            assert.strictEqual(g.resources.filter(r => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.name.startsWith("web-to-orders")).length, 0);
            assert.deepStrictEqual(Object.keys(g.result.outputs.endpoints as Record<string, string>), []);
            assert.ok(warnings.some(w => w.includes("web->orders") && w.includes(`arn:aws:iam::${FRONT_ACCOUNT}:root`) && w.includes("does not admit")), warnings.join("\n"));
        });

        it("skips it too while the provider's stack exports no principals (deployed before it did)", async () => {
            const { declaredPrincipals: _, ...old } = ORDERS_DEPLOYED([]);
            const warnings: string[] = [];
            const g = new Graph(await planShardLogged("front", { "dev.orders": old }, warnings));
            assert.ok(warnings.some(w => w.includes("web->orders") && w.includes("admits nobody")), warnings.join("\n"));
            assert.strictEqual(g.resources.filter(r => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.name.startsWith("web-to-orders")).length, 0);
        });
    });

    describe("a provider shard", () => {
        let g: Graph;
        before(async () => {
            const r = await planShard("orders", {
                "dev.front": { endpoints: { "web->orders": "vpce-0f00d0000000000a1" } },
                // search does not consume orders, yet its stack exports an endpoint to it.
                "dev.search": { endpoints: { "search->orders": "vpce-0bad00000000000b2" } },
            });
            assert.strictEqual(r.errors, undefined, JSON.stringify(r.errors));
            g = new Graph(r);
        });

        it("admits the declared consumer shard's account, and no other", () => {
            const service = g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "orders-endpoint-service");
            assert.deepStrictEqual(service.inputs.allowedPrincipals, [`arn:aws:iam::${FRONT_ACCOUNT}:root`]);
            assert.strictEqual(service.inputs.acceptanceRequired, true);
        });

        it("accepts the declared cross-account edge's endpoint, read from the consumer's stack, and not an undeclared one", () => {
            const accepters = g.ofType("aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter");
            assert.deepStrictEqual(accepters.map(a => [a.name, a.inputs.vpcEndpointId]), [["web-to-orders-accept", "vpce-0f00d0000000000a1"]]);
            const [accepter] = accepters;
            assert.deepStrictEqual(accepter.propertyDependencies.vpcEndpointId, [g.one("pulumi:pulumi:StackReference", "shard-front").urn]);
            const service = g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "orders-endpoint-service");
            assert.deepStrictEqual(accepter.propertyDependencies.vpcEndpointServiceId, [service.urn]);
            // No reference to a shard that declares no edge to this one.
            assert.deepStrictEqual(g.ofType("pulumi:pulumi:StackReference").map(r => r.name), ["shard-front"]);
            // The undeclared connection stays pending; its Connect event still reaches the topic.
            assert.strictEqual(g.ofType("aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification").length, 1);
        });

        it("passes the principals rule, which derives the consumer shard's account from the catalog; the same root undeclared is refused", async () => {
            const RULE = "endpoint-service-principals-match-catalog";
            const judge = async (cfg: Record<string, unknown>) => (await evaluate(g.resources, { mode: "up", stackConfig: toProgramConfig(PROJECT, cfg, {}).config }))
                .filter(v => v.policy === RULE && v.enforcementLevel === "mandatory").map(v => v.message);
            assert.deepStrictEqual(await judge(shardConfig("orders")), []);
            // The catalog without the front shard's account: nothing derives that root any more.
            const undeclared = { ...shardConfig("orders"), [`${PROJECT}:shards`]: [{ name: "front", services: ["web"] }, ...shards.slice(1)] };
            const refused = await judge(undeclared);
            assert.strictEqual(refused.length, 1, JSON.stringify(refused));
            assert.match(refused[0], new RegExp(`admits .*arn:aws:iam::${FRONT_ACCOUNT}:root.*which the catalog does not derive for "orders"`));
        });

        it("exports the endpoint service's name, id and zones for its consumers' references", () => {
            const outputs = g.result.outputs.services as Record<string, Record<string, unknown>>;
            assert.match(String(outputs.orders.endpointServiceName), /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);
            assert.match(String(outputs.orders.endpointServiceId), /^vpce-svc-/);
            assert.strictEqual((outputs.orders.zoneIds as string[]).length, 2);
            assert.strictEqual(outputs.orders.account, ACCOUNT_ID);
        });
    });

    it("plans a provider whose consumers have not deployed yet: nothing to accept, no failure", async () => {
        const r = await planShard("orders", {}, "preview");
        assert.strictEqual(r.errors, undefined, JSON.stringify(r.errors));
        const g = new Graph(r);
        assert.deepStrictEqual(g.ofType("aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter"), []);
        assert.deepStrictEqual(g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "orders-endpoint-service").inputs.allowedPrincipals, [`arn:aws:iam::${FRONT_ACCOUNT}:root`]);
    });
});
