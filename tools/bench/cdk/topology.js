// @ts-check
"use strict";
/**
 * What the peer CDK app (app.js) builds for a catalog, service by service: a
 * plain description with no CDK in it, so `npm test` can compare it with our
 * own plan (test/bench/peer.test.ts) without installing CDK. The app builds
 * exactly this and nothing it does not list.
 *
 * It reads the stack file's `config:` map as it is written. Where the file
 * leaves a field out, it uses the catalog's default
 * (components/catalog/schema.ts); the test catches a default that drifts.
 * Plain JavaScript: the app runs without a TypeScript loader (the measured
 * CDK process loads only what a CDK app loads).
 */

const NAMESPACE = "privatelink-platform";

/**
 * The AWS-service endpoints of a Fargate VPC (policies/facts/runtimes/fargate.ts,
 * `endpoints`), each with the account-only endpoint policy our program gives
 * every endpoint whose service accepts one (policies/lib/endpoint-policy-support.ts:
 * all four do).
 * @type {import("./topology").PeerService["awsEndpoints"]}
 */
const FARGATE_ENDPOINTS = [
    { service: "ecr.api", type: "Interface", policy: true },
    { service: "ecr.dkr", type: "Interface", policy: true },
    { service: "logs", type: "Interface", policy: true },
    { service: "s3", type: "Gateway", policy: true },
];

/** The catalog's defaults for the fields the peer reads (components/catalog/schema.ts). */
const DEFAULTS = {
    availabilityZones: 2,
    vpcCidr: "10.0.0.0/16",
    logRetentionDays: 30,
    cpu: 256,
    memory: 512,
    scaling: { min: 1, max: 2, cpuTarget: 60 },
};

/** The connection events an endpoint service notifies (components/privateLinkService.ts). */
const CONNECTION_EVENTS = ["Connect", "Accept", "Reject", "Delete"];

/** What the peer does not model; a catalog using it is refused rather than half-built. */
const UNSUPPORTED_SERVICE_FIELDS = ["expose", "notifications", "instanceTypes", "gpus", "placement", "capacity", "function", "allowedPrincipals"];
const UNSUPPORTED_PLATFORM_FIELDS = ["frontDoor", "notifications", "consumerPrincipal", "zoneIds"];

/**
 * `orders-api` -> `ORDERS_API`: the stem of the variable that carries a
 * consumed service's URL (components/shared.ts, `envName`).
 * @param {string} service
 */
