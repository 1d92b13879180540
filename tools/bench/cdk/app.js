#!/usr/bin/env node
// @ts-check
"use strict";
/**
 * The peer of `npm run bench -- --peer`: the catalog of a stack file built as
 * an AWS CDK app with what our program builds for each Fargate service
 * (topology.js says what, test/bench/peer.test.ts checks it against our
 * plan), checked by cdk-nag's AwsSolutions pack and synthesised in-process.
 *
 *   node tools/bench/cdk/app.js <stack-file> [--stack bench]
 *
 * Prints one JSON line: stacks, resources (in the synthesised templates),
 * resourceTypes (count per CloudFormation type), nag findings, maxRssMb.
 * Wall time is measured by the parent (tools/bench/run.ts).
 *
 * How it is run, so that CDK is measured at its best: plain JavaScript (no
 * TypeScript loader), in-process `app.synth()` (no CLI process around it),
 * and with the feature flags `cdk init` writes into a new project's cdk.json
 * (aws-cdk-lib's recommended-feature-flags.json).
 *
 * Type-checked (JSDoc, strict) once its packages are installed:
 * `npx tsc -p tools/bench/cdk`.
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const YAML = require("yaml");
const cdk = require("aws-cdk-lib");
const ec2 = require("aws-cdk-lib/aws-ec2");
const ecr = require("aws-cdk-lib/aws-ecr");
const ecs = require("aws-cdk-lib/aws-ecs");
const elbv2 = require("aws-cdk-lib/aws-elasticloadbalancingv2");
const iam = require("aws-cdk-lib/aws-iam");
const kms = require("aws-cdk-lib/aws-kms");
const logs = require("aws-cdk-lib/aws-logs");
const sns = require("aws-cdk-lib/aws-sns");
const { Construct } = require("constructs");
const { AwsSolutionsChecks } = require("cdk-nag");
const { cloudFormationCounts, peerTopology, stackTags } = require("./topology");

const { Aws, Duration, Fn, RemovalPolicy } = cdk;
const ISOLATED = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

/** @typedef {import("./topology").PeerService} PeerService */

/**
 * The provider side of one service: its VPC and endpoints, repository, NLB and
 * endpoint service with notifications. Built for every service first, as our
 * Platform does, so consumers find every endpoint service.
 */
