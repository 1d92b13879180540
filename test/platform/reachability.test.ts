import * as assert from "assert";
import { evaluate, reachability, ResourceRecord } from "../../policies/evaluate";
import { slimRecords } from "../../policies/lib/plan/slim";
import { analyze } from "../../policies/lib/reachability/analyze";
import { intentFromCatalog } from "../../policies/lib/reachability/catalog";
import { ReachabilityReport } from "../../policies/lib/reachability/report";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { Mode } from "../../tools/preview";
import { plan, PROJECT, stackConfig } from "../helpers";

/**
 * The reachability analysis over real plans of the shipped stacks: clean
 * plans report nothing, and each planted fault (one at a time, by editing the
 * recorded resources as a program change would) is reported at its hop.
 */

type Rec = ResourceRecord & { id?: string; outputs?: Record<string, unknown>; inputs?: Record<string, unknown> };

/** A deep copy of recorded resources, to edit as a program change would. */
function clone(rs: ResourceRecord[]): Rec[] {
    return JSON.parse(JSON.stringify(rs)) as Rec[];
}

function find(rs: Rec[], type: string, name: string): Rec {
    const r = rs.find((x) => x.type === type && x.name === name);
    assert.ok(r, `no ${type} ${name}`);
    return r;
}

/** Sets a property in inputs and (when present) outputs, as a program change would. */
function set(r: Rec, prop: string, value: unknown, deps?: string[]): void {
    (r.inputs ??= {})[prop] = value;
    if (r.outputs && prop in r.outputs) r.outputs[prop] = value;
    if (r.outputs && !(prop in r.outputs)) r.outputs[prop] = value;
    if (deps) (r.propertyDependencies ??= {})[prop] = deps;
}

const SG = "aws:ec2/securityGroup:SecurityGroup";
const EP = "aws:ec2/vpcEndpoint:VpcEndpoint";

async function records(stack: string, mode: Mode): Promise<Rec[]> {
    const result = await plan(stackConfig(stack), mode, stack);
    // The plan as the program makes it: its S3 gateway endpoints admit ECR's layer bucket.
    return clone(result.resources as unknown as ResourceRecord[]);
}

function analyse(rs: Rec[], mode: Mode, stack = "dev", config = stackConfig(stack)): Promise<ReachabilityReport> {
    return reachability(rs, { mode, stackConfig: config });
}

function findings(r: ReachabilityReport): string[] {
    return [
        ...r.edges.filter((e) => e.status !== "reach").map((e) => e.reason ?? ""),
        ...r.undeclared.map((e) => e.reason ?? ""),
        ...r.outside.map((o) => o.reason),
        ...r.startup.filter((s) => s.status !== "ok").map((s) => s.reason ?? ""),
    ];
}

describe("reachability over the shipped stacks", function () {
    this.timeout(120_000);
    for (const stack of ["dev", "prod"]) {
        for (const mode of ["preview", "up"] as const) {
            it(`${stack} (${mode}): every declared edge reaches, nothing else does, every workload can start`, async () => {
                const rs = await records(stack, mode);
                const r = await analyse(rs, mode, stack);
                assert.deepStrictEqual(findings(r), []);
                // Every edge the stack file declares is analysed and reaches, the front door's included.
                const declared = declaredInStackFile(stack);
                assert.deepStrictEqual(r.edges.map((e) => `${e.consumer}->${e.provider}`).sort(), declared);
                assert.strictEqual(r.summary.declared, declared.length);
                assert.strictEqual(r.summary.reach, declared.length);
                assert.ok(r.startup.length > 0 && r.startup.every((s) => s.status === "ok"));
                // The pack's reachability rules decide in both modes: no finding, and no "can't run during preview".
                const vs = (await evaluate(rs, { mode, config: {}, stackConfig: stackConfig(stack) })).filter((v) => v.policy.startsWith("reachability-"));
                assert.deepStrictEqual(vs.map((v) => v.message), []);
            });
        }
    }

    it("dev declares 16 edges: 13 `consumes` and the front door's 3", () => {
        const declared = declaredInStackFile("dev");
        assert.strictEqual(declared.length, 16);
        assert.deepStrictEqual(declared.filter((e) => e.startsWith("front-door->")), ["front-door->notifier", "front-door->search", "front-door->web"]);
    });
});

