import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ExternalSpec } from "./catalog";
import { guardedInterfaceEndpoint } from "./privateLinkConsumer";
import { TAG } from "./shared";

/** The component type of an external endpoint (policies/lib/allowed-types.ts places its children). */
export const EXTERNAL_ENDPOINT_COMPONENT = "privatelink:mesh:ExternalEndpoint";

/** The `privatelink:endpoint-kind` of an endpoint to another provider's service. */
export const EXTERNAL_ENDPOINT_KIND = "external";

export interface ExternalEndpointArgs {
    /** The consuming service's name (names and tags). */
    consumer: string;
    /** The catalog's declaration: name, service name, ports, private DNS, reason. */
    external: ExternalSpec;
    vpcId: pulumi.Input<string>;
    /** Subnets for the endpoint's network interfaces (the provider must offer their zones). */
    subnetIds: pulumi.Input<string>[];
    /** The consumer workload's security group: the only source the endpoint admits. */
    workloadSecurityGroupId: pulumi.Input<string>;
    tags?: Record<string, string>;
}

/**
 * One declared `external` entry: an interface endpoint in the consumer's VPC
 * to another provider's endpoint service, reachable only from the consumer
 * workload on the declared ports. The provider accepts the connection in its
 * own account; nothing here accepts it (PrivateLink guide, "Access a service
 * through an interface endpoint": a connection to a service that requires
 * acceptance stays pendingAcceptance until its provider accepts it).
 */
export class ExternalEndpoint extends pulumi.ComponentResource {
    public readonly endpoint: aws.ec2.VpcEndpoint;
    /** Regional DNS name of the endpoint, valid in every zone. */
    public readonly dnsName: pulumi.Output<string>;
    /** `http://<dnsName>:<first port>`, handed to the consumer as `<NAME>_URL`. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: ExternalEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super(EXTERNAL_ENDPOINT_COMPONENT, name, {}, opts);
        const { consumer, external } = args;
        const tags = {
            ...args.tags,
            Name: `${consumer}-to-${external.name}`,
            [TAG.endpointKind]: EXTERNAL_ENDPOINT_KIND,
            [TAG.consumer]: consumer,
            [TAG.provider]: external.name,
        };
        const ports = [...new Set(external.ports)].sort((a, b) => a - b);
        this.endpoint = guardedInterfaceEndpoint(name, {
            vpcId: args.vpcId,
            subnetIds: args.subnetIds,
            serviceName: external.serviceName!,
            ports,
            consumer,
            workloadSecurityGroupId: args.workloadSecurityGroupId,
            description: `${consumer} workload to ${external.name} (external) on ${ports.join(", ")}`,
            privateDnsEnabled: external.privateDns,
            tags,
        }, this);

        this.dnsName = this.endpoint.dnsEntries.apply(entries => entries[0]?.dnsName ?? "");
        this.url = pulumi.interpolate`http://${this.dnsName}:${ports[0]}`;
        this.registerOutputs({ endpointId: this.endpoint.id, dnsName: this.dnsName });
    }
}
