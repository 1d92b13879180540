import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import type { Subscriber } from "./catalog";
import { AccountContext, policyDocument } from "./shared";
import { ownershipRecord } from "./catalog/privateDns";

/** How the runtime's workload registers with the NLB's target group. */
export type TargetType = "ip" | "instance" | "alb";

/**
 * What one PrivateLink service needs from whoever owns its VPC: also the
 * component package's input (package/, docs/packages.md), so every member is
 * a type any Pulumi language can pass.
 */
export interface PrivateLinkServiceArgs {
    /** The service's name: it names every resource (`<service>-nlb`, `<service>-endpoint-service`...). */
    service: string;
    /** The VPC of the service's workload. */
    vpcId: pulumi.Input<string>;
    /** The NLB's subnets, one per zone (every subnet of a service VPC): the endpoint service exists only in their zones. */
    subnetIds: pulumi.Input<string>[];
    /** The TCP port consumers call; the NLB listens on it. */
    port: number;
    /** The port targets receive traffic on (a NodePort, an ALB listener); default: `port`. */
    targetPort?: number;
    /** Exactly the principals (ARNs of accounts, roles or users) that may create endpoints to this service; never `*`. */
    allowedPrincipals: pulumi.Input<pulumi.Input<string>[]>;
    /** The KMS key that encrypts the connection-events topic. */
    kmsKeyArn: pulumi.Input<string>;
    /** Tags for every resource. */
    tags?: Record<string, string>;
}

/** What the platform adds for its own services: the runtime's target type and health check, the account, the subscribers. */
export interface PlatformServiceArgs extends PrivateLinkServiceArgs {
    targetType: TargetType;
    /** Target health check; default: TCP on the target port (an `alb` target needs HTTP). */
    healthCheck?: aws.types.input.lb.TargetGroupHealthCheck;
    account: AccountContext;
    /** Who receives the connection events (the platform's and the service's subscribers). */
    subscribers?: Subscriber[];
    /**
     * The service's own DNS name for consumers (catalog `privateDnsName`), and
     * the public hosted zone the stack proves it in; without a zone the name
     * is set and stays unverified (docs/saas.md#a-name-of-ones-own).
     */
    privateDns?: { name: string; zoneId?: string };
}

/**
 * A subscription's resource name, from its protocol and endpoint (never a
 * list position): `<service>-endpoint-events-<protocol>-<8 hex of the endpoint>`.
 */
export function subscriptionName(service: string, s: Subscriber): string {
    return `${service}-endpoint-events-${s.protocol}-${createHash("sha256").update(s.endpoint).digest("hex").slice(0, 8)}`;
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
    /** The private DNS name and AWS's verification state of it, when the service has one. */
    public readonly privateDns: pulumi.Output<{ name: string; state: string } | null>;

    constructor(name: string, args: PlatformServiceArgs, opts?: pulumi.ComponentResourceOptions) {
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
            ...(args.privateDns ? { privateDnsName: args.privateDns.name } : {}),
            tags: args.tags,
        }, parent);
        this.privateDns = args.privateDns ? provePrivateDnsName(name, args.privateDns, this.endpointService, this) : pulumi.output(null);

        this.notifications = new aws.sns.Topic(`${name}-endpoint-events`, {
            kmsMasterKeyId: args.kmsKeyArn,
            tags: args.tags,
        }, parent);
        const topicPolicy = new aws.sns.TopicPolicy(`${name}-endpoint-events`, {
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
        // The notification is created once the topic admits vpce.amazonaws.com:
        // the topic ARN alone does not order it after the policy, and events
        // (the first Connect) are published from creation on.
        new aws.ec2.VpcEndpointConnectionNotification(`${name}-endpoint-events`, {
            vpcEndpointServiceId: this.endpointService.id,
            connectionNotificationArn: this.notifications.arn,
            connectionEvents: ["Connect", "Accept", "Reject", "Delete"],
        }, { parent: this, dependsOn: [topicPolicy] });

        // Email and HTTPS subscriptions wait for their recipient to confirm;
        // SQS and Lambda subscribers must let sns.amazonaws.com deliver (queue
        // policy, function permission), and an SQS queue encrypted with its own
        // key must let SNS use it. See docs/catalog.md, notifications.
        for (const subscriber of args.subscribers ?? []) {
            new aws.sns.TopicSubscription(subscriptionName(name, subscriber), {
                topic: this.notifications.arn,
                protocol: subscriber.protocol,
                endpoint: subscriber.endpoint,
            }, parent);
        }

        this.registerOutputs({
            serviceName: this.endpointService.serviceName,
            nlbDnsName: this.loadBalancer.dnsName,
            targetGroupArn: this.targetGroup.arn,
            privateDns: this.privateDns,
        });
    }
}

/**
 * Proves the endpoint service's private DNS name: the TXT record AWS asks for
 * (the endpoint service's PrivateDnsNameConfiguration: the record's
 * subdomain of the name, and its value) in the name's public hosted zone,
 * then StartVpcEndpointServicePrivateDnsVerification once the record exists
 * (AWS PrivateLink guide, "Manage DNS names for VPC endpoint services":
 * add the record, then verify). The stack does not wait for AWS's answer;
 * the state is read on each refresh or update (`pendingVerification`, then
 * `verified` or `failed`). Without a zone only the name is set.
 */
function provePrivateDnsName(name: string, dns: { name: string; zoneId?: string }, service: aws.ec2.VpcEndpointService, parent: pulumi.Resource): pulumi.Output<{ name: string; state: string }> {
    const config = service.privateDnsNameConfigurations.apply(c => c[0]);
    if (dns.zoneId) {
        const proof = config.apply(c => ownershipRecord(name, dns.name, c));
        const record = new aws.route53.Record(`${name}-private-dns-ownership`, {
            zoneId: dns.zoneId,
            name: proof.name,
            type: "TXT",
            ttl: 1800,
            records: [proof.value],
        }, { parent });
        new aws.vpc.EndpointServicePrivateDnsVerification(`${name}-private-dns`, {
            serviceId: service.id,
            waitForVerification: false,
        }, { parent, dependsOn: [record] });
    }
    return config.apply(c => ({ name: dns.name, state: c?.state ?? "pendingVerification" }));
}
