import { ResourceRecord } from "../evaluate";
import { allowList, ROOT } from "../lib/allowed-types";

/** Hand-built resource records in the offline preview's shape. */

export const STACK = "dev";
export const PROJECT = "privatelink-platform";
export const ACCOUNT = "111111111111";

/**
 * Where the fixtures' load balancers write access logs: a bucket of the
 * organization's log archive, which the stack does not create, so the stack
 * declares it as an external destination (destinations-in-environment).
 */
export const FIXTURE_LOG_BUCKET = "org-log-archive-elb-access-logs";

/** What the fixtures' stack declares: its account (aws:allowedAccountIds), and its log bucket with a reason and an expiry. */
export function fixtureDeclarations(): { stackConfig: Record<string, unknown>; config: Record<string, Record<string, unknown>> } {
    const expires = new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    return {
        stackConfig: { "aws:allowedAccountIds": [ACCOUNT] },
        config: { "destinations-in-environment": { externalDestinations: [{ destination: FIXTURE_LOG_BUCKET, reason: "the organization's log archive keeps every account's ELB logs", expires }] } },
    };
}

export function urnOf(type: string, name: string, parentType?: string): string {
    const t = parentType ? `${parentType}$${type}` : type;
    return `urn:pulumi:${STACK}::${PROJECT}::${t}::${name}`;
}

const ALLOWED = allowList();

/**
 * Where the platform puts a resource of this type: the chain of its first
 * allowed owner, up to the stack (`privatelink:index:Platform$privatelink:network:IsolatedVpc`
 * for a subnet); undefined for a type the pack does not know (directly under the stack).
 */
export function platformChain(type: string, seen: Set<string> = new Set()): string | undefined {
    const owner = ALLOWED.get(type)?.under[0];
    if (owner === undefined || owner === ROOT || seen.has(owner)) {
        return undefined;
    }
    seen.add(type);
    const above = platformChain(owner, seen);
    return above ? `${above}$${owner}` : owner;
}

export interface RecordOpts {
    parent?: string | null;
    outputs?: Record<string, unknown>;
    deps?: Record<string, ResourceRecord | ResourceRecord[] | string | string[]>;
    custom?: boolean;
    urn?: string;
}

export function rec(type: string, name: string, inputs: Record<string, unknown> = {}, o: RecordOpts = {}): ResourceRecord {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(o.deps ?? {})) {
        const list = Array.isArray(v) ? v : [v];
        propertyDependencies[k] = list.map((x) => (typeof x === "string" ? x : x.urn));
    }
    const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
    return {
        urn: o.urn ?? urnOf(type, name, platformChain(type)),
        type,
        name,
        parent: o.parent ?? null,
        custom: o.custom ?? !type.startsWith("privatelink:"),
        inputs,
        outputs: o.outputs ?? {},
        dependencies,
        propertyDependencies,
        options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, aliases: [], ignoreChanges: [], provider: "" },
    };
}

export const svcTags = (s: string, extra: Record<string, string> = {}) => ({ "privatelink:service": s, ...extra });

export const TRUST_ECS = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

export interface ServiceParts {
    name: string;
    vpc: ResourceRecord;
    subnets: ResourceRecord[];
    sg: ResourceRecord;
    nlb: ResourceRecord;
    endpointService: ResourceRecord;
    taskRole: ResourceRecord;
    execRole: ResourceRecord;
    service: ResourceRecord;
    all: ResourceRecord[];
}

/**
 * A compliant S3 gateway endpoint policy: the account's own principals, plus
 * ECR's layer bucket for the presigned layer downloads (any principal).
 */
export const S3_ENDPOINT_POLICY = JSON.stringify({
    Statement: [
        { Sid: "Own", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } } },
        { Sid: "EcrImageLayers", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*" },
    ],
});