function envName(service) {
    return service.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/**
 * Subnet prefix for a VPC prefix: the VPC is cut into eight zone slots
 * (components/catalog/cidr.ts, `subnetPrefix`: room for six zones).
 * @param {string} cidr
 */
function subnetMask(cidr) {
    const prefix = Number(/\/(\d+)$/.exec(cidr)?.[1]);
    if (!Number.isInteger(prefix)) {
        throw new Error(`${cidr} is not a CIDR block such as 10.0.0.0/16`);
    }
    return prefix + 3;
}

/**
 * The tags of every resource of the stack: the platform's and the stack's
 * (components/shared.ts, TAG; a service's resources add privatelink:service).
 * @param {Record<string, unknown>} config
 * @param {string} stack
 * @returns {Record<string, string>}
 */
function stackTags(config, stack) {
    const platform = /** @type {Record<string, any>} */ (config[`${NAMESPACE}:platform`] ?? {});
    return { ...(platform.tags ?? {}), "privatelink:stack": stack };
}

/**
 * The peer's plan of a stack file's `config:` map.
 * @param {Record<string, unknown>} config
 * @param {string} stack the stack name (the environment: task families and repository names carry it)
 * @returns {import("./topology").PeerService[]}
 */
function peerTopology(config, stack) {
    const platform = /** @type {Record<string, any>} */ (config[`${NAMESPACE}:platform`] ?? {});
    const services = /** @type {Record<string, any>[]} */ (config[`${NAMESPACE}:services`] ?? []);
    if (config[`${NAMESPACE}:shards`] !== undefined) {
        throw new Error(`${NAMESPACE}:shards: the peer builds one stack; plan a catalog without shards`);
    }
    for (const field of UNSUPPORTED_PLATFORM_FIELDS) {
        if (platform[field] !== undefined) {
            throw new Error(`${NAMESPACE}:platform.${field}: not modelled by the peer CDK app; bench a catalog without it`);
        }
    }
    if ((platform.keys ?? "stack") !== "stack") {
        throw new Error(`${NAMESPACE}:platform.keys: the peer builds one key per stack; bench a catalog with keys: stack`);
    }
    const byName = new Map(services.map(s => [s.name, s]));
    const consumed = new Set(services.flatMap(s => s.consumes ?? []));
    return services.map((s, i) => {
        const at = `${NAMESPACE}:services[${i}] (${s.name})`;
        if (s.runtime !== "fargate") {
            throw new Error(`${at}.runtime: ${JSON.stringify(s.runtime)}; the peer CDK app builds Fargate services only`);
        }
        if (typeof s.image !== "string" || s.image === "pending") {
            throw new Error(`${at}.image: the peer CDK app runs a pushed tag; set image to a tag such as "1.0.0"`);
        }
        for (const field of UNSUPPORTED_SERVICE_FIELDS) {
            if (s[field] !== undefined) {
                throw new Error(`${at}.${field}: not modelled by the peer CDK app; bench a catalog without it`);
            }
        }
        const cidr = s.cidr ?? platform.vpcCidr ?? DEFAULTS.vpcCidr;
        const scaling = { ...DEFAULTS.scaling, ...s.scaling };
        /** @type {string[]} */
        const consumes = s.consumes ?? [];
        const edges = consumes.map(provider => {
            const target = byName.get(provider);
            if (!target) {
                throw new Error(`${at}.consumes: ${JSON.stringify(provider)} is not a service of this catalog`);
            }
            return { provider, port: /** @type {number} */ (target.port), variable: `${envName(provider)}_URL` };
        });
        const consumedPorts = [...new Set(edges.map(e => e.port))].sort((a, b) => a - b);
        return {
            name: s.name,
            port: s.port,
            tags: { ...stackTags(config, stack), "privatelink:service": s.name },
            vpc: {
                cidr,
                zones: platform.availabilityZones ?? DEFAULTS.availabilityZones,
                subnetMask: subnetMask(cidr),
                flowLogRetentionDays: platform.logRetentionDays ?? DEFAULTS.logRetentionDays,
            },
            awsEndpoints: FARGATE_ENDPOINTS.map(e => ({ ...e })),
            workloadSecurityGroup: {
                ingressPorts: [s.port],
                // 443 to the AWS-service endpoints, then one rule per consumed port (443 is already there).
                egressPortsToVpc: [443, ...consumedPorts.filter(p => p !== 443)],
            },
            repository: { name: `${stack}/${s.name}`, scanOnPush: true, immutableTags: true, kms: true, untaggedExpiryDays: 14, keepImages: 50 },
            image: s.image,
            loadBalancer: { internal: true, crossZone: true, port: s.port, targetType: "ip", deregistrationDelaySeconds: 30 },
            endpointService: {
                acceptanceRequired: true,
                // The account's root principal when a service of this stack consumes it, as our program admits.
                allowsOwnAccount: consumed.has(s.name),
                connectionEvents: [...CONNECTION_EVENTS],
            },
            task: {
                family: `${stack}-${s.name}`,
                cpu: s.cpu ?? DEFAULTS.cpu,
                memory: s.memory ?? DEFAULTS.memory,
                logRetentionDays: platform.logRetentionDays ?? DEFAULTS.logRetentionDays,
                environment: { ...(s.environment ?? {}) },
            },
            fargateService: { assignPublicIp: false, desiredCount: scaling.min },
            scaling: { min: scaling.min, max: scaling.max, cpuTarget: scaling.cpuTarget, scaleInCooldownSeconds: 120, scaleOutCooldownSeconds: 60 },
            consumes: edges,
        };
    });
}

/**
 * How the peer builds each AWS resource type our program declares for a
 * Fargate catalog (Pulumi type token -> CDK construct and CloudFormation
 * type), or `cfn: null` and why it does not. test/bench/peer.test.ts requires
 * every type of our plan to be listed here, so a resource our program starts
 * to declare is either added to the peer or explained.
 * @type {readonly import("./topology").PeerResourceType[]}
 */
const RESOURCE_TYPES = [
    { pulumi: "aws:kms/key:Key", cdk: "kms.Key, one per stack", cfn: "AWS::KMS::Key" },
    { pulumi: "aws:ec2/vpc:Vpc", cdk: "ec2.Vpc", cfn: "AWS::EC2::VPC" },
    { pulumi: "aws:ec2/subnet:Subnet", cdk: "ec2.Vpc, one private isolated subnet per zone", cfn: "AWS::EC2::Subnet" },
    { pulumi: "aws:ec2/routeTable:RouteTable", cdk: "ec2.Vpc: one route table per subnet where ours shares one", cfn: null },
    { pulumi: "aws:ec2/routeTableAssociation:RouteTableAssociation", cdk: "ec2.Vpc", cfn: "AWS::EC2::SubnetRouteTableAssociation" },
    {
        pulumi: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        cdk: "ec2.Vpc restrictDefaultSecurityGroup: a custom resource per VPC (Custom::VpcRestrictDefaultSG) and one Lambda provider per stack",
        cfn: null,
    },
    { pulumi: "aws:cloudwatch/logGroup:LogGroup", cdk: "logs.LogGroup (flow logs, task logs), encrypted with the key", cfn: "AWS::Logs::LogGroup" },
    { pulumi: "aws:iam/role:Role", cdk: "iam.Role (flow logs, task execution, task); CDK adds its custom resource provider's role", cfn: null },
    { pulumi: "aws:iam/rolePolicy:RolePolicy", cdk: "the roles' default policies, written by CDK's grants (flow logs to the log group; image pulls and logs)", cfn: null },
    { pulumi: "aws:ec2/flowLog:FlowLog", cdk: "Vpc.addFlowLog", cfn: "AWS::EC2::FlowLog" },
    {
        pulumi: "aws:ec2/securityGroup:SecurityGroup",
        cdk: "ec2.SecurityGroup (AWS-service endpoints, workload, one per consumed endpoint); the workload's egress to the S3 prefix list is not built: " +
            "CloudFormation returns no prefix-list id for an endpoint and CDK looks the list up only in an account-bound stack",
        cfn: "AWS::EC2::SecurityGroup",
    },
    { pulumi: "aws:ec2/vpcEndpoint:VpcEndpoint", cdk: "Vpc.addInterfaceEndpoint, Vpc.addGatewayEndpoint, ec2.InterfaceVpcEndpoint per consumed service", cfn: "AWS::EC2::VPCEndpoint" },
    { pulumi: "aws:ecr/repository:Repository", cdk: "ecr.Repository", cfn: "AWS::ECR::Repository" },
    { pulumi: "aws:ecr/lifecyclePolicy:LifecyclePolicy", cdk: "Repository lifecycleRules: a property of AWS::ECR::Repository", cfn: null },
    { pulumi: "aws:ecr/repositoryPolicy:RepositoryPolicy", cdk: "Repository.addToResourcePolicy: a property of AWS::ECR::Repository", cfn: null },
    { pulumi: "aws:lb/loadBalancer:LoadBalancer", cdk: "elbv2.NetworkLoadBalancer, internal, without security groups", cfn: "AWS::ElasticLoadBalancingV2::LoadBalancer" },
    { pulumi: "aws:lb/targetGroup:TargetGroup", cdk: "elbv2.NetworkTargetGroup (ip)", cfn: "AWS::ElasticLoadBalancingV2::TargetGroup" },
    { pulumi: "aws:lb/listener:Listener", cdk: "NetworkLoadBalancer.addListener", cfn: "AWS::ElasticLoadBalancingV2::Listener" },
    {
        pulumi: "aws:ec2/vpcEndpointService:VpcEndpointService",
        cdk: "ec2.VpcEndpointService; the allowed principals are a separate AWS::EC2::VPCEndpointServicePermissions",
        cfn: "AWS::EC2::VPCEndpointService",
    },
    { pulumi: "aws:sns/topic:Topic", cdk: "sns.Topic, encrypted with the key", cfn: "AWS::SNS::Topic" },
    { pulumi: "aws:sns/topicPolicy:TopicPolicy", cdk: "Topic.addToResourcePolicy", cfn: "AWS::SNS::TopicPolicy" },
    {
        pulumi: "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification",
        cdk: "ec2.CfnVPCEndpointConnectionNotification (no L2 exists)",
        cfn: "AWS::EC2::VPCEndpointConnectionNotification",
    },
    { pulumi: "aws:ecs/cluster:Cluster", cdk: "ecs.Cluster with Container Insights", cfn: "AWS::ECS::Cluster" },
    { pulumi: "aws:ecs/taskDefinition:TaskDefinition", cdk: "ecs.FargateTaskDefinition", cfn: "AWS::ECS::TaskDefinition" },
    { pulumi: "aws:ecs/service:Service", cdk: "ecs.FargateService, attached to the target group", cfn: "AWS::ECS::Service" },
    { pulumi: "aws:appautoscaling/target:Target", cdk: "FargateService.autoScaleTaskCount", cfn: "AWS::ApplicationAutoScaling::ScalableTarget" },
    { pulumi: "aws:appautoscaling/policy:Policy", cdk: "ScalableTaskCount.scaleOnCpuUtilization", cfn: "AWS::ApplicationAutoScaling::ScalingPolicy" },
    {
        pulumi: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
        cdk: "not built: CloudFormation has no resource that accepts an endpoint connection (a CDK app would need a custom resource calling AcceptVpcEndpointConnections)",
        cfn: null,
    },
];

/**
 * How many resources of each CloudFormation type the peer app synthesises
 * for these services (the types it builds one for one; CDK's own additions,
 * such as route tables per subnet and custom resource providers, are not
 * listed). The app checks its templates against this after every synth.
 * @param {import("./topology").PeerService[]} services
 * @returns {Record<string, number>}
 */
function cloudFormationCounts(services) {
    const n = services.length;
    const sum = (/** @type {(s: import("./topology").PeerService) => number} */ f) => services.reduce((acc, s) => acc + f(s), 0);
    return {
        "AWS::KMS::Key": n > 0 ? 1 : 0,
        "AWS::EC2::VPC": n,
        "AWS::EC2::Subnet": sum(s => s.vpc.zones),
        "AWS::EC2::SubnetRouteTableAssociation": sum(s => s.vpc.zones),
        "AWS::Logs::LogGroup": 2 * n,
        "AWS::EC2::FlowLog": n,
        // AWS-service endpoints, workload, and one per consumed endpoint.
        "AWS::EC2::SecurityGroup": sum(s => 2 + s.consumes.length),
        // A rule between two groups is its own resource in CDK (the consumed endpoint admits the workload).
        "AWS::EC2::SecurityGroupIngress": sum(s => s.consumes.length),
        "AWS::EC2::VPCEndpoint": sum(s => s.awsEndpoints.length + s.consumes.length),
        "AWS::ECR::Repository": n,
        "AWS::ElasticLoadBalancingV2::LoadBalancer": n,
        "AWS::ElasticLoadBalancingV2::TargetGroup": n,
        "AWS::ElasticLoadBalancingV2::Listener": n,
        "AWS::EC2::VPCEndpointService": n,
        "AWS::EC2::VPCEndpointServicePermissions": sum(s => (s.endpointService.allowsOwnAccount ? 1 : 0)),
        "AWS::SNS::Topic": n,
        "AWS::SNS::TopicPolicy": n,
        "AWS::EC2::VPCEndpointConnectionNotification": n,
        "AWS::ECS::Cluster": n,
        "AWS::ECS::TaskDefinition": n,
        "AWS::ECS::Service": n,
        "AWS::ApplicationAutoScaling::ScalableTarget": n,
        "AWS::ApplicationAutoScaling::ScalingPolicy": n,
    };
}

module.exports = { peerTopology, stackTags, cloudFormationCounts, RESOURCE_TYPES };