/**
 * The edges a stack file declares, read from the file as a platform engineer
 * reads it (not through the program's or the pack's own derivation): each
 * service's `consumes`, and, with `platform.frontDoor`, the front door's edge
 * VPC to each exposed service API Gateway reaches through its VPC link (all
 * but `integration: lambda`, docs/front-door-catalog.md).
 */
function declaredInStackFile(stack: string): string[] {
    const config = stackConfig(stack);
    const services = config[`${PROJECT}:services`] as { name: string; consumes?: string[]; expose?: { integration?: string } }[];
    const platform = config[`${PROJECT}:platform`] as { frontDoor?: unknown };
    const consumes = services.flatMap((s) => (s.consumes ?? []).map((p) => `${s.name}->${p}`));
    const frontDoor = platform.frontDoor ? services.filter((s) => s.expose && s.expose.integration !== "lambda").map((s) => `front-door->${s.name}`) : [];
    return [...consumes, ...frontDoor].sort();
}

describe("the front door's edges, hop by hop", function () {
    this.timeout(120_000);
    for (const mode of ["preview", "up"] as const) {
        it(`${mode}: edge ALB -> listener rule -> its target group of endpoint addresses -> the endpoint's security group -> endpoint -> endpoint service -> NLB -> workload`, async () => {
            const r = await analyse(await records("dev", mode), mode);
            const web = r.edges.find((e) => e.consumer === "front-door" && e.provider === "web")!;
            assert.strictEqual(web.status, "reach");
            assert.deepStrictEqual(
                web.hops.map((h) => `${h.kind} ${h.at}`),
                [
                    "load balancer front-door-alb",
                    "listener rule front-door-web-health, front-door-web-shop",
                    "target group front-door-web",
                    "security group front-door-workload",
                    "security group front-door-to-web-endpoint",
                    "endpoint front-door-to-web-endpoint",
                    "zones web-nlb",
                    "acceptance web-endpoint-service",
                    "principals web-endpoint-service",
                    "NLB listener web-tcp",
                    "target group web-tg",
                    "security group web-workload",
                    "target web-service",
                ],
            );
            assert.strictEqual(r.matrix["front-door"].web, "reach");
        });

        it(`${mode}: the edge ALB's group without egress to the endpoints blocks every front-door edge at that group`, async () => {
            const rs = await records("dev", mode);
            set(find(rs, SG, "front-door-workload"), "egress", []);
            const r = await analyse(rs, mode);
            assert.deepStrictEqual(
                findings(r),
                ["notifier", "search", "web"].map((p) => `front-door -> ${p}: dropped at front-door-workload (security group): no egress on 8080 to front-door-to-${p}-endpoint (10.0.0.0/19, 10.0.32.0/19)`),
            );
            const vs = (await evaluate(rs, { mode, config: {}, stackConfig: stackConfig("dev") })).filter((v) => v.policy === "reachability-declared-edges");
            assert.strictEqual(vs.length, 3);
            assert.ok(vs.every((v) => v.enforcementLevel === "mandatory" && !v.unknown));
        });

        it(`${mode}: an endpoint group that does not admit the edge ALB blocks that edge at the endpoint's group`, async () => {
            const rs = await records("dev", mode);
            set(find(rs, SG, "front-door-to-search-endpoint"), "ingress", []);
            const r = await analyse(rs, mode);
            assert.deepStrictEqual(findings(r), ["front-door -> search: dropped at front-door-to-search-endpoint (security group): no ingress on 8080 from front-door-alb (10.0.0.0/19, 10.0.32.0/19)"]);
        });
    }
});

