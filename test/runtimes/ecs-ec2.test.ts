import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import type { ServiceSpec } from "../../components/catalog";
import { amiParameter, capacityProviderName, placementStrategies, userData } from "../../components/runtimes/ecs-ec2/component";
import { FakeCloud } from "../../tools/preview/cloud";
import { catalogConfig, fargate, Graph, list, parse, plan, ROOT, statements } from "../helpers";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

const GPU_AMI = "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id";
const ARM_AMI = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id";

function ecsEc2(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name, runtime: "ecs-ec2", port: 9000, image: "2.0.0", instanceTypes: ["m7i.large"], ...extra };
}

const infer = ecsEc2("infer", {
    cpu: 3072,
    memory: 12288,
    gpus: 1,
    instanceTypes: ["g5.xlarge", "g5.2xlarge"],
    capacity: { min: 1, max: 4 },
    scaling: { min: 2, max: 6, cpuTarget: 70 },
    placement: { constraints: ["attribute:ecs.instance-type =~ g5.*"], strategy: ["spread:az", "binpack:memory"] },
});
const config = catalogConfig(
    [
        fargate("web", { consumes: ["infer"] }),
        infer,
        ecsEc2("ledger", { instanceTypes: ["m7g.large"], cpu: 512, memory: 1024 }),
    ],
    { availabilityZones: 3 },
);

/** The value the fake cloud's public SSM parameter holds: what the program must have read. */
function amiAt(name: string): string {
    return String(new FakeCloud().call({ token: "aws:ssm/getParameter:getParameter", inputs: { name } } as never).value);
}