/** One compliant Fargate microservice: VPC, subnets, flow log, endpoints, NLB + endpoint service, roles, task, service. */
export function fargateService(name: string): ServiceParts {
    const tags = svcTags(name);
    const vpc = rec("aws:ec2/vpc:Vpc", `${name}-vpc`, { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true, tags });
    const subnets = ["a", "b"].map((az, i) =>
        rec("aws:ec2/subnet:Subnet", `${name}-private-${az}`, { vpcId: "<unknown>", cidrBlock: `10.0.${i}.0/24`, availabilityZone: `us-east-1${az}`, mapPublicIpOnLaunch: false, tags }, { deps: { vpcId: vpc } }),
    );
    const rt = rec("aws:ec2/routeTable:RouteTable", `${name}-rt`, { vpcId: "<unknown>", routes: [], tags }, { deps: { vpcId: vpc } });
    const logGroup = rec("aws:cloudwatch/logGroup:LogGroup", `${name}-flow`, { retentionInDays: 30, tags });
    const flowLog = rec("aws:ec2/flowLog:FlowLog", `${name}-flow-log`, { vpcId: "<unknown>", trafficType: "ALL", logDestination: "<unknown>", tags }, { deps: { vpcId: vpc, logDestination: logGroup } });
    const defaultSg = rec("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", `${name}-default-sg`, { vpcId: "<unknown>", ingress: [], egress: [], tags }, { deps: { vpcId: vpc } });
    const sg = rec(
        "aws:ec2/securityGroup:SecurityGroup",
        `${name}-sg`,
        {
            vpcId: "<unknown>",
            description: `${name} tasks`,
            ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.0.0.0/16"] }],
            egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }],
            tags,
        },
        { deps: { vpcId: vpc } },
    );
    const endpoints = [
        ["ecr.api", "Interface"],
        ["ecr.dkr", "Interface"],
        ["logs", "Interface"],
        ["s3", "Gateway"],
    ].map(([svc, type]) =>
        rec(
            "aws:ec2/vpcEndpoint:VpcEndpoint",
            `${name}-${svc}`,
            {
                vpcId: "<unknown>",
                serviceName: `com.amazonaws.us-east-1.${svc}`,
                vpcEndpointType: type,
                privateDnsEnabled: type === "Interface",
                policy: svc === "s3" ? S3_ENDPOINT_POLICY : JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage"], Resource: "*" }] }),
                ...(type === "Interface" ? { subnetIds: ["<unknown>", "<unknown>"], securityGroupIds: ["<unknown>"] } : { routeTableIds: ["<unknown>"] }),
                tags: svcTags(name, { "privatelink:endpoint-kind": "aws-service" }),
            },
            { deps: type === "Interface" ? { vpcId: vpc, subnetIds: subnets, securityGroupIds: sg } : { vpcId: vpc, routeTableIds: rt } },
        ),
    );
    const nlb = rec(
        "aws:lb/loadBalancer:LoadBalancer",
        `${name}-nlb`,
        { loadBalancerType: "network", internal: true, subnets: ["<unknown>", "<unknown>"], enableDeletionProtection: true, accessLogs: { bucket: FIXTURE_LOG_BUCKET, enabled: true }, tags },
        { deps: { subnets } },
    );
    const tg = rec("aws:lb/targetGroup:TargetGroup", `${name}-tg`, { port: 8080, protocol: "TCP", targetType: "ip", vpcId: "<unknown>", tags }, { deps: { vpcId: vpc } });
    const listener = rec(
        "aws:lb/listener:Listener",
        `${name}-listener`,
        { loadBalancerArn: "<unknown>", port: 443, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: "<unknown>" }] },
        { deps: { loadBalancerArn: nlb, defaultActions: tg } },
    );
    const endpointService = rec(
        "aws:ec2/vpcEndpointService:VpcEndpointService",
        `${name}-endpoint-service`,
        { acceptanceRequired: true, networkLoadBalancerArns: ["<unknown>"], allowedPrincipals: [`arn:aws:iam::${ACCOUNT}:root`], tags },
        { deps: { networkLoadBalancerArns: nlb } },
    );
    // Connection events, encrypted with the service's key (data-stores-encrypted).
    const key = rec("aws:kms/key:Key", `${name}-key`, { enableKeyRotation: true, tags }, { outputs: { arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${name}` } });
    const topic = rec("aws:sns/topic:Topic", `${name}-pl-events`, { kmsMasterKeyId: "<unknown>", tags }, { deps: { kmsMasterKeyId: key } });
    const notification = rec(
        "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification",
        `${name}-pl-notification`,
        { vpcEndpointServiceId: "<unknown>", connectionNotificationArn: "<unknown>", connectionEvents: ["Connect", "Accept", "Reject", "Delete"] },
        { deps: { vpcEndpointServiceId: endpointService, connectionNotificationArn: topic } },
    );
    // Its ARN as AWS assigns it, in the account the fixtures declare (fixtureDeclarations).
    const taskRole = rec("aws:iam/role:Role", `${name}-task-role`, { assumeRolePolicy: TRUST_ECS, tags }, { outputs: { arn: `arn:aws:iam::${ACCOUNT}:role/${name}-task-role` } });
    const execRole = rec("aws:iam/role:Role", `${name}-exec-role`, { assumeRolePolicy: TRUST_ECS, tags });
    const execAttach = rec(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        `${name}-exec-attach`,
        { role: "<unknown>", policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
        { deps: { role: execRole } },
    );
    const repo = rec("aws:ecr/repository:Repository", `${name}-repo`, {
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: "IMMUTABLE",
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:us-east-1:111111111111:key/abc" }],
        tags,
    });
    const cluster = rec("aws:ecs/cluster:Cluster", `${name}-cluster`, { tags });
    const taskDef = rec(
        "aws:ecs/taskDefinition:TaskDefinition",
        `${name}-task`,
        {
            family: name,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: "256",
            memory: "512",
            taskRoleArn: "<unknown>",
            executionRoleArn: "<unknown>",
            containerDefinitions: JSON.stringify([
                {
                    name,
                    image: "111111111111.dkr.ecr.us-east-1.amazonaws.com/x:1",
                    environment: [{ name: "PORT", value: "8080" }],
                    secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:111111111111:secret:db" }],
                    logConfiguration: { logDriver: "awslogs", options: {} },
                },
            ]),
            tags,
        },
        { deps: { taskRoleArn: taskRole, executionRoleArn: execRole } },
    );
    const service = rec(
        "aws:ecs/service:Service",
        `${name}-service`,
        {
            cluster: "<unknown>",
            taskDefinition: "<unknown>",
            launchType: "FARGATE",
            desiredCount: 2,
            networkConfiguration: { subnets: ["<unknown>", "<unknown>"], securityGroups: ["<unknown>"], assignPublicIp: false },
            loadBalancers: [{ targetGroupArn: "<unknown>", containerName: name, containerPort: 8080 }],
            tags,
        },
        { deps: { cluster, taskDefinition: taskDef, networkConfiguration: [...subnets, sg], loadBalancers: tg } },
    );
    const all = [vpc, ...subnets, rt, logGroup, flowLog, defaultSg, sg, ...endpoints, nlb, tg, listener, endpointService, key, topic, notification, taskRole, execRole, execAttach, repo, cluster, taskDef, service];
    return { name, vpc, subnets, sg, nlb, endpointService, taskRole, execRole, service, all };
}

/** The consumer side of a declared edge: an interface endpoint in the consumer's VPC to the provider's endpoint service. */
export function meshEndpoint(consumer: ServiceParts, provider: ServiceParts, tagOverrides: Record<string, string> = {}): ResourceRecord {
    return rec(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        `${consumer.name}-to-${provider.name}`,
        {
            vpcId: "<unknown>",
            serviceName: "<unknown>",
            vpcEndpointType: "Interface",
            privateDnsEnabled: false,
            subnetIds: ["<unknown>", "<unknown>"],
            securityGroupIds: ["<unknown>"],
            tags: {
                "privatelink:service": consumer.name,
                "privatelink:endpoint-kind": "mesh",
                "privatelink:consumer": consumer.name,
                "privatelink:provider": provider.name,
                "privatelink:edge": `${consumer.name}->${provider.name}`,
                ...tagOverrides,
            },
        },
        { deps: { vpcId: consumer.vpc, serviceName: provider.endpointService, subnetIds: consumer.subnets, securityGroupIds: consumer.sg } },
    );
}

/** Two services, `orders` consuming `payments`, compliant. */
export function goodStack(): { orders: ServiceParts; payments: ServiceParts; edge: ResourceRecord; all: ResourceRecord[] } {
    const orders = fargateService("orders");
    const payments = fargateService("payments");
    const edge = meshEndpoint(orders, payments);
    return { orders, payments, edge, all: [...orders.all, ...payments.all, edge] };
}

/** Resolves "<unknown>" inputs to concrete values, as they would be after `up`. */
export function afterUp(records: ResourceRecord[]): ResourceRecord[] {
    const fill = (v: unknown, key: string): unknown => {
        if (v === "<unknown>") {
            return `${key}-resolved`;
        }
        if (Array.isArray(v)) {
            return v.map((x) => fill(x, key));
        }
        if (typeof v === "object" && v !== null) {
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, k)]));
        }
        return v;
    };
    return records.map((r) => ({ ...r, inputs: fill(r.inputs, "value") as Record<string, unknown> }));
}

/** A synthetic stack of about 8,000 resources: N compliant services (each one `fargateService`), each consuming the next three; with N. */
export function bigStackOf(target = 8000): { services: number; records: ResourceRecord[] } {
    const services: ServiceParts[] = [];
    const records: ResourceRecord[] = [];
    for (let i = 0; records.length < target - 3 * 32; i++) {
        const s = fargateService(`svc${i}`);
        services.push(s);
        records.push(...s.all);
    }
    services.forEach((s, i) => {
        for (let k = 1; k <= 3; k++) {
            records.push(meshEndpoint(s, services[(i + k) % services.length]));
        }
    });
    return { services: services.length, records };
}

/**
 * What one `fargateService` of this file takes from each Region-wide quota,
 * written out from what it declares (not counted by the quota rule): one VPC,
 * one S3 gateway endpoint, one NLB, and 2 tasks of 256 CPU units (0.25 vCPU).
 */
const PER_FARGATE_SERVICE = { vpcs: 1, gatewayEndpoints: 1, networkLoadBalancers: 1, fargateVcpus: 2 * 0.25 };

/**
 * The stack configuration of a stack of `services` such services that has
 * raised the quotas they need and declares it (`platform.quotas`), as a real
 * stack of that size must. The numbers come from the service count, so a
 * quota rule that counts wrong still trips on the large stacks. Codes: VPCs
 * per Region (the default VPC counts too), gateway VPC endpoints per Region,
 * Network Load Balancers per Region, Fargate On-Demand vCPUs
 * (policies/facts/quota-data.ts).
 */
export function raisedQuotasConfig(services: number): Record<string, unknown> {
    const quotas = {
        "L-F678F1CE": services * PER_FARGATE_SERVICE.vpcs + 1,
        "L-1B52E74A": services * PER_FARGATE_SERVICE.gatewayEndpoints,
        "L-69A177A2": services * PER_FARGATE_SERVICE.networkLoadBalancers,
        "L-3032A538": Math.ceil(services * PER_FARGATE_SERVICE.fargateVcpus),
    };
    return { "privatelink-platform:platform": { quotas } };
}
