import * as assert from "assert";
import { ACCOUNT, afterUp, fargateService, fixtureDeclarations, goodStack, meshEndpoint, rec, svcTags } from "./fixtures";
import { assertClean, assertTrips, byPolicy, inDays, mandatory, patch, run, without } from "./helpers";

describe("a compliant two-service stack", () => {
    for (const mode of ["preview", "up"] as const) {
        it(`has no violation at all in ${mode} mode (every rule, default config, its account and log bucket declared)`, async () => {
            const { all } = goodStack();
            const vs = await run(mode === "up" ? afterUp(all) : all, undefined, { mode, ...fixtureDeclarations() });
            assertClean(vs);
        });
    }
});

describe("deliberately bad topologies trip the expected rule", () => {
    it("a public security group", async () => {
        const { all } = goodStack();
        const bad = patch(all, "orders-sg", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] });
        const vs = mandatory(await run(bad, undefined, fixtureDeclarations()));
        assertTrips(vs, "security-group-no-public-ingress", "orders-sg", "0.0.0.0/0");
        assert.deepStrictEqual([...new Set(vs.map((v) => v.policy))], ["security-group-no-public-ingress"]);
    });

    it("a * principal on an endpoint service", async () => {
        const { all } = goodStack();
        const vs = mandatory(await run(patch(all, "payments-endpoint-service", { allowedPrincipals: ["*"] })));
        assertTrips(vs, "endpoint-service-principals-restricted", "payments-endpoint-service", '"*"');
    });

    it("a peering connection between two service VPCs", async () => {
        const { all, orders, payments } = goodStack();
        const peering = rec("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "orders-payments-peering", { vpcId: "<unknown>", peerVpcId: "<unknown>", autoAccept: true }, { deps: { vpcId: orders.vpc, peerVpcId: payments.vpc } });
        const vs = mandatory(await run([...all, peering]));
        assertTrips(vs, "no-internet-or-cross-vpc-gateways", "orders-payments-peering");
        assertTrips(vs, "privatelink-only-between-vpcs", "orders-payments-peering", "connects 2 VPCs", orders.vpc.urn, payments.vpc.urn);
    });

    it("an admin policy attachment", async () => {
        const { all, orders } = goodStack();
        const attach = rec("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "orders-admin", { role: "<unknown>", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, { deps: { role: orders.taskRole } });
        const vs = mandatory(await run([...all, attach]));
        assertTrips(vs, "iam-no-admin-managed-policies", "orders-admin", "AdministratorAccess");
    });

    it("an endpoint for an undeclared edge (no edge tags)", async () => {
        const { all, orders, payments } = goodStack();
        const sneaky = { ...meshEndpoint(payments, orders), name: "payments-to-orders" };
        sneaky.urn = sneaky.urn.replace(/::[^:]+$/, "::payments-to-orders");
        sneaky.inputs = { ...sneaky.inputs, tags: svcTags("payments") };
        const vs = mandatory(await run([...all, sneaky]));
        assertTrips(vs, "declared-edges-only", "payments-to-orders", "undeclared edge payments->orders", "no privatelink:edge tag");
    });

    it("an endpoint whose edge tags disagree with the topology", async () => {
        const { all, orders, payments } = goodStack();
        // Tagged as orders->payments but sits in payments' VPC and targets orders' service.
        const liar = meshEndpoint(payments, orders, { "privatelink:edge": "orders->payments", "privatelink:consumer": "orders", "privatelink:provider": "payments" });
        const vs = mandatory(await run([...all, liar]));
        assertTrips(vs, "declared-edges-only", 'privatelink:edge = "orders->payments" but the topology is "payments->orders"');
    });

    it("an edge missing from the configured declaredEdges", async () => {
        const { all } = goodStack();
        const vs = mandatory(await run(all, undefined, { config: { "declared-edges-only": { declaredEdges: ["web->orders"] } } }));
        assertTrips(vs, "declared-edges-only", 'edge "orders->payments" is not in declaredEdges');
        assertClean(await run(all, ["declared-edges-only"], { config: { "declared-edges-only": { declaredEdges: ["orders->payments"] } } }));
        const gap = await run(all, ["declared-edges-only"], { config: { "declared-edges-only": { declaredEdges: ["orders->payments", "payments->orders"] } } });
        const v = assertTrips(gap, "declared-edges-only", 'Declared edge "payments->orders" has no interface endpoint');
        assert.strictEqual(v.enforcementLevel, "advisory");
        assert.strictEqual(mandatory(gap).length, 0);
    });

    it("an edge missing from the stack's exported declaredEdges", async () => {
        const { all } = goodStack();
        const root = (edges: string[]) => rec("pulumi:pulumi:Stack", "privatelink-platform-dev", {}, { outputs: { declaredEdges: edges }, custom: false });
        assertTrips(mandatory(await run([...all, root(["web->orders"])], ["declared-edges-only"])), "declared-edges-only", 'edge "orders->payments" is not in declaredEdges');
        assertClean(await run([...all, root(["orders->payments"])], ["declared-edges-only"]));
    });

    it("an internet-facing NLB", async () => {
        const { all } = goodStack();
        const vs = mandatory(await run(patch(all, "payments-nlb", { internal: false })));
        assertTrips(vs, "load-balancer-internal", "payments-nlb", "internal = false");
        assertTrips(vs, "endpoint-service-internal-nlb-only", "payments-nlb", "internet-facing");
    });

    it("two services' workloads in one VPC", async () => {
        const { all, orders } = goodStack();
        const sub = orders.subnets.map((s) => s.urn);
        const bad = patch(all, "payments-service", {}, { networkConfiguration: [...sub, orders.sg.urn] });
        const vs = mandatory(await run(bad));
        assertTrips(vs, "vpc-single-tenant", orders.vpc.urn, '"orders" (orders-nlb, orders-service)', '"payments" (payments-service)');
        assertTrips(vs, "workload-in-owned-vpc", "payments-service", 'privatelink:service = "payments" but sits in the VPC of "orders"');
    });
});