class ServiceNetwork extends Construct {
    /**
     * @param {Construct} scope
     * @param {PeerService} t
     * @param {kms.IKey} key
     */
    constructor(scope, t, key) {
        super(scope, t.name);
        const stack = cdk.Stack.of(this);
        for (const [key, value] of Object.entries(t.tags)) {
            cdk.Tags.of(this).add(key, value);
        }
        this.vpc = new ec2.Vpc(this, "Vpc", {
            ipAddresses: ec2.IpAddresses.cidr(t.vpc.cidr),
            maxAzs: t.vpc.zones,
            natGateways: 0,
            createInternetGateway: false,
            subnetConfiguration: [{ name: "private", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: t.vpc.subnetMask }],
            enableDnsHostnames: true,
            enableDnsSupport: true,
            restrictDefaultSecurityGroup: true,
        });
        const flowLogGroup = new logs.LogGroup(this, "FlowLogs", {
            retention: t.vpc.flowLogRetentionDays,
            encryptionKey: key,
            removalPolicy: RemovalPolicy.DESTROY,
        });
        const flowLogRole = new iam.Role(this, "FlowLogsRole", {
            description: `VPC flow logs of ${t.name} to CloudWatch Logs`,
            assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal("vpc-flow-logs.amazonaws.com"), {
                StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
                ArnLike: { "aws:SourceArn": `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:vpc-flow-log/*` },
            }),
        });
        this.vpc.addFlowLog("FlowLog", {
            destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole),
            trafficType: ec2.FlowLogTrafficType.ALL,
            maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
        });

        const endpointGroup = new ec2.SecurityGroup(this, "Endpoints", {
            vpc: this.vpc,
            description: `HTTPS from inside the ${t.name} VPC to AWS-service endpoints`,
            allowAllOutbound: false,
        });
        endpointGroup.addIngressRule(ec2.Peer.ipv4(t.vpc.cidr), ec2.Port.tcp(443), "HTTPS from the VPC");
        for (const e of t.awsEndpoints) {
            const id = e.service.replace(/\./g, "-");
            const endpoint = e.type === "Gateway"
                ? this.vpc.addGatewayEndpoint(id, { service: new ec2.GatewayVpcEndpointAwsService(e.service), subnets: [ISOLATED] })
                : this.vpc.addInterfaceEndpoint(id, {
                    service: new ec2.InterfaceVpcEndpointAwsService(e.service),
                    privateDnsEnabled: true,
                    securityGroups: [endpointGroup],
                    open: false,
                    subnets: ISOLATED,
                });
            if (e.policy) {
                endpoint.addToPolicy(new iam.PolicyStatement({
                    sid: "PrincipalsOfThisAccount",
                    principals: [new iam.AnyPrincipal()],
                    actions: ["*"],
                    resources: ["*"],
                    conditions: { StringEquals: { "aws:PrincipalAccount": Aws.ACCOUNT_ID } },
                }));
                if (e.service === "s3") {
                    // ECR's image layers come from an AWS-owned bucket through URLs an ECR account signs.
                    endpoint.addToPolicy(new iam.PolicyStatement({
                        sid: "EcrImageLayers",
                        principals: [new iam.AnyPrincipal()],
                        actions: ["s3:GetObject"],
                        resources: [`arn:${Aws.PARTITION}:s3:::prod-${Aws.REGION}-starport-layer-bucket/*`],
                    }));
                }
            }
        }

        this.workloadGroup = new ec2.SecurityGroup(this, "Workload", {
            vpc: this.vpc,
            description: `${t.name} workload: its port from the VPC (NLB), egress to endpoints only`,
            allowAllOutbound: false,
        });
        for (const port of t.workloadSecurityGroup.ingressPorts) {
            this.workloadGroup.addIngressRule(ec2.Peer.ipv4(t.vpc.cidr), ec2.Port.tcp(port), "Service port from the NLB nodes in this VPC");
        }
        for (const port of t.workloadSecurityGroup.egressPortsToVpc) {
            this.workloadGroup.addEgressRule(ec2.Peer.ipv4(t.vpc.cidr), ec2.Port.tcp(port), port === 443 ? "AWS-service interface endpoints" : `PrivateLink endpoints on ${port}`);
        }

        this.repository = new ecr.Repository(this, "Repository", {
            repositoryName: t.repository.name,
            imageScanOnPush: t.repository.scanOnPush,
            imageTagMutability: t.repository.immutableTags ? ecr.TagMutability.IMMUTABLE : ecr.TagMutability.MUTABLE,
            encryption: ecr.RepositoryEncryption.KMS,
            encryptionKey: key,
            lifecycleRules: [
                { rulePriority: 1, description: `Expire untagged images after ${t.repository.untaggedExpiryDays} days`, tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(t.repository.untaggedExpiryDays) },
                { rulePriority: 2, description: `Keep the newest ${t.repository.keepImages} images`, tagStatus: ecr.TagStatus.ANY, maxImageCount: t.repository.keepImages },
            ],
        });

        const lb = t.loadBalancer;
        const nlb = new elbv2.NetworkLoadBalancer(this, "Nlb", {
            vpc: this.vpc,
            internetFacing: !lb.internal,
            vpcSubnets: ISOLATED,
            crossZoneEnabled: lb.crossZone,
            ipAddressType: elbv2.IpAddressType.IPV4,
            disableSecurityGroups: true,
        });
        this.targetGroup = new elbv2.NetworkTargetGroup(this, "Targets", {
            vpc: this.vpc,
            port: lb.port,
            protocol: elbv2.Protocol.TCP,
            targetType: elbv2.TargetType.IP,
            deregistrationDelay: Duration.seconds(lb.deregistrationDelaySeconds),
            healthCheck: { enabled: true, protocol: elbv2.Protocol.TCP, interval: Duration.seconds(10), healthyThresholdCount: 3, unhealthyThresholdCount: 3 },
        });
        this.listener = nlb.addListener("Tcp", { port: lb.port, protocol: elbv2.Protocol.TCP, defaultTargetGroups: [this.targetGroup] });

        this.endpointService = new ec2.VpcEndpointService(this, "EndpointService", {
            vpcEndpointServiceLoadBalancers: [nlb],
            acceptanceRequired: t.endpointService.acceptanceRequired,
            allowedPrincipals: t.endpointService.allowsOwnAccount ? [new iam.ArnPrincipal(`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root`)] : [],
            supportedIpAddressTypes: [ec2.IpAddressType.IPV4],
        });
        const topic = new sns.Topic(this, "EndpointEvents", { masterKey: key });
        const { policyDependable } = topic.addToResourcePolicy(new iam.PolicyStatement({
            sid: "EndpointServiceNotifications",
            principals: [new iam.ServicePrincipal("vpce.amazonaws.com")],
            actions: ["SNS:Publish"],
            resources: [topic.topicArn],
            conditions: {
                ArnLike: { "aws:SourceArn": stack.formatArn({ service: "ec2", resource: "vpc-endpoint-service", resourceName: this.endpointService.vpcEndpointServiceId }) },
                StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
            },
        }));
        // CloudFormation's resource (no L2 exists), created once the topic admits vpce.amazonaws.com.
        const notification = new ec2.CfnVPCEndpointConnectionNotification(this, "EndpointEventsNotification", {
            serviceId: this.endpointService.vpcEndpointServiceId,
            connectionNotificationArn: topic.topicArn,
            connectionEvents: t.endpointService.connectionEvents,
        });
        if (policyDependable) notification.node.addDependency(policyDependable);
    }
}

