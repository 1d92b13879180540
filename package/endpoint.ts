import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PrivateLinkService as ServiceComponent, PrivateLinkServiceArgs } from "../components/privateLinkService";
import { PrivateLinkConsumer as ConsumerComponent, PrivateLinkConsumerArgs } from "../components/privateLinkConsumer";

/**
 * The provider side of one PrivateLink service: an internal NLB across the
 * given subnets, a VPC endpoint service that requires acceptance and admits
 * only the allowed principals, and its connection events (Connect, Accept,
 * Reject, Delete) on an encrypted SNS topic. Register your targets by IP
 * address with `targetGroupArn`.
 */
export class PrivateLinkService extends pulumi.ComponentResource {
    /** The endpoint service's name (`com.amazonaws.vpce.<region>.vpce-svc-...`): what consumers connect to. */
    public readonly endpointServiceName: pulumi.Output<string>;
    /** The endpoint service's id (`vpce-svc-...`). */
    public readonly endpointServiceId: pulumi.Output<string>;
    /** The target group to register the workload with. */
    public readonly targetGroupArn: pulumi.Output<string>;
    /** The internal NLB's DNS name. */
    public readonly nlbDnsName: pulumi.Output<string>;
    /** The SNS topic of the connection events. */
    public readonly eventsTopicArn: pulumi.Output<string>;

    constructor(name: string, args: PrivateLinkServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:index:PrivateLinkService", name, {}, opts);
        const invoke = { parent: this };
        const inner = new ServiceComponent(args.service, {
            ...args,
            // Targets register by IP address: a workload in the VPC (awsvpc tasks, pods, instances by their addresses).
            targetType: "ip",
            account: {
                accountId: aws.getCallerIdentityOutput({}, invoke).accountId,
                region: aws.getRegionOutput({}, invoke).region,
                partition: aws.getPartitionOutput({}, invoke).partition,
            },
        }, { parent: this });
        this.endpointServiceName = inner.endpointService.serviceName;
        this.endpointServiceId = inner.endpointService.id;
        this.targetGroupArn = inner.targetGroup.arn;
        this.nlbDnsName = inner.loadBalancer.dnsName;
        this.eventsTopicArn = inner.notifications.arn;
        this.registerOutputs({
            endpointServiceName: this.endpointServiceName,
            endpointServiceId: this.endpointServiceId,
            targetGroupArn: this.targetGroupArn,
            nlbDnsName: this.nlbDnsName,
            eventsTopicArn: this.eventsTopicArn,
        });
    }
}

/**
 * One consumer edge: an interface endpoint in the consumer's VPC to the
 * provider's endpoint service, reachable only from the consumer's workload
 * security group on the provider's port. With `accept` (the default) this
 * stack also accepts the connection, which needs the provider's
 * `endpointServiceId` in the same account; `accept: false` leaves it to the
 * provider's stack.
 */
export class PrivateLinkConsumer extends pulumi.ComponentResource {
    /** The interface endpoint's id (`vpce-...`): what the provider accepts. */
    public readonly endpointId: pulumi.Output<string>;
    /** `http://<endpoint DNS name>:<port>`: where the consumer calls the provider. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: PrivateLinkConsumerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:index:PrivateLinkConsumer", name, {}, opts);
        const inner = new ConsumerComponent(`${args.consumer}-to-${args.provider}`, args, { parent: this });
        this.endpointId = inner.endpoint.id;
        this.url = inner.url;
        this.registerOutputs({ endpointId: this.endpointId, url: this.url });
    }
}
