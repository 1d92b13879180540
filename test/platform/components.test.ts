import * as assert from "assert";
import { catalogConfig, fargate, Graph, parse, plan } from "../helpers";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

const PARTNER = "arn:aws:iam::999900001111:role/settlement-reader";
const ACCOUNT_ROOT = `arn:aws:iam::${ACCOUNT_ID}:root`;

const config = catalogConfig(
    [
        fargate("web", { consumes: ["orders"], port: 8080 }),
        fargate("orders", { consumes: ["payments"], port: 8081, scaling: { min: 2, max: 5, cpuTarget: 55 } }),
        fargate("payments", { port: 9443, allowedPrincipals: [PARTNER], environment: { LOG_LEVEL: "info" } }),
    ],
    { availabilityZones: 3, logRetentionDays: 90 },
);

interface Statement {
    Effect: string;
    Action: string | string[];
    Resource?: string | string[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
}
const statements = (doc: unknown) => parse<{ Statement: Statement[] }>(doc).Statement;
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe("components, offline", function () {
    let g: Graph;
    before(async () => {
        g = new Graph(await plan(config));
    });

    describe("IsolatedVpc", () => {
        it("has DNS on, one private subnet per zone in distinct zones, no public IPs", () => {
            const vpc = g.one("aws:ec2/vpc:Vpc", "orders-vpc");
            assert.strictEqual(vpc.inputs.enableDnsSupport, true);
            assert.strictEqual(vpc.inputs.enableDnsHostnames, true);
            const subnets = g.ofType("aws:ec2/subnet:Subnet").filter(s => g.deps(s, "vpcId")[0]?.urn === vpc.urn);
            assert.deepStrictEqual(subnets.map(s => s.name).sort(), ["orders-private-a", "orders-private-b", "orders-private-c"]);
            // By zone id, never by name: names map to other physical zones in every account.
            assert.strictEqual(new Set(subnets.map(s => s.inputs.availabilityZoneId)).size, 3);
            for (const s of subnets) {
                assert.match(String(s.inputs.availabilityZoneId), /^use1-az\d$/);
                assert.strictEqual(s.inputs.availabilityZone, undefined);
                assert.strictEqual(s.inputs.mapPublicIpOnLaunch, false);
            }
        });

        it("routes nowhere: no routes in the route table, no internet or NAT gateway anywhere", () => {
            const rt = g.one("aws:ec2/routeTable:RouteTable", "orders-private");
            assert.deepStrictEqual(rt.inputs.routes ?? [], []);
            assert.strictEqual(g.ofType("aws:ec2/route:Route").length, 0);
            for (const t of ["aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip"]) {
                assert.strictEqual(g.ofType(t).length, 0, t);
            }
        });

        it("strips the default security group", () => {
            const sg = g.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "orders-default");
            assert.deepStrictEqual(sg.inputs.ingress ?? [], []);
            assert.deepStrictEqual(sg.inputs.egress ?? [], []);
        });

        it("sends flow logs of all traffic to a retained, encrypted log group through a role scoped to it", () => {
            const flow = g.one("aws:ec2/flowLog:FlowLog", "orders-flow-logs");
            assert.strictEqual(flow.inputs.trafficType, "ALL");
            assert.strictEqual(g.deps(flow, "vpcId")[0].name, "orders-vpc");
            const group = g.deps(flow, "logDestination")[0];
            assert.strictEqual(group.type, "aws:cloudwatch/logGroup:LogGroup");
            assert.strictEqual(group.inputs.retentionInDays, 90);
            assert.ok(group.inputs.kmsKeyId, "flow-log group is not encrypted");
            const policy = g.one("aws:iam/rolePolicy:RolePolicy", "orders-flow-logs");
            for (const s of statements(policy.inputs.policy)) {
                for (const r of list(s.Resource)) {
                    // logs:DescribeLogGroups has no resource type: only "*" grants it.
                    if (list(s.Action).every(a => a === "logs:DescribeLogGroups")) continue;
                    assert.ok(r.startsWith(group.outputs.arn as string), `flow-log role reaches ${r}`);
                }
            }
        });

        it("grants the flow-log role every action of AWS's documented flow-log role policy", () => {
            // VPC User Guide, "IAM role for publishing flow logs to CloudWatch Logs":
            // CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams.
            const policy = g.one("aws:iam/rolePolicy:RolePolicy", "orders-flow-logs");
            const granted = statements(policy.inputs.policy).filter(s => s.Effect === "Allow").flatMap(s => list(s.Action));
            for (const action of ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"]) {
                assert.ok(granted.includes(action), `the flow-log role lacks ${action}`);
            }
            const describeGroups = statements(policy.inputs.policy).find(s => list(s.Action).includes("logs:DescribeLogGroups"))!;
            assert.deepStrictEqual(list(describeGroups.Resource), ["*"], "DescribeLogGroups takes no resource ARN (Service Authorization Reference, CloudWatch Logs)");
        });

        it("has exactly the endpoints Fargate needs, interface ones with private DNS behind a 443-from-VPC group", () => {
            const vpc = g.one("aws:ec2/vpc:Vpc", "orders-vpc");
            const endpoints = g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
                .filter(e => g.deps(e, "vpcId")[0]?.urn === vpc.urn)
                .filter(e => (e.inputs.tags as Record<string, string>)["privatelink:endpoint-kind"] === "aws-service");
            const byService = Object.fromEntries(endpoints.map(e => [String(e.inputs.serviceName).replace("com.amazonaws.us-east-1.", ""), e]));
            assert.deepStrictEqual(Object.keys(byService).sort(), ["ecr.api", "ecr.dkr", "logs", "s3"]);
            assert.strictEqual(byService.s3.inputs.vpcEndpointType, "Gateway");
            for (const svc of ["ecr.api", "ecr.dkr", "logs"]) {
                const e = byService[svc];
                assert.strictEqual(e.inputs.vpcEndpointType, "Interface");
                assert.strictEqual(e.inputs.privateDnsEnabled, true);
                assert.strictEqual((e.inputs.subnetIds as string[]).length, 3);
                const [sg] = g.deps(e, "securityGroupIds");
                assert.deepStrictEqual(sg.inputs.ingress, [
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"], description: "HTTPS from the VPC" },
                ]);
                assert.deepStrictEqual(sg.inputs.egress, []);
            }
        });

        it("lets the workload out only to its endpoints", () => {
            const sg = g.one("aws:ec2/securityGroup:SecurityGroup", "orders-workload");
            const egress = sg.inputs.egress as { fromPort: number; cidrBlocks?: string[]; prefixListIds?: string[] }[];
            assert.deepStrictEqual(egress.map(e => e.fromPort).sort(), [443, 443, 9443]);
            for (const e of egress) {
                assert.ok(!(e.cidrBlocks ?? []).includes("0.0.0.0/0"), "workload egress to the internet");
            }
            const ingress = sg.inputs.ingress as { fromPort: number; cidrBlocks: string[] }[];
            assert.deepStrictEqual(ingress.map(i => [i.fromPort, i.cidrBlocks]), [[8081, ["10.0.0.0/16"]]]);
        });
    });

    describe("PrivateLinkService", () => {
        it("puts an internal, cross-zone NLB in every subnet of the service VPC", () => {
            const nlb = g.one("aws:lb/loadBalancer:LoadBalancer", "payments-nlb");
            assert.strictEqual(nlb.inputs.loadBalancerType, "network");
            assert.strictEqual(nlb.inputs.internal, true);
            assert.strictEqual(nlb.inputs.enableCrossZoneLoadBalancing, true);
            assert.deepStrictEqual(g.deps(nlb, "subnets").map(s => s.name).sort(), ["payments-private-a", "payments-private-b", "payments-private-c"]);
            const listener = g.one("aws:lb/listener:Listener", "payments-tcp");
            assert.strictEqual(listener.inputs.port, 9443);
            assert.strictEqual(listener.inputs.protocol, "TCP");
            const tg = g.one("aws:lb/targetGroup:TargetGroup", "payments-tg");
            assert.strictEqual(tg.inputs.targetType, "ip");
            assert.strictEqual(tg.inputs.port, 9443);
        });

        it("requires acceptance and admits exactly the declared principals", () => {
            const payments = g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "payments-endpoint-service");
            assert.strictEqual(payments.inputs.acceptanceRequired, true);
            assert.deepStrictEqual(payments.inputs.allowedPrincipals, [ACCOUNT_ROOT, PARTNER].sort());
            assert.deepStrictEqual(g.deps(payments, "networkLoadBalancerArns").map(r => r.name), ["payments-nlb"]);
            // web is consumed by no one and declares no principal: nobody may connect.
            const web = g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "web-endpoint-service");
            assert.deepStrictEqual(web.inputs.allowedPrincipals, []);
        });

        it("notifies every connection event to a topic only this endpoint service may publish to", () => {
            const svc = g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "orders-endpoint-service");
            const note = g.one("aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification", "orders-endpoint-events");
            assert.deepStrictEqual(note.inputs.connectionEvents, ["Connect", "Accept", "Reject", "Delete"]);
            assert.strictEqual(g.deps(note, "vpcEndpointServiceId")[0].urn, svc.urn);
            const topic = g.deps(note, "connectionNotificationArn")[0];
            assert.strictEqual(topic.type, "aws:sns/topic:Topic");
            const policy = g.one("aws:sns/topicPolicy:TopicPolicy", "orders-endpoint-events");
            const [stmt] = statements(policy.inputs.policy);
            assert.deepStrictEqual(stmt.Principal, { Service: "vpce.amazonaws.com" });
            assert.strictEqual(stmt.Condition?.ArnLike["aws:SourceArn"], svc.outputs.arn);
            assert.strictEqual(stmt.Condition?.StringEquals["aws:SourceAccount"], ACCOUNT_ID);
        });
    });

    describe("PrivateLinkConsumer", () => {
        it("creates one endpoint per edge, in the consumer's VPC, to the provider's endpoint service", () => {
            const endpoint = g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "orders-to-payments-endpoint");
            assert.strictEqual(endpoint.inputs.vpcEndpointType, "Interface");
            assert.strictEqual(g.deps(endpoint, "vpcId")[0].name, "orders-vpc");
            assert.deepStrictEqual(g.deps(endpoint, "subnetIds").map(s => s.name).sort(), ["orders-private-a", "orders-private-b", "orders-private-c"]);
            const target = g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "payments-endpoint-service");
            assert.strictEqual(endpoint.inputs.serviceName, target.outputs.serviceName);
            assert.deepStrictEqual(g.deps(endpoint, "serviceName").map(r => r.urn), [target.urn]);
        });

        it("admits only the consumer's workload on the provider's port", () => {
            const endpoint = g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "orders-to-payments-endpoint");
            const [sg] = g.deps(endpoint, "securityGroupIds");
            const workload = g.one("aws:ec2/securityGroup:SecurityGroup", "orders-workload");
            assert.deepStrictEqual(sg.inputs.ingress, [{
                protocol: "tcp", fromPort: 9443, toPort: 9443, securityGroups: [workload.id], description: "orders workload",
            }]);
            assert.deepStrictEqual(sg.inputs.egress, []);
        });

        it("accepts in-stack connections", () => {
            const accept = g.one("aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter", "orders-to-payments-accept");
            assert.strictEqual(g.deps(accept, "vpcEndpointId")[0].name, "orders-to-payments-endpoint");
            assert.strictEqual(g.deps(accept, "vpcEndpointServiceId")[0].name, "payments-endpoint-service");
        });

        it("hands the endpoint's DNS name to the consumer as <PROVIDER>_URL", () => {
            const endpoint = g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "orders-to-payments-endpoint");
            const dns = (endpoint.outputs.dnsEntries as { dnsName: string }[])[0].dnsName;
            const task = g.one("aws:ecs/taskDefinition:TaskDefinition", "orders-task");
            const [container] = parse<{ environment: { name: string; value: string }[] }[]>(task.inputs.containerDefinitions);
            assert.deepStrictEqual(container.environment, [{ name: "PAYMENTS_URL", value: `http://${dns}:9443` }]);
            const payments = parse<{ environment: unknown }[]>(g.one("aws:ecs/taskDefinition:TaskDefinition", "payments-task").inputs.containerDefinitions);
            assert.deepStrictEqual(payments[0].environment, [{ name: "LOG_LEVEL", value: "info" }]);
        });
    });

    describe("ServiceRegistry", () => {
        it("scans on push, keeps tags immutable, encrypts with KMS and expires old images", () => {
            const repo = g.one("aws:ecr/repository:Repository", "orders-repo");
            assert.strictEqual(repo.inputs.name, "test/orders");
            assert.deepStrictEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
            assert.strictEqual(repo.inputs.imageTagMutability, "IMMUTABLE");
            const [enc] = repo.inputs.encryptionConfigurations as { encryptionType: string; kmsKey: string }[];
            assert.strictEqual(enc.encryptionType, "KMS");
            assert.ok(enc.kmsKey.startsWith("arn:aws:kms:"));
            const lifecycle = parse<{ rules: unknown[] }>(g.one("aws:ecr/lifecyclePolicy:LifecyclePolicy", "orders-lifecycle").inputs.policy);
            assert.strictEqual(lifecycle.rules.length, 2);
        });

        it("lets only the service's execution role pull", () => {
            const policy = g.one("aws:ecr/repositoryPolicy:RepositoryPolicy", "orders-pull");
            const role = g.one("aws:iam/role:Role", "orders-execution");
            const [stmt] = statements(policy.inputs.policy);
            assert.deepStrictEqual(stmt.Principal, { AWS: role.outputs.arn });
            assert.ok(list(stmt.Action).every(a => /^ecr:(BatchGetImage|GetDownloadUrlForLayer|BatchCheckLayerAvailability)$/.test(a)));
        });

        it("runs the image tag from the catalog", () => {
            const repo = g.one("aws:ecr/repository:Repository", "orders-repo");
            const task = g.one("aws:ecs/taskDefinition:TaskDefinition", "orders-task");
            const [container] = parse<{ image: string }[]>(task.inputs.containerDefinitions);
            assert.strictEqual(container.image, `${repo.outputs.repositoryUrl}:1.0.0`);
        });
    });

    describe("FargateService", () => {
        it("runs without public IPs in the service's subnets, registered with its NLB", () => {
            const svc = g.one("aws:ecs/service:Service", "orders-service");
            const net = svc.inputs.networkConfiguration as { assignPublicIp: boolean };
            assert.strictEqual(net.assignPublicIp, false);
            assert.strictEqual(svc.inputs.launchType, "FARGATE");
            assert.deepStrictEqual(g.deps(svc, "networkConfiguration").map(r => r.name).sort(),
                ["orders-private-a", "orders-private-b", "orders-private-c", "orders-workload"]);
            const tg = g.one("aws:lb/targetGroup:TargetGroup", "orders-tg");
            assert.deepStrictEqual(svc.inputs.loadBalancers, [{ targetGroupArn: tg.outputs.arn, containerName: "orders", containerPort: 8081 }]);
            assert.ok(svc.dependencies.includes(g.one("aws:lb/listener:Listener", "orders-tcp").urn), "service does not wait for the listener");
            assert.deepStrictEqual(svc.options.ignoreChanges, ["desiredCount"]);
        });

        it("has a Container Insights cluster", () => {
            const cluster = g.one("aws:ecs/cluster:Cluster", "orders-cluster");
            assert.deepStrictEqual(cluster.inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
        });

        it("separates execution and task roles; no wildcard action, wildcard resource only where AWS requires it", () => {
            const task = g.one("aws:ecs/taskDefinition:TaskDefinition", "orders-task");
            assert.notStrictEqual(task.inputs.executionRoleArn, task.inputs.taskRoleArn);
            assert.deepStrictEqual(task.inputs.requiresCompatibilities, ["FARGATE"]);
            assert.strictEqual(task.inputs.networkMode, "awsvpc");
            for (const s of statements(g.one("aws:iam/rolePolicy:RolePolicy", "orders-execution").inputs.policy)) {
                for (const a of list(s.Action)) {
                    assert.ok(!a.includes("*"), `wildcard action ${a}`);
                }
                if (list(s.Resource).includes("*")) {
                    assert.deepStrictEqual(list(s.Action), ["ecr:GetAuthorizationToken"]);
                }
            }
            const trust = statements(g.one("aws:iam/role:Role", "orders-task").inputs.assumeRolePolicy);
            assert.deepStrictEqual(trust[0].Principal, { Service: "ecs-tasks.amazonaws.com" });
            assert.strictEqual(trust[0].Condition?.StringEquals["aws:SourceAccount"], ACCOUNT_ID);
        });

        it("logs through awslogs to a retained group and runs unprivileged", () => {
            const task = g.one("aws:ecs/taskDefinition:TaskDefinition", "orders-task");
            const [c] = parse<{ logConfiguration: { logDriver: string; options: Record<string, string> }; privileged: boolean }[]>(task.inputs.containerDefinitions);
            assert.strictEqual(c.logConfiguration.logDriver, "awslogs");
            const group = g.one("aws:cloudwatch/logGroup:LogGroup", "orders-logs");
            assert.strictEqual(c.logConfiguration.options["awslogs-group"], group.outputs.name);
            assert.strictEqual(group.inputs.retentionInDays, 90);
            assert.strictEqual(c.privileged, false);
        });

        it("scales on CPU between the catalog's bounds", () => {
            const target = g.one("aws:appautoscaling/target:Target", "orders-scaling");
            assert.strictEqual(target.inputs.minCapacity, 2);
            assert.strictEqual(target.inputs.maxCapacity, 5);
            const policy = g.one("aws:appautoscaling/policy:Policy", "orders-cpu");
            const conf = policy.inputs.targetTrackingScalingPolicyConfiguration as { targetValue: number; predefinedMetricSpecification: { predefinedMetricType: string } };
            assert.strictEqual(conf.targetValue, 55);
            assert.strictEqual(conf.predefinedMetricSpecification.predefinedMetricType, "ECSServiceAverageCPUUtilization");
            assert.strictEqual(g.one("aws:ecs/service:Service", "orders-service").inputs.desiredCount, 2);
        });
    });

    describe("stack outputs", () => {
        it("exports VPC id, endpoint service name, NLB DNS name, repository URL, endpoint events topic and zone ids per service", () => {
            const services = g.result.outputs.services as Record<string, Record<string, string>>;
            assert.deepStrictEqual(Object.keys(services).sort(), ["orders", "payments", "web"]);
            const vpc = g.one("aws:ec2/vpc:Vpc", "payments-vpc");
            assert.deepStrictEqual(services.payments, {
                vpcId: vpc.id,
                endpointServiceName: g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "payments-endpoint-service").outputs.serviceName,
                nlbDnsName: g.one("aws:lb/loadBalancer:LoadBalancer", "payments-nlb").outputs.dnsName,
                repositoryUrl: g.one("aws:ecr/repository:Repository", "payments-repo").outputs.repositoryUrl,
                endpointEventsTopicArn: g.one("aws:sns/topic:Topic", "payments-endpoint-events").outputs.arn,
                // What AWS reports for the service's subnets (the NLB's zones), for consumers in other accounts.
                zoneIds: ["a", "b", "c"].map(z => g.one("aws:ec2/subnet:Subnet", `payments-private-${z}`).outputs.availabilityZoneId),
                // What a consumer shard's accepter and the environment plan read (docs/scale.md).
                endpointServiceId: g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "payments-endpoint-service").id,
                account: ACCOUNT_ID,
                // No privateDnsName in the catalog: no name of its own (docs/saas.md#a-name-of-ones-own).
                privateDns: null,
            });
            assert.deepStrictEqual(services.payments.zoneIds, ["use1-az1", "use1-az2", "use1-az4"]);
        });
    });
});

describe("ServiceRegistry with a build context", () => {
    it("builds the image with awsx.ecr.Image into the service's repository and runs its digest", async () => {
        const g = new Graph(await plan(catalogConfig([
            fargate("api", { image: { context: "./services/api", platform: "linux/arm64" } }),
        ])));
        const image = g.one("awsx:ecr:Image", "api-image");
        const repo = g.one("aws:ecr/repository:Repository", "api-repo");
        assert.strictEqual(image.inputs.context, "./services/api");
        assert.strictEqual(image.inputs.platform, "linux/arm64");
        assert.strictEqual(image.inputs.repositoryUrl, repo.outputs.repositoryUrl);
        const task = g.one("aws:ecs/taskDefinition:TaskDefinition", "api-task");
        const [container] = parse<{ image: string }[]>(task.inputs.containerDefinitions);
        assert.strictEqual(container.image, image.outputs.imageUri);
        assert.match(container.image, /@sha256:[0-9a-f]{64}$/);
        assert.deepStrictEqual(task.inputs.runtimePlatform, { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" });
    });
});
