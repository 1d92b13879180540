import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountContext, policyDocument } from "./shared";

/** How the runtime's workload registers with the NLB's target group. */
export type TargetType = "ip" | "instance" | "alb";

export interface PrivateLinkServiceArgs {
    service: string;
    vpcId: pulumi.Input<string>;
    /** Every subnet of the service VPC: the endpoint service exists only in the NLB's zones. */
    subnetIds: pulumi.Input<string>[];
    /** The port consumers call; the NLB listens on it. */
    port: number;
    /** The port targets receive traffic on (a NodePort, an ALB listener); default: `port`. */
    targetPort?: number;
    targetType: TargetType;
    /** Target health check; default: TCP on the target port (an `alb` target needs HTTP). */
    healthCheck?: aws.types.input.lb.TargetGroupHealthCheck;
    /** Exactly the principals that may create endpoints to this service; never "*". */
    allowedPrincipals: pulumi.Input<pulumi.Input<string>[]>;
    kmsKeyArn: pulumi.Input<string>;
    account: AccountContext;
    tags: Record<string, string>;
}

/**
 * The provider side of the mesh, the same for every runtime: an internal NLB
 * across every zone of the service VPC, a VPC endpoint service in front of it
 * that requires acceptance and admits only declared principals, and
 * connection notifications to an SNS topic only that service may publish to.
 */
export class PrivateLinkService extends pulumi.ComponentResource {
    public readonly loadBalancer: aws.lb.LoadBalancer;
    public readonly targetGroup: aws.lb.TargetGroup;
    public readonly listener: aws.lb.Listener;
    public readonly endpointService: aws.ec2.VpcEndpointService;
    public readonly notifications: aws.sns.Topic;
    public readonly port: number;

    constructor(name: string, args: PrivateLinkServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:mesh:PrivateLinkService", name, {}, opts);
        const parent = { parent: this };
        this.port = args.port;

        this.loadBalancer = new aws.lb.LoadBalancer(`${name}-nlb`, {
            loadBalancerType: "network",
            internal: true,
            subnets: args.subnetIds,
            enableCrossZoneLoadBalancing: true,
            ipAddressType: "ipv4",
            tags: args.tags,
        }, parent);

        this.targetGroup = new aws.lb.TargetGroup(`${name}-tg`, {
            vpcId: args.vpcId,
            port: args.targetPort ?? args.port,
            protocol: "TCP",
            targetType: args.targetType,
            deregistrationDelay: 30,
            healthCheck: args.healthCheck ?? { enabled: true, protocol: "TCP", interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
            tags: args.tags,
        }, parent);

        this.listener = new aws.lb.Listener(`${name}-tcp`, {
            loadBalancerArn: this.loadBalancer.arn,
            port: args.port,
            protocol: "TCP",
            defaultActions: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
            tags: args.tags,
        }, parent);

        this.endpointService = new aws.ec2.VpcEndpointService(`${name}-endpoint-service`, {
            acceptanceRequired: true,
            networkLoadBalancerArns: [this.loadBalancer.arn],
            allowedPrincipals: args.allowedPrincipals,
            supportedIpAddressTypes: ["ipv4"],
            tags: args.tags,
        }, parent);

        this.notifications = new aws.sns.Topic(`${name}-endpoint-events`, {
            kmsMasterKeyId: args.kmsKeyArn,
            tags: args.tags,
        }, parent);
        new aws.sns.TopicPolicy(`${name}-endpoint-events`, {
            arn: this.notifications.arn,
            policy: policyDocument([{
                Sid: "EndpointServiceNotifications",
                Effect: "Allow",
                Principal: { Service: "vpce.amazonaws.com" },
                Action: "SNS:Publish",
                Resource: this.notifications.arn,
                Condition: {
                    ArnLike: { "aws:SourceArn": this.endpointService.arn },
                    StringEquals: { "aws:SourceAccount": args.account.accountId },
                },
            }]),
        }, parent);
        new aws.ec2.VpcEndpointConnectionNotification(`${name}-endpoint-events`, {
            vpcEndpointServiceId: this.endpointService.id,
            connectionNotificationArn: this.notifications.arn,
            connectionEvents: ["Connect", "Accept", "Reject", "Delete"],
        }, parent);

        this.registerOutputs({
            serviceName: this.endpointService.serviceName,
            nlbDnsName: this.loadBalancer.dnsName,
            targetGroupArn: this.targetGroup.arn,
        });
    }
}