describe("runtime ecs-ec2, offline", function () {
    let g: Graph;
    before(async () => {
        g = new Graph(await plan(config));
    });

    it("exposes the service only through PrivateLink: consumer endpoint → endpoint service → NLB → ip target group → ECS service on its capacity provider", () => {
        const endpoint = g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "web-to-infer-endpoint");
        const [endpointService] = g.deps(endpoint, "serviceName");
        assert.strictEqual(endpointService.name, "infer-endpoint-service");
        assert.strictEqual(endpointService.inputs.acceptanceRequired, true);
        const [nlb] = g.deps(endpointService, "networkLoadBalancerArns");
        assert.strictEqual(nlb.name, "infer-nlb");
        assert.strictEqual(nlb.inputs.internal, true);
        const listener = g.listenersOf(nlb)[0];
        assert.strictEqual(listener.inputs.port, 9000);
        const [tg] = g.deps(listener, "defaultActions");
        assert.strictEqual(tg.name, "infer-tg");
        assert.strictEqual(tg.inputs.targetType, "ip");
        assert.strictEqual(tg.inputs.port, 9000);
        const service = g.ofType("aws:ecs/service:Service").find(s => g.deps(s, "loadBalancers").some(d => d.urn === tg.urn))!;
        assert.strictEqual(service.name, "infer-service");
        assert.strictEqual(g.get(service.parent!).type, "privatelink:runtime:EcsEc2Service");
        assert.deepStrictEqual(service.inputs.loadBalancers, [{ targetGroupArn: tg.outputs.arn, containerName: "infer", containerPort: 9000 }]);
        assert.ok(service.dependencies.includes(listener.urn), "service does not wait for the listener");
        const [provider] = g.deps(service, "capacityProviderStrategies");
        assert.strictEqual(provider.type, "aws:ecs/capacityProvider:CapacityProvider");
        const [asg] = g.deps(provider, "autoScalingGroupProvider");
        assert.strictEqual(asg.type, "aws:autoscaling/group:Group");
        assert.deepStrictEqual(g.deps(asg, "mixedInstancesPolicy").map(r => r.name), ["infer-hosts"]);
        // The consumer's URL is that endpoint, whatever the provider's runtime.
        const web = g.one("aws:ecs/taskDefinition:TaskDefinition", "web-task");
        const [container] = parse<{ environment: { name: string; value: string }[] }[]>(web.inputs.containerDefinitions);
        const dns = (endpoint.outputs.dnsEntries as { dnsName: string }[])[0].dnsName;
        assert.deepStrictEqual(container.environment, [{ name: "INFER_URL", value: `http://${dns}:9000` }]);
    });

    it("runs the tasks in awsvpc mode in the service's subnets, without public IPs, behind the workload security group", () => {
        const svc = g.one("aws:ecs/service:Service", "infer-service");
        assert.strictEqual(svc.inputs.launchType, undefined, "a launch type would override the capacity provider");
        assert.strictEqual((svc.inputs.networkConfiguration as { assignPublicIp: boolean }).assignPublicIp, false);
        assert.deepStrictEqual(g.deps(svc, "networkConfiguration").map(r => r.name).sort(),
            ["infer-private-a", "infer-private-b", "infer-private-c", "infer-workload"]);
        assert.deepStrictEqual(svc.options.ignoreChanges, ["desiredCount"]);
        assert.strictEqual(svc.inputs.desiredCount, 2);
    });

    it("reads the GPU-optimized ECS AL2023 AMI from its public SSM parameter; non-GPU Graviton hosts get the arm64 one", () => {
        const lt = g.one("aws:ec2/launchTemplate:LaunchTemplate", "infer-hosts");
        assert.strictEqual(lt.inputs.imageId, amiAt(GPU_AMI));
        assert.notStrictEqual(amiAt(GPU_AMI), amiAt(ARM_AMI));
        assert.strictEqual(g.one("aws:ec2/launchTemplate:LaunchTemplate", "ledger-hosts").inputs.imageId, amiAt(ARM_AMI));
    });

    it("launches hosts with IMDSv2 only (one hop), no public IP, encrypted volumes, and user data that joins the service's cluster with GPUs on", () => {
        const lt = g.one("aws:ec2/launchTemplate:LaunchTemplate", "infer-hosts");
        assert.deepStrictEqual(lt.inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
        const nis = lt.inputs.networkInterfaces as { associatePublicIpAddress: string }[];
        assert.strictEqual(nis.length, 1);
        assert.strictEqual(nis[0].associatePublicIpAddress, "false");
        for (const bd of lt.inputs.blockDeviceMappings as { ebs: { encrypted: string } }[]) {
            assert.strictEqual(bd.ebs.encrypted, "true");
        }
        const script = Buffer.from(String(lt.inputs.userData), "base64").toString("utf8");
        const cluster = g.one("aws:ecs/cluster:Cluster", "infer-cluster");
        assert.ok(script.includes(`ECS_CLUSTER=${cluster.outputs.name}\n`), script);
        assert.match(script, /^ECS_ENABLE_GPU_SUPPORT=true$/m);
        assert.match(script, /^ECS_AWSVPC_BLOCK_IMDS=true$/m);
        const ledger = Buffer.from(String(g.one("aws:ec2/launchTemplate:LaunchTemplate", "ledger-hosts").inputs.userData), "base64").toString("utf8");
        assert.doesNotMatch(ledger, /GPU/);
        const [profile] = g.deps(lt, "iamInstanceProfile");
        assert.strictEqual(profile.type, "aws:iam/instanceProfile:InstanceProfile");
        assert.deepStrictEqual(g.deps(profile, "role").map(r => r.name), ["infer-instance"]);
        for (const r of [lt, profile, g.one("aws:autoscaling/group:Group", "infer-hosts"), g.one("aws:ecs/capacityProvider:CapacityProvider", "infer-capacity")]) {
            assert.strictEqual(Graph.serviceOf(r) ?? (r.inputs.tags as { key: string; value: string }[] | undefined)?.find?.(t => t.key === "privatelink:service")?.value, "infer", r.name);
        }
    });

    it("gives the hosts' own ENIs no ingress and only HTTPS to the VPC's endpoints and S3", () => {
        const lt = g.one("aws:ec2/launchTemplate:LaunchTemplate", "infer-hosts");
        const [sg] = g.deps(lt, "networkInterfaces");
        assert.strictEqual(sg.name, "infer-hosts");
        assert.deepStrictEqual(sg.inputs.ingress, []);
        const egress = sg.inputs.egress as { fromPort: number; toPort: number; cidrBlocks?: string[]; prefixListIds?: string[] }[];
        assert.deepStrictEqual(egress.map(e => [e.fromPort, e.toPort]), [[443, 443], [443, 443]]);
        assert.deepStrictEqual(egress[0].cidrBlocks, ["10.0.0.0/16"]);
        assert.match(egress[1].prefixListIds![0], /^pl-/);
        assert.strictEqual(g.deps(sg, "vpcId")[0].name, "infer-vpc");
    });

    it("puts the Auto Scaling group in the service's private subnets, sized from capacity, protected for managed termination", () => {
        const asg = g.one("aws:autoscaling/group:Group", "infer-hosts");
        assert.deepStrictEqual(g.deps(asg, "vpcZoneIdentifiers").map(s => s.name).sort(), ["infer-private-a", "infer-private-b", "infer-private-c"]);
        assert.strictEqual(asg.inputs.minSize, 1);
        assert.strictEqual(asg.inputs.maxSize, 4);
        assert.strictEqual(asg.inputs.protectFromScaleIn, true);
        assert.deepStrictEqual(asg.options.ignoreChanges, ["desiredCapacity"]);
        const mixed = asg.inputs.mixedInstancesPolicy as { launchTemplate: { launchTemplateSpecification: { launchTemplateId: string }; overrides: { instanceType: string }[] } };
        assert.deepStrictEqual(mixed.launchTemplate.overrides.map(o => o.instanceType), ["g5.xlarge", "g5.2xlarge"]);
        assert.strictEqual(mixed.launchTemplate.launchTemplateSpecification.launchTemplateId, g.one("aws:ec2/launchTemplate:LaunchTemplate", "infer-hosts").id);
        const tags = asg.inputs.tags as { key: string; propagateAtLaunch: boolean }[];
        assert.ok(tags.some(t => t.key === "AmazonECSManaged" && t.propagateAtLaunch));
        // One instance type: a plain launch template, the type set on it.
        const ledger = g.one("aws:autoscaling/group:Group", "ledger-hosts");
        assert.strictEqual(ledger.inputs.mixedInstancesPolicy, undefined);
        assert.strictEqual(g.one("aws:ec2/launchTemplate:LaunchTemplate", "ledger-hosts").inputs.instanceType, "m7g.large");
        assert.strictEqual(ledger.inputs.minSize, 1);
        assert.strictEqual(ledger.inputs.maxSize, 2);
    });

    it("wires the capacity provider: managed scaling and termination protection over the group, attached to the service's cluster", () => {
        const provider = g.one("aws:ecs/capacityProvider:CapacityProvider", "infer-capacity");
        const asg = g.one("aws:autoscaling/group:Group", "infer-hosts");
        const p = provider.inputs.autoScalingGroupProvider as { autoScalingGroupArn: string; managedTerminationProtection: string; managedScaling: { status: string; targetCapacity: number } };
        assert.strictEqual(p.autoScalingGroupArn, asg.outputs.arn);
        assert.strictEqual(p.managedTerminationProtection, "ENABLED");
        assert.strictEqual(p.managedScaling.status, "ENABLED");
        assert.strictEqual(p.managedScaling.targetCapacity, 100);
        assert.strictEqual(provider.inputs.name, "cp-test-infer");
        const attach = g.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "infer-capacity");
        assert.deepStrictEqual(g.deps(attach, "clusterName").map(r => r.name), ["infer-cluster"]);
        assert.deepStrictEqual(attach.inputs.capacityProviders, ["cp-test-infer"]);
        const svc = g.one("aws:ecs/service:Service", "infer-service");
        assert.deepStrictEqual(svc.inputs.capacityProviderStrategies, [{ capacityProvider: "cp-test-infer", weight: 1, base: 0 }]);
        assert.ok(svc.dependencies.includes(attach.urn), "the service may start before its cluster has the capacity provider");
        assert.deepStrictEqual(g.deps(svc, "cluster").map(r => r.name), ["infer-cluster"]);
        assert.deepStrictEqual(g.one("aws:ecs/cluster:Cluster", "infer-cluster").inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
    });

    it("places tasks by the catalog: memberOf the g5 family, spread across zones, then binpacked on memory", () => {
        const svc = g.one("aws:ecs/service:Service", "infer-service");
        assert.deepStrictEqual(svc.inputs.placementConstraints, [{ type: "memberOf", expression: "attribute:ecs.instance-type =~ g5.*" }]);
        assert.deepStrictEqual(svc.inputs.orderedPlacementStrategies, [
            { type: "spread", field: "attribute:ecs.availability-zone" },
            { type: "binpack", field: "memory" },
        ]);
        const ledger = g.one("aws:ecs/service:Service", "ledger-service");
        assert.deepStrictEqual(ledger.inputs.placementConstraints ?? [], []);
    });

    it("defines an EC2 awsvpc task with container-level CPU and memory, the GPU requirement, awslogs, and separate roles", () => {
        const task = g.one("aws:ecs/taskDefinition:TaskDefinition", "infer-task");
        assert.deepStrictEqual(task.inputs.requiresCompatibilities, ["EC2"]);
        assert.strictEqual(task.inputs.networkMode, "awsvpc");
        assert.strictEqual(task.inputs.family, "test-infer");
        const [c] = parse<{ cpu: number; memory: number; resourceRequirements: unknown; privileged: boolean; logConfiguration: { logDriver: string; options: Record<string, string> } }[]>(task.inputs.containerDefinitions);
        assert.strictEqual(c.cpu, 3072);
        assert.strictEqual(c.memory, 12288);
        assert.deepStrictEqual(c.resourceRequirements, [{ type: "GPU", value: "1" }]);
        assert.strictEqual(c.privileged, false);
        assert.strictEqual(c.logConfiguration.logDriver, "awslogs");
        const group = g.one("aws:cloudwatch/logGroup:LogGroup", "infer-logs");
        assert.strictEqual(c.logConfiguration.options["awslogs-group"], group.outputs.name);
        assert.ok(group.inputs.kmsKeyId, "log group is not encrypted");
        assert.deepStrictEqual(g.deps(task, "executionRoleArn").map(r => r.name), ["infer-execution"]);
        assert.deepStrictEqual(g.deps(task, "taskRoleArn").map(r => r.name), ["infer-task"]);
        const [ledger] = parse<{ resourceRequirements?: unknown }[]>(g.one("aws:ecs/taskDefinition:TaskDefinition", "ledger-task").inputs.containerDefinitions);
        assert.strictEqual(ledger.resourceRequirements, undefined);
    });

    it("lets the instance role do only the ECS agent's calls for its own cluster; no managed policy, wildcard resource only for DiscoverPollEndpoint", () => {
        const role = g.one("aws:iam/role:Role", "infer-instance");
        const [trust] = statements(role.inputs.assumeRolePolicy);
        assert.deepStrictEqual(trust.Principal, { Service: "ec2.amazonaws.com" });
        const attachments = g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(a => g.deps(a, "role").some(r => r.urn === role.urn));
        assert.deepStrictEqual(attachments, []);
        const policy = g.one("aws:iam/rolePolicy:RolePolicy", "infer-instance");
        assert.deepStrictEqual(g.deps(policy, "role").map(r => r.urn), [role.urn]);
        const cluster = g.one("aws:ecs/cluster:Cluster", "infer-cluster");
        const actions: string[] = [];
        for (const s of statements(policy.inputs.policy)) {
            assert.strictEqual(s.Effect, "Allow");
            for (const a of list(s.Action)) {
                assert.match(a, /^ecs:[A-Za-z]+$/, `action ${a} is not an ECS agent action`);
                actions.push(a);
            }
            const resources = list(s.Resource);
            if (resources.includes("*")) {
                assert.deepStrictEqual(list(s.Action), ["ecs:DiscoverPollEndpoint"]);
            } else {
                for (const r of resources) {
                    assert.ok(r === cluster.outputs.arn || r === `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:container-instance/${cluster.outputs.name}/*`, `instance role reaches ${r}`);
                }
            }
        }
        assert.ok(actions.includes("ecs:RegisterContainerInstance") && actions.includes("ecs:Poll") && actions.includes("ecs:SubmitTaskStateChange"));
        assert.ok(!actions.some(a => a.startsWith("ecr:") || a.startsWith("logs:")), "the instance role pulls images or writes logs");
    });

    it("keeps the execution role the only puller of the service's repository", () => {
        const policy = g.one("aws:ecr/repositoryPolicy:RepositoryPolicy", "infer-pull");
        const [stmt] = statements(policy.inputs.policy);
        assert.deepStrictEqual(stmt.Principal, { AWS: g.one("aws:iam/role:Role", "infer-execution").outputs.arn });
    });

    it("has every endpoint the ECS agent needs in the service VPC: ecs, ecs-agent, ecs-telemetry, ecr.api, ecr.dkr, logs and the s3 gateway", () => {
        const vpc = g.one("aws:ec2/vpc:Vpc", "infer-vpc");
        const endpoints = g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
            .filter(e => g.deps(e, "vpcId")[0]?.urn === vpc.urn)
            .filter(e => (e.inputs.tags as Record<string, string>)["privatelink:endpoint-kind"] === "aws-service")
            .map(e => `${String(e.inputs.serviceName).replace("com.amazonaws.us-east-1.", "")}:${String(e.inputs.vpcEndpointType)}`);
        assert.deepStrictEqual(endpoints.sort(), [
            "ecr.api:Interface", "ecr.dkr:Interface", "ecs-agent:Interface", "ecs-telemetry:Interface", "ecs:Interface", "logs:Interface", "s3:Gateway",
        ]);
    });

    it("scales tasks on CPU between the catalog's bounds", () => {
        const target = g.one("aws:appautoscaling/target:Target", "infer-scaling");
        assert.strictEqual(target.inputs.minCapacity, 2);
        assert.strictEqual(target.inputs.maxCapacity, 6);
        const policy = g.one("aws:appautoscaling/policy:Policy", "infer-cpu");
        assert.strictEqual((policy.inputs.targetTrackingScalingPolicyConfiguration as { targetValue: number }).targetValue, 70);
    });

    it("names every child after the service and passes the policy pack without a mandatory violation", () => {
        const component = g.one("privatelink:runtime:EcsEc2Service", "infer");
        for (const r of g.descendants(component)) {
            assert.ok(r.name.startsWith("infer-"), r.name);
        }
        assert.deepStrictEqual(g.result.violations.filter(v => v.enforcementLevel === "mandatory"), []);
    });
});