describe("stack rules: compliant and non-compliant", () => {
    it("vpc-flow-logs-enabled", async () => {
        const { all } = goodStack();
        assertClean(await run(all, ["vpc-flow-logs-enabled"]));
        assertTrips(await run(without(all, "orders-flow-log"), ["vpc-flow-logs-enabled"]), "vpc-flow-logs-enabled", "orders-vpc", "no flow log", "aws.ec2.FlowLog");
    });

    it("default-security-group-managed", async () => {
        const { all } = goodStack();
        assertClean(await run(all, ["default-security-group-managed"]));
        assertTrips(await run(without(all, "payments-default-sg"), ["default-security-group-managed"]), "default-security-group-managed", "payments-vpc", "DefaultSecurityGroup");
    });

    it("endpoint-service-principals-declared: both mechanisms, and none", async () => {
        const { all, payments } = goodStack();
        assertClean(await run(all, ["endpoint-service-principals-declared"]));
        const extra = rec("aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple", "payments-principal", { vpcEndpointServiceId: "<unknown>", principalArn: `arn:aws:iam::${ACCOUNT}:root` }, { deps: { vpcEndpointServiceId: payments.endpointService } });
        const both = await run([...all, extra], ["endpoint-service-principals-declared"]);
        assertTrips(both, "endpoint-service-principals-declared", "payments-endpoint-service", "allowedPrincipals inline", "payments-principal");
        assert.strictEqual(mandatory(both).length, 1);
        const none = await run(patch(all, "payments-endpoint-service", { allowedPrincipals: [] }), ["endpoint-service-principals-declared"]);
        const v = assertTrips(none, "endpoint-service-principals-declared", "allows no principal");
        assert.strictEqual(v.enforcementLevel, "advisory", "a service nobody may reach is dead, not exposed");
        assertClean(await run([...patch(all, "payments-endpoint-service", { allowedPrincipals: [] }), extra], ["endpoint-service-principals-declared"]));
    });

    it("endpoint-service-internal-nlb-only: foreign ARN, ALB, gateway LB", async () => {
        const { all, payments } = goodStack();
        assertClean(await run(all, ["endpoint-service-internal-nlb-only"]));
        const foreign = patch(all, "payments-endpoint-service", { networkLoadBalancerArns: ["arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/x/1"] }, { networkLoadBalancerArns: [] });
        assertTrips(await run(foreign, ["endpoint-service-internal-nlb-only"]), "endpoint-service-internal-nlb-only", "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/x/1", "cannot be checked");
        const alb = patch(all, "payments-nlb", { loadBalancerType: "application" });
        assertTrips(await run(alb, ["endpoint-service-internal-nlb-only"]), "endpoint-service-internal-nlb-only", 'loadBalancerType = "application"');
        const gw = patch(all, "payments-endpoint-service", { gatewayLoadBalancerArns: ["arn:gw"] });
        assertTrips(await run(gw, ["endpoint-service-internal-nlb-only"]), "endpoint-service-internal-nlb-only", "gatewayLoadBalancerArns");
        void payments;
    });

    it("endpoint-service-connection-notification", async () => {
        const { all } = goodStack();
        assertClean(await run(all, ["endpoint-service-connection-notification"]));
        assertTrips(await run(without(all, "payments-pl-notification"), ["endpoint-service-connection-notification"]), "endpoint-service-connection-notification", "payments-endpoint-service");
    });

    it("ecs-task-role-separation", async () => {
        const { all, orders } = goodStack();
        assertClean(await run(all, ["ecs-task-role-separation"]));
        const same = patch(all, "orders-task", {}, { executionRoleArn: [orders.taskRole.urn] });
        assertTrips(await run(same, ["ecs-task-role-separation"]), "ecs-task-role-separation", orders.taskRole.urn);
        const literal = [rec("aws:ecs/taskDefinition:TaskDefinition", "lit", { taskRoleArn: "arn:aws:iam::1:role/r", executionRoleArn: "arn:aws:iam::1:role/r" })];
        assertTrips(await run(literal, ["ecs-task-role-separation"]), "ecs-task-role-separation", "arn:aws:iam::1:role/r");
    });

    it("lambda-failure-destination", async () => {
        const fn = rec("aws:lambda/function:Function", "fn", { runtime: "nodejs22.x" });
        assertTrips(await run([fn], ["lambda-failure-destination"]), "lambda-failure-destination", '"fn"', "FunctionEventInvokeConfig");
        const cfg = rec("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "fn-cfg", { functionName: "<unknown>", destinationConfig: { onFailure: { destination: "arn:aws:sqs:us-east-1:1:dlq" } } }, { deps: { functionName: fn } });
        assertClean(await run([fn, cfg], ["lambda-failure-destination"]));
        assertClean(await run([rec("aws:lambda/function:Function", "fn2", { deadLetterConfig: { targetArn: "arn:aws:sqs:us-east-1:1:dlq" } })], ["lambda-failure-destination"]));
    });

    it("workload-in-owned-vpc: no VPC, untagged VPC", async () => {
        const { all } = goodStack();
        assertClean(await run(all, ["workload-in-owned-vpc"]));
        const fn = rec("aws:lambda/function:Function", "loose-fn", { tags: svcTags("orders") });
        assertTrips(await run([...all, fn], ["workload-in-owned-vpc"]), "workload-in-owned-vpc", "loose-fn", "not placed in any VPC");
        const untagged = patch(all, "orders-vpc", { tags: {} });
        assertTrips(await run(untagged, ["workload-in-owned-vpc"]), "workload-in-owned-vpc", "orders-service", "no privatelink:service tag");
    });

    it("privatelink-only-between-vpcs: a security-group rule across VPCs, a Gateway endpoint to a service", async () => {
        const { all, orders, payments } = goodStack();
        assertClean(await run(all, ["privatelink-only-between-vpcs"]));
        const rule = rec("aws:ec2/securityGroupRule:SecurityGroupRule", "cross-sg", { type: "ingress", securityGroupId: "<unknown>", sourceSecurityGroupId: "<unknown>", protocol: "tcp", fromPort: 1, toPort: 1 }, { deps: { securityGroupId: payments.sg, sourceSecurityGroupId: orders.sg } });
        assertTrips(await run([...all, rule], ["privatelink-only-between-vpcs"]), "privatelink-only-between-vpcs", "cross-sg", "sourceSecurityGroupId");
        const doc = rec("aws:iam/policy:Policy", "reads-both", { policy: "<unknown>" }, { deps: { policy: [orders.endpointService, payments.endpointService] } });
        assertClean(await run([...all, doc], ["privatelink-only-between-vpcs"]));
        const gw = patch(all, "orders-to-payments", { vpcEndpointType: "GatewayLoadBalancer" });
        assertTrips(await run(gw, ["privatelink-only-between-vpcs"]), "privatelink-only-between-vpcs", "orders-to-payments", "only through serviceName");
    });

    it("iam-role-per-service", async () => {
        const { all, orders } = goodStack();
        assertClean(await run(all, ["iam-role-per-service"]));
        const shared = patch(all, "payments-task", {}, { taskRoleArn: [orders.taskRole.urn] });
        assertTrips(await run(shared, ["iam-role-per-service"]), "iam-role-per-service", "orders-task-role", '"orders"', '"payments" (aws:ecs/taskDefinition:TaskDefinition "payments-task")');
        // Granting a role access (naming its ARN in another service's allowedPrincipals) is not using it.
        const granted = patch(all, "payments-endpoint-service", { allowedPrincipals: ["<unknown>"] }, { allowedPrincipals: [orders.taskRole.urn] });
        assertClean(await run(granted, ["iam-role-per-service"]));
        // Referenced without an output: a pasted ARN, or the role's name.
        const named = patch(all, "orders-task-role", { name: "orders-task-role-1a2b3c4" });
        const byArn = patch(named, "payments-task", { taskRoleArn: "arn:aws:iam::111111111111:role/orders-task-role-1a2b3c4" });
        assertTrips(await run(byArn, ["iam-role-per-service"]), "iam-role-per-service", "orders-task-role", '"payments" (aws:ecs/taskDefinition:TaskDefinition "payments-task")');
        const byName = patch(named, "payments-task", { taskRoleArn: "orders-task-role-1a2b3c4" });
        assertTrips(await run(byName, ["iam-role-per-service"]), "iam-role-per-service", "orders-task-role", '"payments"');
    });

    it("vpc-required-aws-endpoints: a missing endpoint; unknown service names in preview", async () => {
        const { all } = goodStack();
        assertClean(await run(all, ["vpc-required-aws-endpoints"]));
        const missing = without(all, "orders-ecr.dkr", "orders-s3");
        assertTrips(await run(missing, ["vpc-required-aws-endpoints"]), "vpc-required-aws-endpoints", "ecr.dkr (Interface)", "s3 (Gateway)", "fargate");
        const unknown = patch(missing, "orders-logs", { serviceName: "<unknown>" });
        const vs = await run(unknown, ["vpc-required-aws-endpoints"], { mode: "preview" });
        assert.strictEqual(vs.length, 1);
        assert.strictEqual(vs[0].enforcementLevel, "advisory");
        assert.match(vs[0].message, /can't run policy 'vpc-required-aws-endpoints' .* during preview/);
        const noDns = patch(all, "orders-logs", { privateDnsEnabled: false });
        assertTrips(await run(noDns, ["vpc-required-aws-endpoints"]), "vpc-required-aws-endpoints", "logs (Interface, has privateDnsEnabled false)");
        const ec2 = patch(all, "orders-service", { launchType: "EC2" });
        assertTrips(await run(ec2, ["vpc-required-aws-endpoints"]), "vpc-required-aws-endpoints", "ecs-agent (Interface)", "ecs-telemetry (Interface)");
    });

    it("a Lambda service needs no AWS-service endpoint", async () => {
        const svc = fargateService("fn");
        const lambda = rec("aws:lambda/function:Function", "fn-handler", { vpcConfig: { subnetIds: ["<unknown>"], securityGroupIds: ["<unknown>"] }, tags: svcTags("fn") }, { deps: { vpcConfig: [...svc.subnets, svc.sg] } });
        const recs = [...svc.all.filter((r) => r.type !== "aws:ecs/service:Service" && !/ecr|logs|s3/.test(r.name)), lambda];
        assertClean(await run(recs, ["vpc-required-aws-endpoints", "workload-in-owned-vpc"]));
        assert.strictEqual(byPolicy(await run(recs, ["vpc-required-aws-endpoints"]), "vpc-required-aws-endpoints").length, 0);
    });
});

describe("other runtimes' shapes", () => {
    it("an EKS cluster component needs the EKS endpoints; an autoscaling group is placed through vpcZoneIdentifiers and list-form tags", async () => {
        const svc = fargateService("k8s");
        const base = svc.all.filter((r) => r.type !== "aws:ecs/service:Service");
        const cluster = rec("eks:index:Cluster", "k8s-cluster", { vpcId: "<unknown>", privateSubnetIds: ["<unknown>"], tags: svcTags("k8s") }, { deps: { vpcId: svc.vpc, privateSubnetIds: svc.subnets }, custom: false });
        const vs = await run([...base, cluster], ["vpc-required-aws-endpoints", "workload-in-owned-vpc"]);
        assertTrips(vs, "vpc-required-aws-endpoints", "eks", "ec2 (Interface)", "sts (Interface)", "elasticloadbalancing (Interface)");
        assert.strictEqual(byPolicy(vs, "workload-in-owned-vpc").length, 0);

        const other = fargateService("other");
        const asg = rec(
            "aws:autoscaling/group:Group",
            "k8s-nodes",
            { vpcZoneIdentifiers: ["<unknown>"], tags: [{ key: "privatelink:service", value: "k8s", propagateAtLaunch: true }] },
            { deps: { vpcZoneIdentifiers: other.subnets } },
        );
        const moved = await run([...base, ...other.all, asg], ["workload-in-owned-vpc"]);
        assertTrips(moved, "workload-in-owned-vpc", "k8s-nodes", 'privatelink:service = "k8s" but sits in the VPC of "other"');
    });
});

describe("an internet-gateway edge VPC (the front door design issue 10 replaced)", () => {
    it("exempting its public pieces from the network rules no longer passes: frontdoor-only-internet-facing refuses the gateway and the public load balancer", async () => {
        const { all, orders } = goodStack();
        const edge = fargateService("edge");
        const igw = rec("aws:ec2/internetGateway:InternetGateway", "edge-igw", { vpcId: "<unknown>", tags: svcTags("edge") }, { deps: { vpcId: edge.vpc } });
        const route = rec("aws:ec2/route:Route", "edge-default", { routeTableId: "<unknown>", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }, { deps: { routeTableId: edge.all.find((r) => r.name === "edge-rt")!, gatewayId: igw } });
        const recs = [
            ...all,
            ...edge.all.map((r) =>
                r.name === "edge-nlb" ? { ...r, inputs: { ...r.inputs, internal: false } } : r.name === "edge-sg" ? { ...r, inputs: { ...r.inputs, ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] } } : r,
            ),
            igw,
            route,
            meshEndpoint(edge, orders),
        ];
        const until = { reason: "front door terminates public HTTPS (SEC-142)", expires: inDays(90) };
        const declared = fixtureDeclarations();
        const config = {
            ...declared.config,
            "no-internet-or-cross-vpc-gateways": { allowedResources: ["urn:pulumi:dev::privatelink-platform::*::edge-igw"] },
            "load-balancer-internal": { exemptions: [{ resource: "urn:*::edge-nlb", ...until }] },
            "endpoint-service-internal-nlb-only": { exemptions: [{ resource: "urn:*::edge-endpoint-service", ...until }] },
            "security-group-no-public-ingress": { exemptions: [{ resource: "urn:*::edge-sg", ...until }] },
            "route-no-internet-egress": { exemptions: [{ resource: "urn:*::edge-default", ...until }] },
            // Default-deny: the front door's extra types are allowed for this stack, with a reason and an expiry.
            "resource-type-allowed": {
                allowedTypes: [
                    { type: "aws:ec2/internetGateway:InternetGateway", under: ["<root>"], ...until },
                    { type: "aws:ec2/route:Route", under: ["<root>"], ...until },
                ],
            },
        };
        const vs = await run(recs, undefined, { config, stackConfig: declared.stackConfig });
        const refused = mandatory(vs);
        assert.deepStrictEqual([...new Set(refused.map((v) => v.policy))], ["frontdoor-only-internet-facing"]);
        assert.deepStrictEqual(refused.map((v) => v.urn?.split("::").pop()).sort(), ["edge-igw", "edge-nlb"]);
        const exempted = vs.filter((v) => v.exemption).map((v) => v.policy).sort();
        assert.deepStrictEqual(exempted, ["endpoint-service-internal-nlb-only", "load-balancer-internal", "route-no-internet-egress", "security-group-no-public-ingress"]);
        // Without the configuration, every piece is a mandatory violation.
        const bare = mandatory(await run(recs, undefined, { ...declared, config: declared.config }));
        assert.deepStrictEqual([...new Set(bare.map((v) => v.policy))].sort(), [...exempted, "frontdoor-only-internet-facing", "no-internet-or-cross-vpc-gateways", "resource-type-allowed"].sort());
    });

    it("resource-policy-no-foreign-account: another account's principal in a resource policy or Lambda permission; the stack's account as declared", async () => {
        const doc = (principal: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: ["ecr:PutImage"] }] });
        const RULE = "resource-policy-no-foreign-account";
        const { stackConfig } = fixtureDeclarations();
        const role = rec("aws:iam/role:Role", "r", { arn: `arn:aws:iam::${ACCOUNT}:role/r` });
        const own = rec("aws:ecr/repositoryPolicy:RepositoryPolicy", "own", { repository: "x", policy: doc(`arn:aws:iam::${ACCOUNT}:root`) });
        assertClean(await run([role, own], [RULE], { stackConfig }));
        const foreign = rec("aws:ecr/repositoryPolicy:RepositoryPolicy", "partner-push", { repository: "x", policy: doc("arn:aws:iam::999999999999:root") });
        assertTrips(await run([role, foreign], [RULE], { stackConfig }), RULE, "partner-push", "999999999999", "ecr:PutImage");
        const perm = rec("aws:lambda/permission:Permission", "partner-invoke", { function: "f", principal: "999999999999", action: "lambda:InvokeFunction" });
        assertTrips(await run([role, perm], [RULE], { stackConfig }), RULE, "partner-invoke", "999999999999");
        assertClean(await run([role, foreign, perm], [RULE], { stackConfig, config: { [RULE]: { accountIds: ["999999999999"] } } }));
        // Known in preview too: the account comes from configuration, not from the plan.
        assertTrips(await run([role, foreign], [RULE], { stackConfig, mode: "preview" }), RULE, "partner-push");
        // A stack that declares no account: nothing to judge a grant by (identity-accounts-declared says so, once).
        assertClean(await run([role, foreign], [RULE]));
    });
});