describe("network ACLs are not part of the platform", function () {
    this.timeout(120_000);
    it("a network ACL in a plan is refused by the type allow-list, so every subnet keeps the default ACL, which allows all traffic", async () => {
        const rs = await records("dev", "preview");
        const vpc = find(rs, "aws:ec2/vpc:Vpc", "web-vpc");
        const base = vpc.urn.replace(/aws:ec2\/vpc:Vpc::.*$/, "");
        rs.push({
            urn: `${base}aws:ec2/networkAcl:NetworkAcl::web-acl`,
            type: "aws:ec2/networkAcl:NetworkAcl",
            name: "web-acl",
            parent: vpc.parent,
            custom: true,
            inputs: { vpcId: "<unknown>", ingress: [{ ruleNo: 100, action: "deny", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" }] },
            outputs: {},
            dependencies: [vpc.urn],
            propertyDependencies: { vpcId: [vpc.urn] },
        } as Rec);
        // dev with its account set, as the README's first deploy sets it: the account the offline plan deploys into.
        const declared = { ...stackConfig("dev"), "aws:allowedAccountIds": [ACCOUNT_ID] };
        const vs = (await evaluate(rs, { mode: "preview", config: {}, stackConfig: declared })).filter((v) => v.enforcementLevel === "mandatory");
        assert.deepStrictEqual(vs.map((v) => `${v.policy} ${v.urn}`), [`resource-type-allowed ${base}aws:ec2/networkAcl:NetworkAcl::web-acl`]);
    });
});

describe("planted faults are reported at their hop", function () {
    this.timeout(120_000);
    for (const mode of ["preview", "up"] as const) {
        describe(`${mode} mode`, () => {
            it("a removed security group rule: the provider's workload admits nothing from the NLB", async () => {
                const rs = await records("dev", mode);
                set(find(rs, SG, "payments-workload"), "ingress", []);
                const r = await analyse(rs, mode);
                const e = r.edges.find((x) => x.consumer === "orders" && x.provider === "payments")!;
                assert.strictEqual(e.status, "blocked");
                assert.strictEqual(e.reason, "orders -> payments: dropped at payments-workload (security group): no ingress on 9443 from the NLB's addresses (10.0.0.0/19, 10.0.32.0/19)");
                assert.deepStrictEqual(r.edges.filter((x) => x.status !== "reach").map((x) => `${x.consumer}->${x.provider}`), ["orders->payments"]);
                // The mandatory rule decides in this mode, too (not downgraded to "can't run during preview").
                const vs = (await evaluate(rs, { mode, config: {}, stackConfig: stackConfig("dev") })).filter((v) => v.policy === "reachability-declared-edges");
                assert.strictEqual(vs.length, 1);
                assert.strictEqual(vs[0].enforcementLevel, "mandatory");
                assert.ok(!vs[0].unknown);
                assert.match(vs[0].message, /dropped at payments-workload \(security group\)/);
            });

            it("a wrong port: the NLB listens on another port than the catalog's", async () => {
                const rs = await records("dev", mode);
                set(find(rs, "aws:lb/listener:Listener", "payments-tcp"), "port", 9444);
                const r = await analyse(rs, mode);
                assert.deepStrictEqual(findings(r), ["orders -> payments: dropped at payments-nlb (NLB listener): no listener on 9443 (listeners: 9444)"]);
            });

            it("an endpoint in a zone the NLB lacks", async () => {
                const rs = await records("dev", mode);
                const nlb = find(rs, "aws:lb/loadBalancer:LoadBalancer", "payments-nlb");
                const subnetA = find(rs, "aws:ec2/subnet:Subnet", "payments-private-a");
                const idA = mode === "up" ? subnetA.id! : "<unknown>";
                set(nlb, "subnets", [idA], [subnetA.urn]);
                const r = await analyse(rs, mode);
                const e = r.edges.find((x) => x.consumer === "orders" && x.provider === "payments")!;
                assert.strictEqual(e.status, "blocked");
                // Compared by zone id (names map to zones per account).
                assert.match(e.reason!, /^orders -> payments: dropped at orders-to-payments-endpoint \(zones\): subnet orders-private-b in (us-east-1[a-f] \/ )?use1-az2 is in a zone payments-nlb does not serve \(it serves use1-az1\)/);
            });

            it("a missing ecr.dkr endpoint", async () => {
                const rs = (await records("dev", mode)).filter((x) => !(x.type === EP && x.name === "orders-ecr-dkr"));
                const r = await analyse(rs, mode);
                assert.deepStrictEqual(findings(r), [
                    "orders (orders-service) cannot reach ecr.dkr for image pull: manifests and layer URLs (Docker Registry API): blocked at orders-vpc (endpoint): no interface endpoint com.amazonaws.us-east-1.ecr.dkr in the VPC",
                ]);
            });

            it("a restrictive S3 endpoint policy (own-account principals only, as shipped before the fix)", async () => {
                const rs = await records("dev", mode);
                const own = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT_ID } } }] });
                set(find(rs, EP, "web-s3"), "policy", own);
                const r = await analyse(rs, mode);
                const f = findings(r);
                assert.strictEqual(f.length, 1);
                assert.match(f[0], /^web \(web-service\) cannot reach s3 for image pull: layers from the ECR-owned bucket prod-us-east-1-starport-layer-bucket: blocked at web-s3 \(endpoint policy\): s3:GetObject on arn:aws:s3:::prod-us-east-1-starport-layer-bucket\/\* by ECR's presigned URL/);
                assert.match(f[0], /aws:principalaccount/);
            });

            it("an unaccepted connection", async () => {
                const rs = (await records("dev", mode)).filter((x) => x.name !== "orders-to-payments-accept");
                const r = await analyse(rs, mode);
                assert.deepStrictEqual(findings(r), [
                    "orders -> payments: dropped at payments-endpoint-service (acceptance): acceptance is required and no connection accepter names orders-to-payments-endpoint: the connection stays pendingAcceptance",
                ]);
            });

            it("an extra security group rule that opens an undeclared edge", async () => {
                // Baseline: orders no longer declares payments, and its leftover endpoint admits nobody.
                const config = JSON.parse(JSON.stringify(stackConfig("dev"))) as Record<string, unknown>;
                const orders = (config[`${PROJECT}:services`] as { name: string; consumes: string[] }[]).find((s) => s.name === "orders")!;
                orders.consumes = orders.consumes.filter((c) => c !== "payments");
                const rs = await records("dev", mode);
                const epSg = find(rs, SG, "orders-to-payments-endpoint");
                set(epSg, "ingress", []);
                assert.deepStrictEqual(findings(await analyse(rs, mode, "dev", config)), []);
                // The fault: one standalone ingress rule from the orders workload's group.
                const workloadSg = find(rs, SG, "orders-workload");
                const known = (r: Rec) => (mode === "up" ? r.id! : "<unknown>");
                rs.push({
                    urn: epSg.urn.replace(/aws:ec2\/securityGroup:SecurityGroup::.*$/, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::orders-to-payments-extra"),
                    type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                    name: "orders-to-payments-extra",
                    parent: epSg.parent,
                    inputs: { securityGroupId: known(epSg), referencedSecurityGroupId: known(workloadSg), ipProtocol: "tcp", fromPort: 9443, toPort: 9443 },
                    outputs: { securityGroupId: known(epSg), referencedSecurityGroupId: known(workloadSg), ipProtocol: "tcp", fromPort: 9443, toPort: 9443 },
                    dependencies: [epSg.urn, workloadSg.urn],
                    propertyDependencies: { securityGroupId: [epSg.urn], referencedSecurityGroupId: [workloadSg.urn] },
                } as Rec);
                const r = await analyse(rs, mode, "dev", config);
                const f = findings(r);
                assert.strictEqual(f.length, 1, f.join("\n"));
                assert.match(f[0], /^orders -> payments: not declared, yet orders-service reaches payments on 9443 through orders-to-payments-endpoint/);
                assert.strictEqual(r.matrix.orders.payments, "open");
            });

            it("a route to a gateway", async () => {
                const rs = await records("dev", mode);
                const table = find(rs, "aws:ec2/routeTable:RouteTable", "search-private");
                const vpc = find(rs, "aws:ec2/vpc:Vpc", "search-vpc");
                const base = table.urn.replace(/aws:ec2\/routeTable:RouteTable::.*$/, "");
                const igw: Rec = { urn: `${base}aws:ec2/internetGateway:InternetGateway::search-igw`, type: "aws:ec2/internetGateway:InternetGateway", name: "search-igw", parent: table.parent, id: mode === "up" ? "igw-0123456789abcdef0" : "<unknown>", inputs: { vpcId: mode === "up" ? vpc.id : "<unknown>" }, outputs: {}, dependencies: [vpc.urn], propertyDependencies: { vpcId: [vpc.urn] } } as Rec;
                const route: Rec = { urn: `${base}aws:ec2/route:Route::search-default`, type: "aws:ec2/route:Route", name: "search-default", parent: table.parent, inputs: { routeTableId: mode === "up" ? table.id : "<unknown>", destinationCidrBlock: "0.0.0.0/0", gatewayId: mode === "up" ? "igw-0123456789abcdef0" : "<unknown>" }, outputs: {}, dependencies: [table.urn, igw.urn], propertyDependencies: { routeTableId: [table.urn], gatewayId: [igw.urn] } } as Rec;
                rs.push(igw, route);
                const r = await analyse(rs, mode);
                assert.deepStrictEqual(findings(r), [
                    "search: subnet search-private-a routes 0.0.0.0/0 to gatewayId search-igw (route table search-private), a path out of the service VPC that is not an AWS-service endpoint. Fix: remove the route; services connect only through PrivateLink.",
                ]);
            });
        });
    }
});

