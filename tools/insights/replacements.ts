/**
 * Which property changes force AWS to replace a resource, as far as this
 * project knows it.
 *
 * `@pulumi/aws` ships no provider schema offline, so nothing here can ask the
 * provider which changes replace. `@pulumi/aws` is bridged from the Terraform
 * AWS provider (hashicorp/terraform-provider-aws): a property whose Terraform
 * schema says `ForceNew: true` is replaced by `pulumi up` too. Each row names
 * the schema file it was read from. A change not listed here is reported as a
 * changed property, never as a replacement. Add a row only with its source.
 */

export interface ReplacementRule {
    /** Pulumi resource type token, e.g. `aws:ec2/vpc:Vpc`. */
    type: string;
    /** Top-level Pulumi input property (camelCase). */
    property: string;
    /** Where the replacement is documented. */
    source: string;
}

const TF = "hashicorp/terraform-provider-aws";

function rows(type: string, file: string, properties: string[]): ReplacementRule[] {
    return properties.map(property => ({ type, property, source: `${TF} ${file}: ForceNew` }));
}

/** The table. Read on 2026-11-30 from the provider's current sources. */
export const REPLACEMENT_RULES: readonly ReplacementRule[] = [
    ...rows("aws:ec2/vpc:Vpc", "internal/service/ec2/vpc_.go (aws_vpc)", ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"]),
    ...rows("aws:ec2/subnet:Subnet", "internal/service/ec2/vpc_subnet.go (aws_subnet)", [
        "cidrBlock", "availabilityZone", "availabilityZoneId", "vpcId", "ipv4IpamPoolId", "ipv4NetmaskLength", "ipv6Native", "outpostArn",
    ]),
    ...rows("aws:ec2/vpcEndpoint:VpcEndpoint", "internal/service/ec2/vpc_endpoint.go (aws_vpc_endpoint)", [
        "serviceName", "vpcEndpointType", "vpcId", "serviceRegion", "resourceConfigurationArn", "serviceNetworkArn",
    ]),
    ...rows("aws:lb/loadBalancer:LoadBalancer", "internal/service/elbv2/load_balancer.go (aws_lb)", [
        "internal", "loadBalancerType", "name", "namePrefix", "customerOwnedIpv4Pool",
    ]),
    ...rows("aws:ecr/repository:Repository", "internal/service/ecr/repository.go (aws_ecr_repository)", ["name", "encryptionConfigurations"]),
    ...rows("aws:apigateway/deployment:Deployment", "internal/service/apigateway/deployment.go (aws_api_gateway_deployment)", ["restApi", "triggers", "variables"]),
    ...rows("aws:apigateway/method:Method", "internal/service/apigateway/method.go (aws_api_gateway_method)", ["restApi", "resourceId", "httpMethod"]),
    ...rows("aws:ecs/taskDefinition:TaskDefinition", "internal/service/ecs/task_definition.go (aws_ecs_task_definition)", ["containerDefinitions", "family"]),
];

export interface ReplacementReason {
    property: string;
    source: string;
}

const index = new Map<string, Map<string, string>>();
for (const r of REPLACEMENT_RULES) {
    let byProp = index.get(r.type);
    if (!byProp) index.set(r.type, (byProp = new Map()));
    byProp.set(r.property, r.source);
}

/** The top-level property of a change path: `ingress[0].fromPort` -> `ingress`. */
export function topProperty(path: string): string {
    const m = /^[^.[]+/.exec(path);
    return m ? m[0] : path;
}

/**
 * The known reasons a resource of `type` whose `changedPaths` differ is
 * replaced: the table above, and the resource's own `replaceOnChanges`
 * option (Pulumi replaces on those properties by definition).
 */
export function replacementReasons(type: string, changedPaths: string[], replaceOnChanges: string[] = []): ReplacementReason[] {
    const reasons: ReplacementReason[] = [];
    const seen = new Set<string>();
    const table = index.get(type);
    for (const p of changedPaths) {
        const top = topProperty(p);
        if (seen.has(top)) continue;
        const source = table?.get(top);
        if (source) {
            reasons.push({ property: top, source });
            seen.add(top);
        } else if (replaceOnChanges.includes("*") || replaceOnChanges.some(r => r === top || p === r || p.startsWith(`${r}.`) || p.startsWith(`${r}[`))) {
            reasons.push({ property: top, source: "the resource's replaceOnChanges option" });
            seen.add(top);
        }
    }
    return reasons;
}
