import * as assert from "assert";
import { Graph, plan, stackConfig, stackFiles, PROJECT } from "../helpers";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

interface ServiceEntry {
    name: string;
    port: number;
    consumes?: string[];
    allowedPrincipals?: string[] | { needsInput: string };
    expose?: { integration?: string };
    subscribers?: unknown[];
}

const FORBIDDEN = [
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
    "aws:ec2transitgateway/transitGateway:TransitGateway",
    "aws:ec2/vpnGateway:VpnGateway",
    "aws:ec2/vpnConnection:VpnConnection",
    "aws:ec2clientvpn/endpoint:Endpoint",
];

for (const stack of stackFiles()) {
    const config = stackConfig(stack);
    const all = config[`${PROJECT}:services`] as ServiceEntry[];
    // A shard stack (docs/scale.md) declares its shard's services only; offline, with no
    // other shard deployed, its edges to other shards wait for their outputs.
    const shardName = config[`${PROJECT}:shard`] as string | undefined;
    const shards = (config[`${PROJECT}:shards`] ?? []) as { name: string; services: string[]; account?: unknown }[];
    const shardOf = new Map(shards.flatMap(sh => sh.services.map(n => [n, sh] as const)));
    const local = (name: string) => shardName === undefined || shardOf.get(name)?.name === shardName;
    const services = all.filter(s => local(s.name));
    // The API front door's edge VPC consumes every exposed service of this stack reached through its VPC link.
    const frontDoorEdges = services.filter(s => s.expose && s.expose.integration !== "lambda").map(s => `front-door->${s.name}`);

    describe(`stack ${stack}: the topology`, () => {
        for (const mode of ["preview", "up"] as const) {
            it(`plans in ${mode} mode without errors`, async () => {
                const result = await plan(config, mode, stack);
                assert.strictEqual(result.errors, undefined, JSON.stringify(result.errors));
                assert.ok(result.resources.length > services.length * 30, `only ${result.resources.length} resources`);
            });

            it(`${mode}: every answer of the offline cloud is modelled, or a fallback that says why it is safe`, async () => {
                const result = await plan(config, mode, stack);
                const unjustified = result.offlineFallbacks.filter(f => !/^safe\b/.test(f.why));
                assert.deepStrictEqual(unjustified, [], "docs/offline-world.md: model it in tools/preview/cloud/, or say why the assumption is safe");
            });
        }

        let g: Graph;
        before(async () => {
            g = new Graph(await plan(config, "up", stack));
        });

        it("has one VPC per service, each holding only that service's resources", () => {
            const vpcs = g.ofType("aws:ec2/vpc:Vpc");
            // The platform's own VPCs: the front door's edge VPC, and the subscription handler's (docs/saas.md).
            const platformVpcs = [...(frontDoorEdges.length > 0 ? ["front-door"] : []), ...(services.some(s => Array.isArray(s.subscribers) && s.subscribers.length > 0) ? ["subscription-handler"] : [])];
            assert.deepStrictEqual(vpcs.map(Graph.serviceOf).sort(), [...services.map(s => s.name), ...platformVpcs].sort());
            const vpcOf = new Map(vpcs.map(v => [v.urn, Graph.serviceOf(v)]));
            for (const r of g.resources) {
                for (const dep of r.propertyDependencies.vpcId ?? []) {
                    if (vpcOf.has(dep)) {
                        assert.strictEqual(Graph.serviceOf(r), vpcOf.get(dep), `${r.urn} sits in ${vpcOf.get(dep)}'s VPC`);
                    }
                }
            }
        });

        it("has no internet gateway, NAT, peering, transit gateway or VPN anywhere", () => {
            const found = g.resources.filter(r => FORBIDDEN.includes(r.type)).map(r => r.urn);
            assert.deepStrictEqual(found, []);
            for (const rt of g.ofType("aws:ec2/routeTable:RouteTable")) {
                assert.deepStrictEqual(rt.inputs.routes ?? [], [], `${rt.name} has routes`);
            }
        });

        it("gives every service subnets in every zone and no public IPs", () => {
            const zones = (config[`${PROJECT}:platform`] as { availabilityZones: number }).availabilityZones;
            for (const vpc of g.ofType("aws:ec2/vpc:Vpc")) {
                const subnets = g.ofType("aws:ec2/subnet:Subnet").filter(s => s.propertyDependencies.vpcId?.[0] === vpc.urn);
                assert.strictEqual(new Set(subnets.map(s => s.inputs.availabilityZoneId)).size, zones, `${vpc.name}`);
                assert.ok(subnets.every(s => s.inputs.mapPublicIpOnLaunch === false));
            }
            for (const svc of g.ofType("aws:ecs/service:Service")) {
                assert.strictEqual((svc.inputs.networkConfiguration as { assignPublicIp: boolean }).assignPublicIp, false, svc.name);
            }
        });

        it("has one NLB, only internal load balancers, one endpoint service and one ECR repository per service", () => {
            for (const s of services) {
                const lbs = g.ofType("aws:lb/loadBalancer:LoadBalancer").filter(r => Graph.serviceOf(r) === s.name);
                assert.strictEqual(lbs.filter(lb => lb.inputs.loadBalancerType === "network").length, 1, s.name);
                assert.ok(lbs.every(lb => lb.inputs.internal === true), `${s.name} has an internet-facing load balancer`);
                const eps = g.ofType("aws:ec2/vpcEndpointService:VpcEndpointService").filter(r => Graph.serviceOf(r) === s.name);
                assert.strictEqual(eps.length, 1, s.name);
                assert.strictEqual(eps[0].inputs.acceptanceRequired, true);
                const repos = g.ofType("aws:ecr/repository:Repository").filter(r => Graph.serviceOf(r) === s.name);
                assert.strictEqual(repos.length, 1, s.name);
                assert.strictEqual(repos[0].inputs.imageTagMutability, "IMMUTABLE");
            }
        });

        it("has exactly one interface endpoint per consumes edge, to the provider's endpoint service", () => {
            const declared = [...services.flatMap(s => (s.consumes ?? []).filter(local).map(p => `${s.name}->${p}`)), ...frontDoorEdges].sort();
            const mesh = g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").filter(e => (e.inputs.serviceName as string).startsWith("com.amazonaws.vpce."));
            const actual = mesh.map(e => {
                const consumer = Graph.serviceOf(g.deps(e, "vpcId")[0]);
                const provider = Graph.serviceOf(g.deps(e, "serviceName")[0]);
                return `${consumer}->${provider}`;
            }).sort();
            assert.deepStrictEqual(actual, declared);
            // The same list is a stack output, which the policy pack checks endpoints against.
            assert.deepStrictEqual(g.result.outputs.declaredEdges, [...services.flatMap(s => (s.consumes ?? []).map(p => `${s.name}->${p}`)), ...frontDoorEdges].sort());
        });

        it("admits exactly the declared principals on every endpoint service", () => {
            // Consumers in this stack, or in another shard of the same account; a shard whose account is not set yet is admitted once it is.
            const admitted = (c: ServiceEntry) => local(c.name) || shardOf.get(c.name)?.account === undefined;
            const consumed = new Set([...all.filter(admitted).flatMap(s => s.consumes ?? []), ...frontDoorEdges.map(e => e.split("->")[1])]);
            for (const s of services) {
                const eps = g.ofType("aws:ec2/vpcEndpointService:VpcEndpointService").find(r => Graph.serviceOf(r) === s.name)!;
                const expected = [...(consumed.has(s.name) ? [`arn:aws:iam::${ACCOUNT_ID}:root`] : []), ...(Array.isArray(s.allowedPrincipals) ? s.allowedPrincipals : [])].sort();
                assert.deepStrictEqual(eps.inputs.allowedPrincipals, expected, s.name);
                assert.ok(!(eps.inputs.allowedPrincipals as string[]).includes("*"));
            }
        });

        it("gives every IAM role to one service only", () => {
            for (const role of g.ofType("aws:iam/role:Role")) {
                assert.ok(Graph.serviceOf(role), `${role.name} belongs to no service`);
            }
            const users = new Map<string, Set<string>>();
            for (const r of g.resources) {
                for (const prop of ["executionRoleArn", "taskRoleArn", "iamRoleArn", "role"]) {
                    for (const dep of r.propertyDependencies[prop] ?? []) {
                        if (g.get(dep).type === "aws:iam/role:Role") {
                            const set = users.get(dep) ?? new Set<string>();
                            set.add(g.ownerOf(r) ?? "?");
                            users.set(dep, set);
                        }
                    }
                }
            }
            for (const [role, set] of users) {
                assert.strictEqual(set.size, 1, `${role} used by ${[...set].join(", ")}`);
            }
        });

        it("parents every resource to a component named after its service", () => {
            const platform = g.one("privatelink:index:Platform", "platform");
            for (const r of g.resources) {
                if (r.type === "pulumi:pulumi:Stack" || r.urn === platform.urn || r.type === "pulumi:pulumi:StackReference") {
                    continue;
                }
                assert.ok(g.isUnder(r, platform.urn), `${r.urn} is outside the platform`);
            }
        });
    });
}

describe("stack prod: protection", () => {
    it("protects and retains ECR repositories and the KMS key", async () => {
        const g = new Graph(await plan(stackConfig("prod"), "up", "prod"));
        const stateful = [...g.ofType("aws:ecr/repository:Repository"), ...g.ofType("aws:kms/key:Key")];
        assert.ok(stateful.length > 1);
        for (const r of stateful) {
            assert.strictEqual(r.options.protect, true, r.name);
            assert.strictEqual(r.options.retainOnDelete, true, r.name);
        }
    });

    it("does not protect them in dev", async () => {
        const g = new Graph(await plan(stackConfig("dev"), "up", "dev"));
        for (const r of g.ofType("aws:ecr/repository:Repository")) {
            assert.notStrictEqual(r.options.protect, true, r.name);
        }
    });
});
