import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { syntheticStackConfig } from "../../tools/bench/catalog";
import { cloudFormationCounts, PeerService, peerTopology, RESOURCE_TYPES } from "../../tools/bench/cdk/topology";
import { PEER_TABLE_HEADER, peerInstallState } from "../../tools/bench/peer";
import type { ResourceRecord } from "../../tools/preview";
import { plan } from "../helpers";

// The plan's inputs are JSON the test reads loosely, field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * The peer CDK app of `npm run bench -- --peer` builds what topology.js lists
 * (the app checks its templates against it after every synth); here that
 * list is compared with what our program plans for the same catalog, without
 * CDK installed.
 */

const STACK = "bench";
const config = syntheticStackConfig(2);

/** What both sides are compared on, per service. */
interface View {
    port: number;
    tags: Record<string, string>;
    vpc: PeerService["vpc"];
    awsEndpoints: PeerService["awsEndpoints"];
    workloadSecurityGroup: PeerService["workloadSecurityGroup"];
    repository: PeerService["repository"];
    image: string;
    loadBalancer: PeerService["loadBalancer"];
    endpointService: PeerService["endpointService"];
    task: { family: string; cpu: number; memory: number; logRetentionDays: number; environmentNames: string[] };
    fargateService: PeerService["fargateService"];
    scaling: PeerService["scaling"];
    consumes: { provider: string; port: number }[];
}

function peerView(t: PeerService): View {
    const { environment, ...task } = t.task;
    return {
        port: t.port,
        tags: t.tags,
        vpc: t.vpc,
        awsEndpoints: [...t.awsEndpoints].sort((a, b) => a.service.localeCompare(b.service)),
        workloadSecurityGroup: t.workloadSecurityGroup,
        repository: t.repository,
        image: t.image,
        loadBalancer: t.loadBalancer,
        endpointService: t.endpointService,
        task: { ...task, environmentNames: [...Object.keys(environment), ...t.consumes.map(c => c.variable)].sort() },
        fargateService: t.fargateService,
        scaling: t.scaling,
        consumes: t.consumes.map(({ provider, port }) => ({ provider, port })),
    };
}

