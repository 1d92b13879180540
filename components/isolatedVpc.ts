import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { acceptsEndpointPolicy, ecrLayerBucketArn } from "../policies/facts/endpoint-policy-support";
import { planSubnets } from "./catalog";
import type { AwsServiceEndpoints } from "../policies/facts/runtimes";
import { AccountContext, PolicyStatement, TAG, policyDocument, serviceTrustPolicy } from "./shared";

export interface IsolatedVpcArgs {
    /** The microservice that owns this VPC; every child is named after it. */
    service: string;
    cidr: string;
    /**
     * Zone ids (`use1-az1`) of the availability zones to use, one subnet each
     * (at least two). Ids, not names: names map to other physical zones in
     * every account, and PrivateLink matches provider and consumer zones by id.
     */
    availabilityZoneIds: pulumi.Input<string>[];
    /** AWS-service endpoints the runtime needs (its declaration: policies/facts/runtimes), and those the service's declared needs add. */
    endpoints: AwsServiceEndpoints;
    /**
     * Per AWS API the VPC reaches only for the service's declared needs, the
     * ARNs its endpoint policy admits (policies/lib/service-needs.ts: declaredResources).
     */
    endpointResources?: Record<string, pulumi.Input<string[]>>;
    /** The port the workload serves on, admitted from inside the VPC only (the NLB's nodes). */
    servicePort: number;
    /**
     * Whether the NLB reaches the workload over the network (default true).
     * False when it reaches something else that invokes the workload through
     * an AWS API (Lambda behind an ALB): the workload group then has no ingress.
     */
    workloadIngress?: boolean;
    /** Ports of the services this workload calls through PrivateLink endpoints in this VPC. */
    consumedPorts: number[];
    logRetentionDays: number;
    kmsKeyArn: pulumi.Input<string>;
    account: AccountContext;
    tags: Record<string, string>;
    /**
     * Endpoint policies narrower than awsServiceEndpointPolicy's, by service
     * (`ec2`): the subscription handler's endpoints admit only its own calls.
     */
    endpointPolicies?: Record<string, pulumi.Input<string>>;
}

/**
 * A VPC that holds exactly one microservice: private subnets in every zone,
 * no internet gateway, no NAT, no route out; flow logs; the default security
 * group emptied; and the AWS-service endpoints its runtime needs.
 */
export class IsolatedVpc extends pulumi.ComponentResource {
    public readonly vpc: aws.ec2.Vpc;
    public readonly subnets: aws.ec2.Subnet[];
    public readonly subnetIds: pulumi.Output<string>[];
    public readonly routeTable: aws.ec2.RouteTable;
    /** The workload's security group: the service port from inside the VPC; egress only to endpoints. */
    public readonly workloadSecurityGroup: aws.ec2.SecurityGroup;
    public readonly endpointSecurityGroup: aws.ec2.SecurityGroup;
    public readonly serviceEndpoints: aws.ec2.VpcEndpoint[];