/**
 * The consumer side and the workload of one service: an interface endpoint
 * with its security group per consumed service, the ECS cluster, task
 * definition, Fargate service and its CPU target tracking.
 * @param {ServiceNetwork} net
 * @param {PeerService} t
 * @param {Map<string, ServiceNetwork>} networks
 * @param {kms.IKey} key
 * @param {number} logRetentionDays
 */
function buildWorkload(net, t, networks, key, logRetentionDays) {
    /** @type {Record<string, string>} */
    const environment = { ...t.task.environment };
    for (const edge of t.consumes) {
        const provider = /** @type {ServiceNetwork} */ (networks.get(edge.provider));
        const group = new ec2.SecurityGroup(net, `To-${edge.provider}-Endpoint`, {
            vpc: net.vpc,
            description: `${t.name} workload to the ${edge.provider} endpoint on ${edge.port}`,
            allowAllOutbound: false,
        });
        group.addIngressRule(net.workloadGroup, ec2.Port.tcp(edge.port), `${t.name} workload`);
        const endpoint = new ec2.InterfaceVpcEndpoint(net, `To-${edge.provider}`, {
            vpc: net.vpc,
            service: new ec2.InterfaceVpcEndpointService(provider.endpointService.vpcEndpointServiceName, edge.port),
            privateDnsEnabled: false,
            securityGroups: [group],
            open: false,
            subnets: ISOLATED,
        });
        // The regional DNS name is the first entry, "<hosted zone id>:<name>".
        const dnsName = Fn.select(1, Fn.split(":", Fn.select(0, endpoint.vpcEndpointDnsEntries)));
        environment[edge.variable] = `http://${dnsName}:${edge.port}`;
    }

    const cluster = new ecs.Cluster(net, "Cluster", { vpc: net.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const logGroup = new logs.LogGroup(net, "Logs", { retention: logRetentionDays, encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY });
    const tasksPrincipal = () => new iam.PrincipalWithConditions(new iam.ServicePrincipal("ecs-tasks.amazonaws.com"), {
        StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
        ArnLike: { "aws:SourceArn": `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
    });
    const executionRole = new iam.Role(net, "ExecutionRole", {
        description: `ECS task execution role of ${t.name}: image pulls and logs`,
        assumedBy: tasksPrincipal(),
    });
    const taskRole = new iam.Role(net, "TaskRole", {
        description: `Application role of ${t.name}; grant it only what the code calls`,
        assumedBy: tasksPrincipal(),
    });
    // Only the execution role may pull (the repository's policy names it; fromEcrRepository grants the role's side).
    net.repository.addToResourcePolicy(new iam.PolicyStatement({
        sid: "ServicePull",
        principals: [executionRole],
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    }));
    const taskDefinition = new ecs.FargateTaskDefinition(net, "Task", {
        family: t.task.family,
        cpu: t.task.cpu,
        memoryLimitMiB: t.task.memory,
        runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
        executionRole,
        taskRole,
    });
    taskDefinition.addContainer(t.name, {
        containerName: t.name,
        image: ecs.ContainerImage.fromEcrRepository(net.repository, t.image),
        essential: true,
        portMappings: [{ containerPort: t.port, protocol: ecs.Protocol.TCP }],
        environment,
        readonlyRootFilesystem: true,
        privileged: false,
        linuxParameters: new ecs.LinuxParameters(net, "Linux", { initProcessEnabled: true }),
        logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: t.name }),
    });
    const service = new ecs.FargateService(net, "Service", {
        cluster,
        taskDefinition,
        assignPublicIp: t.fargateService.assignPublicIp,
        vpcSubnets: ISOLATED,
        securityGroups: [net.workloadGroup],
        desiredCount: t.fargateService.desiredCount,
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        circuitBreaker: { enable: true, rollback: true },
        healthCheckGracePeriod: Duration.seconds(30),
        propagateTags: ecs.PropagatedTagSource.SERVICE,
        enableECSManagedTags: true,
        platformVersion: ecs.FargatePlatformVersion.LATEST,
    });
    service.attachToNetworkTargetGroup(net.targetGroup);
    service.node.addDependency(net.listener);
    service.autoScaleTaskCount({ minCapacity: t.scaling.min, maxCapacity: t.scaling.max }).scaleOnCpuUtilization("Cpu", {
        targetUtilizationPercent: t.scaling.cpuTarget,
        scaleInCooldown: Duration.seconds(t.scaling.scaleInCooldownSeconds),
        scaleOutCooldown: Duration.seconds(t.scaling.scaleOutCooldownSeconds),
    });
}

/**
 * The CDK app of a stack file's catalog, with cdk-nag's AwsSolutions checks
 * registered. One stack, as our plan is one stack.
 * @param {Record<string, unknown>} config the stack file's `config:` map
 * @param {string} stackName
 * @param {string} outdir
 * @param {boolean} [cfnValidate] also run aws-cdk-lib's built-in CloudFormation validation
 */
function buildApp(config, stackName, outdir, cfnValidate = false) {
    const recommended = JSON.parse(fs.readFileSync(require.resolve("aws-cdk-lib/recommended-feature-flags.json"), "utf8"));
    const app = new cdk.App({
        outdir,
        // aws-cdk-lib also checks every template against its own CloudFormation rules by default
        // (a WebAssembly engine, most of synth's time); the peer is synth + cdk-nag, as our side is
        // the program + our pack. `--cfn-validate` turns it back on.
        builtinCloudFormationValidation: cfnValidate,
        context: {
            ...recommended,
            // CloudFormation takes at most 500 resources per stack and CDK refuses more at synth; the
            // peer keeps our one-stack shape, so this check is lifted (a deployable app would split).
            "@aws-cdk/core:stackResourceLimit": 0,
            // Findings go to the assembly's validation report (counted below) instead of failing
            // synth: a real project would acknowledge or fix them; the checks run either way.
            "@aws-cdk/core:failSynthOnValidationErrors": false,
        },
    });
    const region = /** @type {string | undefined} */ (config["aws:region"]);
    const stack = new cdk.Stack(app, stackName, { env: region ? { region } : undefined });
    const services = peerTopology(config, stackName);

    const key = new kms.Key(stack, "Key", {
        description: "privatelink-platform: logs, endpoint notifications and images",
        enableKeyRotation: true,
        pendingWindow: Duration.days(30),
    });
    for (const [name, value] of Object.entries(stackTags(config, stackName))) {
        cdk.Tags.of(key).add(name, value);
    }
    key.addToResourcePolicy(new iam.PolicyStatement({
        sid: "CloudWatchLogs",
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        conditions: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
        sid: "EndpointServiceNotifications",
        principals: [new iam.ServicePrincipal("vpce.amazonaws.com")],
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
    }));

    const networks = new Map(services.map(t => [t.name, new ServiceNetwork(stack, t, key)]));
    for (const t of services) {
        buildWorkload(/** @type {ServiceNetwork} */ (networks.get(t.name)), t, networks, key, t.task.logRetentionDays);
    }
    cdk.Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return app;
}

/**
 * What the templates hold: resources in all, per CloudFormation type, and a
 * refusal when a type the topology lists one for one differs in count (the
 * app would not be building what topology.js says).
 * @param {import("aws-cdk-lib/cx-api").CloudAssembly} assembly
 * @param {Record<string, number>} expected
 */
function countResources(assembly, expected) {
    /** @type {Record<string, number>} */
    const resourceTypes = {};
    let resources = 0;
    for (const s of assembly.stacks) {
        for (const r of Object.values(s.template.Resources ?? {})) {
            resources++;
            resourceTypes[r.Type] = (resourceTypes[r.Type] ?? 0) + 1;
        }
    }
    const wrong = Object.entries(expected).filter(([type, n]) => (resourceTypes[type] ?? 0) !== n);
    if (wrong.length > 0) {
        throw new Error(`the CDK app did not build what topology.js lists: ${wrong.map(([type, n]) => `${type} ${resourceTypes[type] ?? 0} (expected ${n})`).join(", ")}`);
    }
    return { resources, resourceTypes };
}

/**
 * cdk-nag's findings in the assembly's validation report: one per rule and
 * resource (a rule with several findings on one resource counts each).
 * @param {string} assemblyDir
 */
function nagFindings(assemblyDir) {
    const report = JSON.parse(fs.readFileSync(path.join(assemblyDir, "validation-report.json"), "utf8"));
    /** @type {Record<string, number>} */
    const byRule = {};
    for (const plugin of report.pluginReports ?? []) {
        if (plugin.pluginName !== "AwsSolutions") continue;
        for (const v of plugin.violations ?? []) {
            byRule[v.ruleName] = (byRule[v.ruleName] ?? 0) + (v.violatingConstructs ?? v.violatingResources ?? []).length;
        }
    }
    return { findings: Object.values(byRule).reduce((a, b) => a + b, 0), byRule };
}

function main() {
    const args = process.argv.slice(2);
    const file = args.find(a => !a.startsWith("--") && args[args.indexOf(a) - 1] !== "--stack");
    if (!file) {
        console.error("usage: node tools/bench/cdk/app.js <stack-file> [--stack <name>] [--cfn-validate]");
        process.exit(2);
    }
    const stackAt = args.indexOf("--stack");
    const stackName = stackAt >= 0 ? args[stackAt + 1] : "bench";
    const config = YAML.parse(fs.readFileSync(file, "utf8")).config;
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cdk-"));
    try {
        const assembly = buildApp(config, stackName, outdir, args.includes("--cfn-validate")).synth();
        const counts = countResources(assembly, cloudFormationCounts(peerTopology(config, stackName)));
        const nag = nagFindings(assembly.directory);
        const usage = process.resourceUsage();
        process.stdout.write(JSON.stringify({
            stacks: assembly.stacks.length,
            ...counts,
            nagFindings: nag.findings,
            nagByRule: nag.byRule,
            cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
            maxRssMb: usage.maxRSS / 1024,
        }) + "\n");
    } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main();
}

module.exports = { buildApp };