/** The same view read from our plan's records of one service (every child is named after its service). */
function ourView(resources: ResourceRecord[], service: string): View {
    const own = resources.filter(r => r.custom && r.name.startsWith(`${service}-`));
    const one = (type: string, name: string): Record<string, Json> => {
        const found = own.filter(r => r.type === type && r.name === name);
        assert.strictEqual(found.length, 1, `expected one ${type} ${name}`);
        return found[0].inputs as Record<string, Json>;
    };
    const all = (type: string) => own.filter(r => r.type === type).map(r => r.inputs as Record<string, Json>);
    const vpc = one("aws:ec2/vpc:Vpc", `${service}-vpc`);
    const subnets = all("aws:ec2/subnet:Subnet");
    const masks = [...new Set(subnets.map(s => Number(String(s.cidrBlock).split("/")[1])))];
    assert.strictEqual(masks.length, 1, "subnets of one size");
    const workload = one("aws:ec2/securityGroup:SecurityGroup", `${service}-workload`);
    const repository = one("aws:ecr/repository:Repository", `${service}-repo`);
    const lifecycle = JSON.parse(one("aws:ecr/lifecyclePolicy:LifecyclePolicy", `${service}-lifecycle`).policy).rules;
    const nlb = one("aws:lb/loadBalancer:LoadBalancer", `${service}-nlb`);
    const targetGroup = one("aws:lb/targetGroup:TargetGroup", `${service}-tg`);
    const listener = one("aws:lb/listener:Listener", `${service}-tcp`);
    const endpointService = one("aws:ec2/vpcEndpointService:VpcEndpointService", `${service}-endpoint-service`);
    const notification = one("aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification", `${service}-endpoint-events`);
    const task = one("aws:ecs/taskDefinition:TaskDefinition", `${service}-task`);
    const [container] = JSON.parse(task.containerDefinitions);
    const ecsService = one("aws:ecs/service:Service", `${service}-service`);
    const target = one("aws:appautoscaling/target:Target", `${service}-scaling`);
    const cpu = one("aws:appautoscaling/policy:Policy", `${service}-cpu`).targetTrackingScalingPolicyConfiguration;
    const meshEndpoints = own.filter(r => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.name.startsWith(`${service}-to-`));
    const { Name: _name, ...vpcTags } = vpc.tags as Record<string, string>;
    return {
        port: listener.port,
        tags: vpcTags,
        vpc: {
            cidr: vpc.cidrBlock,
            zones: subnets.length,
            subnetMask: masks[0],
            flowLogRetentionDays: one("aws:cloudwatch/logGroup:LogGroup", `${service}-flow-logs`).retentionInDays,
        },
        awsEndpoints: all("aws:ec2/vpcEndpoint:VpcEndpoint")
            .filter(e => e.tags?.["privatelink:endpoint-kind"] === "aws-service")
            .map(e => ({ service: String(e.serviceName).replace(/^com\.amazonaws\.[a-z0-9-]+\./, ""), type: e.vpcEndpointType, policy: e.policy !== undefined }))
            .sort((a, b) => a.service.localeCompare(b.service)),
        workloadSecurityGroup: {
            ingressPorts: workload.ingress.map((r: Json) => r.fromPort),
            egressPortsToVpc: workload.egress.filter((r: Json) => r.cidrBlocks?.includes(vpc.cidrBlock)).map((r: Json) => r.fromPort),
        },
        repository: {
            name: repository.name,
            scanOnPush: repository.imageScanningConfiguration.scanOnPush,
            immutableTags: repository.imageTagMutability === "IMMUTABLE",
            kms: repository.encryptionConfigurations[0].encryptionType === "KMS",
            untaggedExpiryDays: lifecycle.find((r: Json) => r.selection.tagStatus === "untagged").selection.countNumber,
            keepImages: lifecycle.find((r: Json) => r.selection.countType === "imageCountMoreThan").selection.countNumber,
        },
        image: String(container.image).split(":").pop()!,
        loadBalancer: {
            internal: nlb.internal,
            crossZone: nlb.enableCrossZoneLoadBalancing,
            port: listener.port,
            targetType: targetGroup.targetType,
            deregistrationDelaySeconds: targetGroup.deregistrationDelay,
        },
        endpointService: {
            acceptanceRequired: endpointService.acceptanceRequired,
            allowsOwnAccount: (endpointService.allowedPrincipals as string[]).some(p => /^arn:aws:iam::\d{12}:root$/.test(p)),
            connectionEvents: notification.connectionEvents,
        },
        task: {
            family: task.family,
            cpu: Number(task.cpu),
            memory: Number(task.memory),
            logRetentionDays: one("aws:cloudwatch/logGroup:LogGroup", `${service}-logs`).retentionInDays,
            environmentNames: container.environment.map((e: { name: string }) => e.name).sort(),
        },
        fargateService: { assignPublicIp: ecsService.networkConfiguration.assignPublicIp, desiredCount: ecsService.desiredCount },
        scaling: {
            min: target.minCapacity,
            max: target.maxCapacity,
            cpuTarget: cpu.targetValue,
            scaleInCooldownSeconds: cpu.scaleInCooldown,
            scaleOutCooldownSeconds: cpu.scaleOutCooldown,
        },
        consumes: meshEndpoints.map(e => {
            const provider = (e.inputs.tags as Record<string, string>)["privatelink:provider"];
            const group = one("aws:ec2/securityGroup:SecurityGroup", `${service}-to-${provider}-endpoint`);
            return { provider, port: group.ingress[0].fromPort };
        }),
    };
}

describe("the peer CDK app's topology (npm run bench -- --peer)", () => {
    it("builds, per service, what our program builds for a Fargate service of the same catalog", async () => {
        const result = await plan(config, "up", STACK);
        const peer = peerTopology(config, STACK);
        assert.deepStrictEqual(peer.map(t => t.name), ["svc-0000", "svc-0001"]);
        assert.ok(peer.some(t => t.consumes.length > 0), "the catalog has an edge");
        for (const t of peer) {
            assert.deepStrictEqual(peerView(t), ourView(result.resources, t.name), t.name);
        }
    });

    it("says how it builds every AWS resource type our plan declares, or why it does not", async () => {
        const result = await plan(config, "up", STACK);
        const ours = [...new Set(result.resources.filter(r => r.custom).map(r => r.type))].sort();
        assert.deepStrictEqual([...new Set(RESOURCE_TYPES.map(t => t.pulumi))].sort(), ours);
    });

    it("synthesises as many resources as our plan declares of every type it builds one for one", async () => {
        const result = await plan(config, "up", STACK);
        const counts = cloudFormationCounts(peerTopology(config, STACK));
        for (const { pulumi, cfn } of RESOURCE_TYPES.filter(t => t.cfn !== null)) {
            assert.ok(cfn! in counts, `${cfn} is not counted by cloudFormationCounts`);
            assert.strictEqual(counts[cfn!], result.resources.filter(r => r.type === pulumi).length, `${pulumi} / ${cfn}`);
        }
    });

    it("refuses a catalog it does not model, naming the field", () => {
        const services = syntheticStackConfig(2)["privatelink-platform:services"] as Record<string, unknown>[];
        const withLambda = { ...config, "privatelink-platform:services": [{ ...services[0], runtime: "lambda" }, services[1]] };
        assert.throws(() => peerTopology(withLambda, STACK), /services\[0\] \(svc-0000\)\.runtime: "lambda"; the peer CDK app builds Fargate services only/);
        const pending = { ...config, "privatelink-platform:services": [services[0], { ...services[1], image: "pending" }] };
        assert.throws(() => peerTopology(pending, STACK), /services\[1\] \(svc-0001\)\.image: .*pushed tag/);
        const unknownEdge = { ...config, "privatelink-platform:services": [{ ...services[0], consumes: ["nope"] }] };
        assert.throws(() => peerTopology(unknownEdge, STACK), /consumes: "nope" is not a service of this catalog/);
    });
});

