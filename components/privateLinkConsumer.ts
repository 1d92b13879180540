import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TAG } from "./shared";

export interface PrivateLinkConsumerArgs {
    consumer: string;
    provider: string;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    /** The consumer workload's security group: the only source the endpoint admits. */
    workloadSecurityGroupId: pulumi.Input<string>;
    endpointServiceId: pulumi.Input<string>;
    endpointServiceName: pulumi.Input<string>;
    port: number;
    tags: Record<string, string>;
}

/**
 * One declared `consumes` edge: an interface endpoint in the consumer's VPC to
 * the provider's endpoint service, reachable only from the consumer workload
 * on the provider's port, and accepted by this stack (both ends are ours).
 */
export class PrivateLinkConsumer extends pulumi.ComponentResource {
    public readonly endpoint: aws.ec2.VpcEndpoint;
    /** This stack's acceptance of the endpoint's connection. */
    public readonly accepter: aws.ec2.VpcEndpointConnectionAccepter;
    /** Regional DNS name of the endpoint, valid in every zone. */
    public readonly dnsName: pulumi.Output<string>;
    /** `http://<dnsName>:<port>`, handed to the consumer as `<PROVIDER>_URL`. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: PrivateLinkConsumerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:mesh:PrivateLinkConsumer", name, {}, opts);
        const parent = { parent: this };
        const tags = {
            ...args.tags,
            Name: `${args.consumer}-to-${args.provider}`,
            [TAG.endpointKind]: "mesh",
            [TAG.consumer]: args.consumer,
            [TAG.provider]: args.provider,
            [TAG.edge]: `${args.consumer}->${args.provider}`,
        };

        const securityGroup = new aws.ec2.SecurityGroup(`${name}-endpoint`, {
            vpcId: args.vpcId,
            description: `${args.consumer} workload to the ${args.provider} endpoint on ${args.port}`,
            ingress: [{
                protocol: "tcp",
                fromPort: args.port,
                toPort: args.port,
                securityGroups: [args.workloadSecurityGroupId],
                description: `${args.consumer} workload`,
            }],
            egress: [],
            tags,
        }, parent);

        this.endpoint = new aws.ec2.VpcEndpoint(`${name}-endpoint`, {
            vpcId: args.vpcId,
            serviceName: args.endpointServiceName,
            vpcEndpointType: "Interface",
            subnetIds: args.subnetIds,
            securityGroupIds: [securityGroup.id],
            privateDnsEnabled: false,
            tags,
        }, parent);

        this.accepter = new aws.ec2.VpcEndpointConnectionAccepter(`${name}-accept`, {
            vpcEndpointServiceId: args.endpointServiceId,
            vpcEndpointId: this.endpoint.id,
        }, parent);

        this.dnsName = this.endpoint.dnsEntries.apply(entries => entries[0]?.dnsName ?? "");
        this.url = pulumi.interpolate`http://${this.dnsName}:${args.port}`;

        this.registerOutputs({ endpointId: this.endpoint.id, dnsName: this.dnsName });
    }
}