    constructor(name: string, args: IsolatedVpcArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:network:IsolatedVpc", name, {}, opts);
        const parent = { parent: this };
        const tags = (resource: string) => ({ ...args.tags, Name: `${args.service}-${resource}` });

        this.vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: args.cidr,
            enableDnsSupport: true,
            enableDnsHostnames: true,
            tags: tags("vpc"),
        }, parent);

        const blocks = planSubnets(args.cidr, args.availabilityZoneIds.length);
        this.subnets = args.availabilityZoneIds.map((zoneId, i) => {
            const zone = String.fromCharCode("a".charCodeAt(0) + i);
            return new aws.ec2.Subnet(`${name}-private-${zone}`, {
                vpcId: this.vpc.id,
                cidrBlock: blocks[i],
                availabilityZoneId: zoneId,
                mapPublicIpOnLaunch: false,
                tags: tags(`private-${zone}`),
            }, parent);
        });
        this.subnetIds = this.subnets.map(s => s.id);

        // One route table with only the implicit local route (and the S3
        // gateway endpoint's prefix-list route, which AWS adds).
        this.routeTable = new aws.ec2.RouteTable(`${name}-private`, { vpcId: this.vpc.id, tags: tags("private") }, parent);
        this.subnets.forEach((subnet, i) => {
            const zone = String.fromCharCode("a".charCodeAt(0) + i);
            new aws.ec2.RouteTableAssociation(`${name}-private-${zone}`, {
                subnetId: subnet.id,
                routeTableId: this.routeTable.id,
            }, parent);
        });

        // Taking over the default security group with no rules strips the
        // allow-all rules AWS creates it with.
        new aws.ec2.DefaultSecurityGroup(`${name}-default`, { vpcId: this.vpc.id, tags: tags("default-sg-unused") }, parent);

        this.flowLogs(name, args, tags);

        this.endpointSecurityGroup = new aws.ec2.SecurityGroup(`${name}-endpoints`, {
            vpcId: this.vpc.id,
            description: `HTTPS from inside the ${args.service} VPC to AWS-service endpoints`,
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.cidr], description: "HTTPS from the VPC" }],
            egress: [],
            tags: tags("endpoints"),
        }, parent);

        const region = pulumi.output(args.account.region);
        const gateways = args.endpoints.gateway.map(svc =>
            new aws.ec2.VpcEndpoint(`${name}-${svc.replace(/\./g, "-")}`, {
                vpcId: this.vpc.id,
                serviceName: pulumi.interpolate`com.amazonaws.${region}.${svc}`,
                vpcEndpointType: "Gateway",
                routeTableIds: [this.routeTable.id],
                policy: awsServiceEndpointPolicy(svc, args.account, args.endpointResources?.[svc]),
                tags: { ...tags(svc), [TAG.endpointKind]: "aws-service" },
            }, parent));
        const interfaces = args.endpoints.interface.map(svc =>
            new aws.ec2.VpcEndpoint(`${name}-${svc.replace(/\./g, "-")}`, {
                vpcId: this.vpc.id,
                serviceName: pulumi.interpolate`com.amazonaws.${region}.${svc}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: this.subnetIds,
                securityGroupIds: [this.endpointSecurityGroup.id],
                policy: args.endpointPolicies?.[svc] ?? awsServiceEndpointPolicy(svc, args.account, args.endpointResources?.[svc]),
                tags: { ...tags(svc), [TAG.endpointKind]: "aws-service" },
            }, parent));
        this.serviceEndpoints = [...interfaces, ...gateways];

        // Egress to 443 in the VPC only when there are interface endpoints to
        // reach (a Lambda VPC has none unless its code calls AWS APIs).
        const awsEndpoints443 = args.endpoints.interface.length > 0;
        const egress: aws.types.input.ec2.SecurityGroupEgress[] = awsEndpoints443
            ? [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.cidr], description: "AWS-service interface endpoints" }]
            : [];
        // A gateway endpoint is reached through its service's prefix list, not an address in the VPC.
        gateways.forEach((gateway, i) => {
            const svc = args.endpoints.gateway[i];
            const description = svc === "s3" ? "S3 gateway endpoint (image layers)" : `${svc} gateway endpoint`;
            egress.push({ protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: [gateway.prefixListId], description });
        });
        for (const port of [...new Set(args.consumedPorts)].sort((a, b) => a - b)) {
            if (port !== 443 || !awsEndpoints443) {
                egress.push({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: [args.cidr], description: `PrivateLink endpoints on ${port}` });
            }
        }
        const ingress = args.workloadIngress === false
            ? []
            : [{
                protocol: "tcp",
                fromPort: args.servicePort,
                toPort: args.servicePort,
                cidrBlocks: [args.cidr],
                description: "Service port from the NLB nodes in this VPC",
            }];
        this.workloadSecurityGroup = new aws.ec2.SecurityGroup(`${name}-workload`, {
            vpcId: this.vpc.id,
            description: args.workloadIngress === false
                ? `${args.service} workload: no ingress, egress to endpoints only`
                : `${args.service} workload: its port from the VPC (NLB), egress to endpoints only`,
            ingress,
            egress,
            tags: tags("workload"),
        }, parent);

        this.registerOutputs({
            vpcId: this.vpc.id,
            subnetIds: this.subnetIds,
            workloadSecurityGroupId: this.workloadSecurityGroup.id,
        });
    }

    private flowLogs(name: string, args: IsolatedVpcArgs, tags: (r: string) => Record<string, string>): void {
        const parent = { parent: this };
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
            retentionInDays: args.logRetentionDays,
            kmsKeyId: args.kmsKeyArn,
            tags: tags("flow-logs"),
        }, parent);
        const { accountId, region, partition } = args.account;
        const role = new aws.iam.Role(`${name}-flow-logs`, {
            description: `VPC flow logs of ${args.service} to CloudWatch Logs`,
            assumeRolePolicy: serviceTrustPolicy(
                "vpc-flow-logs.amazonaws.com",
                args.account,
                pulumi.interpolate`arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*`,
            ),
            tags: tags("flow-logs"),
        }, parent);
        // AWS's documented flow-log role policy (VPC User Guide, "IAM role for
        // publishing flow logs to CloudWatch Logs"): CreateLogGroup,
        // CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams.
        // Scoped to this group, except DescribeLogGroups, which has no resource
        // type and is granted only on "*" (Service Authorization Reference,
        // "Actions defined by Amazon CloudWatch Logs").
        new aws.iam.RolePolicy(`${name}-flow-logs`, {
            role: role.id,
            policy: policyDocument([
                {
                    Effect: "Allow",
                    Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                },
                {
                    Effect: "Allow",
                    Action: ["logs:DescribeLogGroups"],
                    Resource: ["*"],
                },
            ]),
        }, parent);
        new aws.ec2.FlowLog(`${name}-flow-logs`, {
            vpcId: this.vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: logGroup.arn,
            iamRoleArn: role.arn,
            maxAggregationInterval: 60,
            tags: tags("flow-logs"),
        }, parent);
    }
}

/**
 * The endpoint policy for an AWS-service endpoint, or undefined (AWS's default
 * full-access policy) where the service accepts none: AWS refuses any policy
 * on those ("only supports the full-access endpoint policy"). Which services
 * accept one is data with sources: policies/facts/endpoint-policy-support.
 *
 * Where a policy is accepted it admits only principals of this account. The
 * S3 gateway endpoint also admits `s3:GetObject` on ECR's layer bucket
 * `prod-<region>-starport-layer-bucket` for any principal: ECR hands image
 * pullers a presigned URL signed by an ECR account, not by the caller, so an
 * account condition would deny every layer download (ECR user guide,
 * "Minimum Amazon S3 bucket permissions for Amazon ECR",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms;
 * aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies,
 * statement AllowRequestsToAWSOwnedResources).
 *
 * With `resources` (an API the VPC reaches for the service's declared stores
 * and secrets, and otherwise for AWS-owned resources only), the account's
 * principals reach only those ARNs through it (AWS PrivateLink guide,
 * "Control access to VPC endpoints using endpoint policies": the Resource
 * element; Amazon VPC, "Gateway endpoints for Amazon S3", endpoint policies
 * naming buckets). The S3 endpoint keeps ECR's layer statement whatever the
 * service declares: image layers come from ECR's bucket
 * `prod-<region>-starport-layer-bucket` (ECR user guide, "Minimum Amazon S3
 * bucket permissions for Amazon ECR"), so a service that declares no bucket
 * reaches S3 for image layers alone.
 */
export function awsServiceEndpointPolicy(service: string, account: AccountContext, resources?: pulumi.Input<string[]>): pulumi.Output<string> | undefined {
    if (!acceptsEndpointPolicy(service)) {
        return undefined;
    }
    // No declared resource (`[]`): the endpoint admits the account's principals to nothing (AWS-owned resources only, below).
    const statements: PolicyStatement[] = Array.isArray(resources) && resources.length === 0 ? [] : [{
        Sid: resources === undefined ? "PrincipalsOfThisAccount" : "DeclaredResourcesOfThisAccount",
        Effect: "Allow",
        Principal: "*",
        Action: "*",
        Resource: resources === undefined ? "*" : pulumi.output(resources),
        Condition: { StringEquals: { "aws:PrincipalAccount": account.accountId } },
    }];
    if (service === "s3") {
        statements.push(ecrLayerStatement(account));
    }
    if (service === "sts") {
        statements.push(federatedAssumeStatement(account));
    }
    return policyDocument(statements);
}

/**
 * The sts endpoint statement that lets federated callers assume this
 * account's roles. `AssumeRoleWithWebIdentity` (IRSA: a pod's projected
 * service-account token) and `AssumeRoleWithSAML` are not signed by an AWS
 * principal, so their requests carry no `aws:PrincipalAccount`, and a policy
 * that admits only this account's principals denies them (IAM User Guide,
 * "Control access to AWS STS with VPC endpoint policies": "Important
 * considerations", federated callers). They are admitted by the resource they
 * act on instead: a role of this account (`aws:ResourceAccount`, IAM User
 * Guide, "AWS global condition context keys").
 */
export function federatedAssumeStatement(account: AccountContext): PolicyStatement {
    return {
        Sid: "FederatedIntoThisAccount",
        Effect: "Allow",
        Principal: "*",
        Action: ["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"],
        Resource: "*",
        Condition: { StringEquals: { "aws:ResourceAccount": account.accountId } },
    };
}

/** The S3 endpoint statement that lets ECR image layers through (see awsServiceEndpointPolicy). */
export function ecrLayerStatement(account: AccountContext): PolicyStatement {
    return {
        Sid: "EcrImageLayers",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: pulumi.all([account.partition, account.region]).apply(([partition, region]) => `${ecrLayerBucketArn(partition, region)}/*`),
    };
}