describe("the peer's own install (npm ci --prefix tools/bench/cdk)", () => {
    const lock = (packages: Record<string, { version: string; integrity: string }>) =>
        JSON.stringify({ lockfileVersion: 3, packages: { "": { name: "peer" }, ...packages } });
    const withTree = (wanted: string, installed?: string): string => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peer-install-"));
        fs.writeFileSync(path.join(dir, "package-lock.json"), wanted);
        if (installed !== undefined) {
            fs.mkdirSync(path.join(dir, "node_modules"));
            fs.writeFileSync(path.join(dir, "node_modules", ".package-lock.json"), installed);
        }
        return dir;
    };
    const cdk = { "node_modules/aws-cdk-lib": { version: "2.276.0", integrity: "sha512-a" } };

    it("is missing until npm has written its hidden lockfile", () => {
        assert.strictEqual(peerInstallState(withTree(lock(cdk))), "missing");
    });

    it("is stale when the lock pins another version or integrity, or a package npm did not install", () => {
        assert.strictEqual(peerInstallState(withTree(lock(cdk), lock({ "node_modules/aws-cdk-lib": { version: "2.275.0", integrity: "sha512-a" } }))), "stale");
        assert.strictEqual(peerInstallState(withTree(lock(cdk), lock({ "node_modules/aws-cdk-lib": { version: "2.276.0", integrity: "sha512-b" } }))), "stale");
        assert.strictEqual(peerInstallState(withTree(lock({ ...cdk, "node_modules/cdk-nag": { version: "3.0.2", integrity: "sha512-c" } }), lock(cdk))), "stale");
    });

    it("is ok when every locked package is installed as locked", () => {
        assert.strictEqual(peerInstallState(withTree(lock(cdk), lock(cdk))), "ok");
    });

    it("is its own package, with exact pins, never installed by the project's npm ci", () => {
        const root = path.resolve(__dirname, "../..");
        const own = JSON.parse(fs.readFileSync(path.join(root, "tools/bench/cdk/package.json"), "utf8"));
        for (const name of ["aws-cdk-lib", "constructs", "cdk-nag"]) {
            assert.match(own.dependencies[name], /^\d+\.\d+\.\d+$/, `${name} is pinned exactly`);
        }
        const project = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        const projectLock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
        assert.ok(!(project.workspaces ?? []).some((w: string) => w.startsWith("tools")), "not a workspace of the project");
        assert.ok(!Object.keys(projectLock.packages).some(k => /(^|\/)(aws-cdk-lib|cdk-nag)$/.test(k)), "not in the project's lock");
    });
});

describe("docs/performance.md, Against AWS CDK + cdk-nag", () => {
    const root = path.resolve(__dirname, "../..");
    const doc = fs.readFileSync(path.join(root, "docs/performance.md"), "utf8");
    const section = doc.slice(doc.indexOf("## Against AWS CDK + cdk-nag"));

    it("quotes the table with the columns npm run bench -- --peer prints", () => {
        assert.ok(section.includes(`${PEER_TABLE_HEADER}\n`), "the table's header differs from tools/bench/peer.ts PEER_TABLE_HEADER");
    });

    it("names the versions the peer's package.json pins", () => {
        const own = JSON.parse(fs.readFileSync(path.join(root, "tools/bench/cdk/package.json"), "utf8"));
        for (const name of ["aws-cdk-lib", "constructs", "cdk-nag", "yaml"]) {
            assert.ok(section.includes(`\`${name}\` ${own.dependencies[name]}`), `${name} ${own.dependencies[name]}`);
        }
    });
});
