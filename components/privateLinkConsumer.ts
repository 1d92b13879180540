import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TAG } from "./shared";

/** One consumer edge (also the component package's input: package/, docs/packages.md). */
export interface PrivateLinkConsumerArgs {
    /** The consuming service's name (names and tags). */
    consumer: string;
    /** The provider service's name (names and tags). */
    provider: string;
    /** The consumer's VPC. */
    vpcId: pulumi.Input<string>;
    /** Subnets for the endpoint's network interfaces, in zones the provider's endpoint service offers. */
    subnetIds: pulumi.Input<string>[];
    /** The consumer workload's security group: the only source the endpoint admits. */
    workloadSecurityGroupId: pulumi.Input<string>;
    /** The provider's endpoint service id (`vpce-svc-...`): what this stack accepts. */
    endpointServiceId: pulumi.Input<string>;
    /** The provider's endpoint service name (`com.amazonaws.vpce.<region>.vpce-svc-...`): what the endpoint connects to. */
    endpointServiceName: pulumi.Input<string>;
    /** The provider's port. */
    port: number;
    /**
     * Accept the connection here (default): both ends are this stack's. False
     * when the provider lives in another shard, whose stack accepts it.
     */
    accept?: boolean;
    /** Tags for every resource. */
    tags?: Record<string, string>;
}

/**
 * One declared `consumes` edge: an interface endpoint in the consumer's VPC to
 * the provider's endpoint service, reachable only from the consumer workload
 * on the provider's port, and accepted by this stack (both ends are ours).
 */
export class PrivateLinkConsumer extends pulumi.ComponentResource {
    public readonly endpoint: aws.ec2.VpcEndpoint;
    /** This stack's acceptance of the endpoint's connection. */
    public readonly accepter?: aws.ec2.VpcEndpointConnectionAccepter;
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

        this.endpoint = guardedInterfaceEndpoint(name, {
            vpcId: args.vpcId,
            subnetIds: args.subnetIds,
            serviceName: args.endpointServiceName,
            ports: [args.port],
            consumer: args.consumer,
            workloadSecurityGroupId: args.workloadSecurityGroupId,
            description: `${args.consumer} workload to the ${args.provider} endpoint on ${args.port}`,
            privateDnsEnabled: false,
            tags,
        }, this);

        // A consumer in another shard's account is accepted by the provider's stack (components/shards).
        this.accepter = args.accept === false ? undefined : new aws.ec2.VpcEndpointConnectionAccepter(`${name}-accept`, {
            vpcEndpointServiceId: args.endpointServiceId,
            vpcEndpointId: this.endpoint.id,
        }, parent);

        this.dnsName = this.endpoint.dnsEntries.apply(entries => entries[0]?.dnsName ?? "");
        this.url = pulumi.interpolate`http://${this.dnsName}:${args.port}`;

        this.registerOutputs({ endpointId: this.endpoint.id, dnsName: this.dnsName });
    }
}

/** An interface endpoint that only one workload may reach (`guardedInterfaceEndpoint`). */
export interface GuardedEndpointArgs {
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    /** The endpoint service's name (`com.amazonaws.vpce.<region>.vpce-svc-...`). */
    serviceName: pulumi.Input<string>;
    /** The ports the endpoint admits, each from the workload only. */
    ports: number[];
    /** The consuming service's name (the rule's description). */
    consumer: string;
    workloadSecurityGroupId: pulumi.Input<string>;
    /** The security group's description. */
    description: string;
    privateDnsEnabled: boolean;
    tags: Record<string, string>;
}

/**
 * An interface endpoint in a consumer's VPC, behind a security group of its
 * own that admits the consumer workload's security group on the given
 * ports and nothing else, with no egress (an endpoint's network interfaces
 * only answer). Both are named `<name>-endpoint` and parented to `parent`.
 * The edges of the catalog (PrivateLinkConsumer) and the declared external
 * services (ExternalEndpoint) are both made of it.
 */
export function guardedInterfaceEndpoint(name: string, args: GuardedEndpointArgs, parent: pulumi.Resource): aws.ec2.VpcEndpoint {
    const securityGroup = new aws.ec2.SecurityGroup(`${name}-endpoint`, {
        vpcId: args.vpcId,
        description: args.description,
        ingress: args.ports.map(port => ({
            protocol: "tcp",
            fromPort: port,
            toPort: port,
            securityGroups: [args.workloadSecurityGroupId],
            description: `${args.consumer} workload`,
        })),
        egress: [],
        tags: args.tags,
    }, { parent });
    return new aws.ec2.VpcEndpoint(`${name}-endpoint`, {
        vpcId: args.vpcId,
        serviceName: args.serviceName,
        vpcEndpointType: "Interface",
        subnetIds: args.subnetIds,
        securityGroupIds: [securityGroup.id],
        privateDnsEnabled: args.privateDnsEnabled,
        tags: args.tags,
    }, { parent });
}