describe("reachability across stacks", function () {
    this.timeout(120_000);
    it("a stack holding only the consumer's half decides up to its endpoint; the environment's records decide the edge", async () => {
        const all = await records("dev", "up");
        // The provider's half (payments' endpoint service, NLB, listener, target group, workload) in another stack.
        const providerHalf = (r: Rec) => /PrivateLinkService/.test(r.urn) && r.name.startsWith("payments-");
        const consumerStack = all.filter((r) => !providerHalf(r));
        const alone = await analyse(consumerStack, "up");
        const e = alone.edges.find((x) => x.consumer === "orders" && x.provider === "payments")!;
        assert.strictEqual(e.status, "partial");
        assert.match(e.reason!, /is not among these records \(another stack\)/);
        assert.deepStrictEqual(e.hops.map((h) => h.kind), ["workload", "security group", "security group", "endpoint"]);
        const together = await analyse([...consumerStack, ...all.filter(providerHalf)], "up");
        assert.strictEqual(together.edges.find((x) => x.consumer === "orders" && x.provider === "payments")!.status, "reach");
    });

    for (const mode of ["preview", "up"] as const) {
        it(`${mode}: the slim records an environment plan keeps per shard decide the same edges, the front door's included`, async () => {
            const rs = await records("dev", mode);
            const config = stackConfig("dev");
            const intent = intentFromCatalog(config[`${PROJECT}:services`], config["aws:region"], config[`${PROJECT}:platform`]);
            const r = analyze(slimRecords(rs, mode), intent);
            assert.deepStrictEqual(r.edges.filter((e) => e.status !== "reach").map((e) => e.reason), []);
            assert.deepStrictEqual(r.edges.map((e) => `${e.consumer}->${e.provider}`).sort(), declaredInStackFile("dev"));
        });
    }
});