describe("ecs-ec2 helpers", () => {
    const spec = (extra: Partial<ServiceSpec>) => ({ name: "x", runtime: "ecs-ec2", instanceTypes: ["m7i.large"], ...extra }) as ServiceSpec;

    it("chooses the AMI parameter from GPUs and architecture", () => {
        assert.strictEqual(amiParameter(spec({ gpus: 2, instanceTypes: ["p4d.24xlarge"] })), GPU_AMI);
        assert.strictEqual(amiParameter(spec({ instanceTypes: ["c7gn.large"] })), ARM_AMI);
        assert.strictEqual(amiParameter(spec({})), "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
    });

    it("maps every catalog placement strategy to ECS's type and field", () => {
        const all = placementStrategies(spec({ placement: { constraints: [], strategy: ["spread:az", "spread:instance", "binpack:memory", "binpack:cpu", "random"] } }));
        assert.deepStrictEqual(all, [
            { type: "spread", field: "attribute:ecs.availability-zone" },
            { type: "spread", field: "instanceId" },
            { type: "binpack", field: "memory" },
            { type: "binpack", field: "cpu" },
            { type: "random" },
        ]);
    });

    it("names capacity providers so that no service name hits AWS's reserved prefixes", () => {
        assert.strictEqual(capacityProviderName("prod", "ecs-api"), "cp-prod-ecs-api");
        assert.strictEqual(capacityProviderName("org.prod", "fargate-x"), "cp-org-prod-fargate-x");
    });

    it("writes the agent configuration without GPU support unless asked", () => {
        assert.doesNotMatch(userData("c", spec({})), /GPU/);
        assert.match(userData("c", spec({ gpus: 1, instanceTypes: ["g5.xlarge"] })), /^ECS_ENABLE_GPU_SUPPORT=true$/m);
    });
});

describe("ecs-ec2 catalog errors through the command line", () => {
    it("exits 2, registers nothing and names the field of each bad input", () => {
        const bad = [
            ecsEc2("nofit", { instanceTypes: ["g5.xlarge"], gpus: 1, placement: { constraints: ["attribute:ecs.instance-type =~ p4d.*"] } }),
            ecsEc2("nogpu", { instanceTypes: ["m7i.large"], gpus: 1 }),
            ecsEc2("typo", { placement: { constraints: ["ecs.instance-type == m7i.large"] } }),
            fargate("fgpu", { gpus: 1 }),
        ];
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-ecs-ec2-"));
        const file = path.join(dir, "Pulumi.test.yaml");
        fs.writeFileSync(file, YAML.stringify({ config: catalogConfig(bad) }));
        const run = spawnSync(process.execPath, [path.join(ROOT, "tools/preview/bin.js"), "--stack", "test", "--config-file", file, "--json"], {
            cwd: ROOT, encoding: "utf8", timeout: 120_000,
        });
        assert.strictEqual(run.status, 2, run.stderr);
        const doc = JSON.parse(run.stdout) as { resources: unknown[]; errors: { path: string; message: string }[] };
        assert.deepStrictEqual(doc.resources, []);
        const expected: [string, RegExp][] = [
            ["services[0].placement.constraints[0]", /none of the service's instance types \(g5\.xlarge\) satisfies/],
            ["services[1].instanceTypes[0]", /m7i\.large has no GPU/],
            ["services[2].placement.constraints[0]", /not a placement clause/],
            ["services[3].gpus", /only for runtime ecs-ec2 \(this service is fargate\)/],
        ];
        for (const [at, message] of expected) {
            const hit = doc.errors.find(e => e.path === at);
            assert.ok(hit, `no error at ${at}: ${JSON.stringify(doc.errors)}`);
            assert.match(hit.message, message);
            assert.ok(run.stderr.includes(at), `${at} is not printed for the reader`);
        }
    });
});
