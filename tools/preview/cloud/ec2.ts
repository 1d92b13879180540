/**
 * Amazon EC2 / VPC in the fake cloud: VPCs, subnets, route tables, security
 * groups and rules, VPC endpoints, endpoint services, flow logs, launch
 * templates, and the zone and managed-prefix-list reads.
 *
 * Sources:
 * - Ids `<prefix>-0` + 16 hex digits (17 in all): EC2 API reference,
 *   "Resource IDs" (longer ids since 2018).
 * - A VPC's default security group, main route table and network ACL exist
 *   on creation (VPC User Guide, "Default security groups for your VPCs",
 *   "Route tables"); their ids are returned by DescribeVpcs' follow-ups,
 *   which terraform-provider-aws `internal/service/ec2/vpc_.go`
 *   (`resourceVPCRead`) sets as `default_security_group_id`,
 *   `main_route_table_id`, `default_network_acl_id`.
 * - CreateSubnet refuses a CIDR outside the VPC's range
 *   (`InvalidSubnet.Range`) or overlapping another subnet of the VPC
 *   (`InvalidSubnet.Conflict`) (EC2 API reference, "Error codes"); the
 *   provider reports `creating EC2 Subnet: <api error>`
 *   (`internal/service/ec2/vpc_subnet.go`, `resourceSubnetCreate`).
 * - CreateVpcEndpoint refuses a service name that does not exist in the
 *   Region (`InvalidServiceName`; EC2 API reference, "Error codes"); the
 *   provider reports `creating EC2 VPC Endpoint (<service>): <api error>`
 *   (`internal/service/ec2/vpc_endpoint.go`, `resourceVPCEndpointCreate`).
 * - Interface endpoint DNS names `<vpce id>-<8>.<service>.<region>.vpce.amazonaws.com`
 *   and zonal ones with the zone name (PrivateLink guide, "DNS names for
 *   interface endpoints").
 * - An endpoint service is available in the zones of its load balancers
 *   (PrivateLink guide, "Create an endpoint service"); its name is
 *   `com.amazonaws.vpce.<region>.<vpce-svc id>` (same page).
 * - AWS-managed prefix lists: one per service and Region, named
 *   `com.amazonaws.<region>.<service>`; AWS documents them for `s3`,
 *   `dynamodb`, `cloudfront.origin-facing`, `ipv6.s3` and a few more (VPC
 *   User Guide, "AWS-managed prefix lists"). Their CIDRs change over time and
 *   are not documented: the entries are placeholders of the right shape.
 * - DescribeAvailabilityZones filters (EC2 API reference): an unknown filter
 *   name is refused. Zone name <-> id mapping differs per account ("AZ IDs",
 *   RAM User Guide).
 */
import { rememberEndpointInterfaces } from "./interfaces";
import { availabilityZones } from "./zones";

export { availabilityZones };
import { outsideVpc, overlappingSibling } from "../../../policies/lib/subnets";
import { apiError, arn, asArray, CloudState, Ctx, ec2Id, Handler, hashHex, InvokeCtx, known, Props, ServiceModel, str, upperAlnum } from "./common";

/**
 * An account's view of a region's zones: AWS maps zone names to physical
 * zones (zone ids) independently for each account, so `us-east-1a` is
 * `use1-az4` in one account and `use1-az1` in another, while a zone id names
 * the same physical zone everywhere. Source: Amazon EC2 User Guide, "AZ IDs"
 * (https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html).
 * Here the mapping is a permutation derived from the account id and region.
 * Returns the pairs sorted by name.
 */
export function accountZones(region: string, account: string): { name: string; zoneId: string }[] {
    const { names, zoneIds } = availabilityZones(region);
    const shuffled = [...zoneIds].sort((a, b) => {
        const ka = hashHex(`${account}|${region}|${a}`, 8);
        const kb = hashHex(`${account}|${region}|${b}`, 8);
        return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    return names.map((name, i) => ({ name, zoneId: shuffled[i] }));
}

/**
 * The id of an AWS-managed prefix list (`com.amazonaws.<region>.<service>`):
 * AWS has one list per service and region, and answers the same id through
 * the gateway endpoint's `prefixListId` and `DescribeManagedPrefixLists`
 * (https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html).
 */
export function awsManagedPrefixListId(serviceName: string): string {
    return `pl-${hashHex(`aws-managed-prefix-list|${serviceName}`, 8)}`;
}

/** The services with an AWS-managed prefix list (VPC User Guide, "AWS-managed prefix lists", "Available AWS-managed prefix lists"). */
export const MANAGED_PREFIX_LIST_SERVICES = ["s3", "dynamodb", "s3express", "ipv6.s3", "ipv6.dynamodb"] as const;

/** The gateway endpoint services (VPC PrivateLink guide, "Gateway endpoints": S3 and DynamoDB only). */
export const GATEWAY_ENDPOINT_SERVICES = ["s3", "dynamodb"] as const;

function ec2(prefix: string, arnType: string, extra?: (c: Ctx, id: string) => Props): Handler {
    return c => {
        const id = ec2Id(c, prefix);
        return { id, computed: { arn: arn(c, "ec2", `${arnType}/${id}`), ownerId: c.account, ...(extra ? extra(c, id) : {}) } };
    };
}

/** The DNS names of an interface endpoint for a given service name. */
function endpointDnsEntries(c: Ctx, id: string): Props[] {
    const serviceName = str(c.inputs.serviceName) ?? "";
    const svc = /^com\.amazonaws\.vpce\.[^.]+\.(vpce-svc-[0-9a-f]+)$/.exec(serviceName)?.[1] ??
        serviceName.replace(/^com\.amazonaws\.[^.]+\./, "");
    const base = `${id}-${c.hex(8, "dns")}`;
    const zone = `Z${upperAlnum(c.hex(26, "zone"))}`;
    const regional = { dnsName: `${base}.${svc}.${c.region}.vpce.amazonaws.com`, hostedZoneId: zone };
    const zonal = asArray(c.inputs.subnetIds).map((subnetId, i) => ({
        dnsName: `${base}-${c.state.subnets.get(String(subnetId))?.availabilityZone ?? availabilityZones(c.region).names[i % 6]}.${svc}.${c.region}.vpce.amazonaws.com`,
        hostedZoneId: zone,
    }));
    return [regional, ...zonal];
}

/**
 * The zones an endpoint service offers: those of its load balancers' subnets.
 * Followed through the ARNs in `networkLoadBalancerArns`/`gatewayLoadBalancerArns`
 * to the subnets this cloud created. When that is not derivable (a load
 * balancer or subnet the cloud did not create, or ids unknown in a preview)
 * the service claims no zone rather than invent one.
 */
function endpointServiceZones(c: Ctx): string[] {
    const names = new Set<string>();
    for (const lb of [...asArray(c.inputs.networkLoadBalancerArns), ...asArray(c.inputs.gatewayLoadBalancerArns)]) {
        for (const subnetId of c.state.loadBalancerSubnets.get(String(lb)) ?? []) {
            const zone = c.state.subnets.get(subnetId);
            if (zone) names.add(zone.availabilityZone);
        }
    }
    return [...names].sort();
}

/** The id of a VPC's default security group / route table / ACL, derived from the VPC id. */
function defaultOfVpc(prefix: string, vpcId: string): string {
    return `${prefix}-0${hashHex(`${vpcId}|default-${prefix}`, 16)}`;
}

/**
 * CreateSubnet's refusals the cloud can judge from its state: a CIDR outside
 * its VPC's block, or overlapping another subnet of the same VPC (the rules
 * themselves: policies/lib/subnets.ts, shared with the pack). Unknown (a VPC
 * this run did not create, values unknown in a preview): no judgement.
 */
export function subnetRefusal(vpcCidr: string | undefined, cidr: string, siblings: { id: string; cidrBlock: string }[]): { code: string; message: string } | undefined {
    if (vpcCidr && outsideVpc(cidr, [vpcCidr])) {
        return { code: "InvalidSubnet.Range", message: `The CIDR '${cidr}' is invalid.` };
    }
    if (overlappingSibling(cidr, siblings)) {
        return { code: "InvalidSubnet.Conflict", message: `The CIDR '${cidr}' conflicts with another subnet` };
    }
    return undefined;
}

/**
 * AWS services with a VPC endpoint in every commercial Region, by the name
 * after `com.amazonaws.<region>.` (VPC PrivateLink guide, "AWS services that
 * integrate with AWS PrivateLink"; S3 and DynamoDB also as gateway
 * endpoints). Only those the platform can use are listed: another service
 * name is assumed to exist and listed as a fallback.
 */
export const AWS_ENDPOINT_SERVICES = [
    "application-autoscaling", "autoscaling", "dynamodb", "ec2", "ec2messages", "ecr.api", "ecr.dkr", "ecs", "ecs-agent",
    "ecs-telemetry", "eks", "eks-auth", "elasticloadbalancing", "events", "execute-api", "kms", "lambda", "logs",
    "monitoring", "s3", "secretsmanager", "sns", "sqs", "ssm", "ssmmessages", "sts", "xray",
] as const;

/**
 * Whether CreateVpcEndpoint would find a service name: an AWS service of the
 * endpoint's own Region, or an endpoint service of that Region. An endpoint
 * service this run created is known; one of another stack or account (its
 * name well formed) is state the cloud does not hold, so it is assumed and
 * listed. Anything else is refused with `InvalidServiceName`.
 */
export function endpointServiceAnswer(serviceName: string, region: string, created: ReadonlyMap<string, string>): { refused?: true; assumed?: { assumed: string; why: string } } {
    const custom = /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.(vpce-svc-[0-9a-f]{17})$/.exec(serviceName);
    if (custom) {
        if (custom[1] !== region) return { refused: true };
        if (created.has(serviceName)) return {};
        return {
            assumed: {
                assumed: `endpoint service ${serviceName} exists and admits this account`,
                why: "safe: the name is another stack's output (a StackReference to the shard that created it, deployed in an earlier wave); that it admits this account is that stack's allowedPrincipals, which the pack's endpoint-service-principals-match-catalog rule checks there",
            },
        };
    }
    const aws = /^com\.amazonaws\.([a-z0-9-]+)\.([a-z0-9.-]+)$/.exec(serviceName);
    if (!aws || aws[1] !== region) return { refused: true };
    if ((AWS_ENDPOINT_SERVICES as readonly string[]).includes(aws[2])) return {};
    return { assumed: { assumed: `AWS offers ${serviceName} as an endpoint service`, why: "not one of the AWS services this cloud lists (tools/preview/cloud/ec2.ts AWS_ENDPOINT_SERVICES); check with aws ec2 describe-vpc-endpoint-services" } };
}

/**
 * The first subnet (by id) outside the zones an endpoint service is offered
 * in, or undefined. CreateVpcEndpoint refuses it with `InvalidParameter: The
 * VPC endpoint service <name> does not support the availability zone of the
 * subnet: <subnet id>.` (as reported in aws/aws-sdk-go-v2#1024 for a
 * provider's vpce-svc service and terraform-aws-modules/terraform-aws-vpc#785
 * for an AWS one; PrivateLink guide, "Create an endpoint service": a service
 * is available in the zones of its load balancers). Subnets this run did not
 * create (unknown zones) are not judged.
 */
export function offeredZoneRefusal(subnetIds: string[], zoneIds: readonly string[], subnets: CloudState["subnets"]): string | undefined {
    return subnetIds.find(id => {
        const zone = subnets.get(id)?.availabilityZoneId;
        return zone !== undefined && !zoneIds.includes(zone);
    });
}

const resources: Record<string, Handler> = {
    "aws:ec2/vpc:Vpc": c => {
        if (c.readId && !known(c.inputs.cidrBlock)) {
            // DescribeVpcs of a VPC the world does not hold (created outside any plan).
            c.fallback("the VPC read by id has the range 10.0.0.0/16", "a read of a VPC created outside the offline world: its range is not state the world holds");
            return { id: c.readId, computed: { cidrBlock: "10.0.0.0/16", arn: arn(c, "ec2", `vpc/${c.readId}`), ownerId: c.account } };
        }
        const r = ec2("vpc", "vpc", (cc, id) => ({
            defaultSecurityGroupId: defaultOfVpc("sg", id),
            defaultRouteTableId: defaultOfVpc("rtb", id),
            mainRouteTableId: defaultOfVpc("rtb", id),
            defaultNetworkAclId: defaultOfVpc("acl", id),
            dhcpOptionsId: ec2Id(cc, "dopt"),
            enableDnsSupport: true,
            instanceTenancy: "default",
        }))(c);
        c.state.vpcs.set(r.id, { cidrBlock: known(c.inputs.cidrBlock) });
        return r;
    },
    "aws:ec2/subnet:Subnet": c => {
        // Either input settles both outputs, through the account's own name <-> id mapping.
        const zones = accountZones(c.region, c.account);
        const byName = zones.find(z => z.name === str(c.inputs.availabilityZone));
        const byId = zones.find(z => z.zoneId === str(c.inputs.availabilityZoneId));
        const zone = byId ?? byName ?? zones[parseInt(c.hex(2, "az"), 16) % zones.length];
        const vpcId = known(c.inputs.vpcId);
        const cidrBlock = known(c.inputs.cidrBlock);
        if (vpcId && cidrBlock && c.state.vpcs.has(vpcId)) {
            const siblings = [...c.state.subnets.entries()]
                .filter(([, s]) => s.vpcId === vpcId && s.cidrBlock !== undefined)
                .map(([id, s]) => ({ id, cidrBlock: s.cidrBlock! }));
            const refused = subnetRefusal(c.state.vpcs.get(vpcId)?.cidrBlock, cidrBlock, siblings);
            if (refused) c.refuse(apiError("creating EC2 Subnet", "EC2", "CreateSubnet", refused.code, refused.message));
        }
        const r = ec2("subnet", "subnet", () => ({ availabilityZone: zone.name, availabilityZoneId: zone.zoneId, mapPublicIpOnLaunch: false }))(c);
        c.state.subnets.set(r.id, { availabilityZone: zone.name, availabilityZoneId: zone.zoneId, vpcId, cidrBlock });
        if (cidrBlock) c.state.interfaces.subnetCidrs.set(r.id, cidrBlock);
        return r;
    },
    "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table", () => ({ propagatingVgws: [] })),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": c => ({ id: ec2Id(c, "rtbassoc") }),
    // Route ids are the provider's own: `r-<route table id><hash>` (internal/service/ec2/vpc_route.go, `routeCreateID`).
    "aws:ec2/route:Route": c => ({ id: `r-${str(c.inputs.routeTableId) ?? ec2Id(c, "rtb")}${c.hex(10, "route")}`, computed: { state: "active", origin: "CreateRoute" } }),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": c => {
        // Adopts the VPC's default group: the same id the Vpc reported.
        const id = defaultOfVpc("sg", str(c.inputs.vpcId) ?? c.urn);
        return { id, computed: { arn: arn(c, "ec2", `security-group/${id}`), ownerId: c.account, name: "default", description: "default VPC security group" } };
    },
    "aws:ec2/securityGroup:SecurityGroup": c => {
        const id = ec2Id(c, "sg");
        return {
            id,
            checked: { name: c.autoname() },
            // "Managed by Pulumi" is the bridged provider's default description.
            computed: { arn: arn(c, "ec2", `security-group/${id}`), ownerId: c.account, description: "Managed by Pulumi" },
        };
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": c => ({ id: ec2Id(c, "sgr"), computed: { securityGroupRuleId: ec2Id(c, "sgr"), arn: arn(c, "ec2", `security-group-rule/${ec2Id(c, "sgr")}`) } }),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": c => ({ id: ec2Id(c, "sgr"), computed: { securityGroupRuleId: ec2Id(c, "sgr"), arn: arn(c, "ec2", `security-group-rule/${ec2Id(c, "sgr")}`) } }),
    // The legacy rule resource's id is the provider's `sgrule-<hash>` (internal/service/ec2/vpc_security_group_rule.go, `securityGroupRuleCreateID`).
    "aws:ec2/securityGroupRule:SecurityGroupRule": c => ({ id: `sgrule-${c.hex(10)}`, computed: { securityGroupRuleId: ec2Id(c, "sgr") } }),
    "aws:ec2/vpcEndpoint:VpcEndpoint": c => {
        const type = str(c.inputs.vpcEndpointType) ?? "Gateway";
        const serviceName = known(c.inputs.serviceName);
        const offered = serviceName ? c.world.offeredEndpointServices.get(serviceName) : undefined;
        if (serviceName && offered) {
            // Another account's service offered to this one: only in its zones.
            const outside = offeredZoneRefusal(asArray(c.inputs.subnetIds).map(String), offered.zoneIds, c.state.subnets);
            if (outside) {
                c.refuse(apiError(`creating EC2 VPC Endpoint (${serviceName})`, "EC2", "CreateVpcEndpoint", "InvalidParameter", `The VPC endpoint service ${serviceName} does not support the availability zone of the subnet: ${outside}.`));
            }
        } else if (serviceName) {
            const answer = endpointServiceAnswer(serviceName, c.region, c.state.endpointServices);
            if (answer.refused) {
                c.refuse(apiError(`creating EC2 VPC Endpoint (${serviceName})`, "EC2", "CreateVpcEndpoint", "InvalidServiceName", `The Vpc Endpoint Service '${serviceName}' does not exist`));
            }
            if (answer.assumed) c.fallback(answer.assumed.assumed, answer.assumed.why);
        }
        const id = ec2Id(c, "vpce");
        const computed: Props = {
            arn: arn(c, "ec2", `vpc-endpoint/${id}`),
            ownerId: c.account,
            state: "available",
            requesterManaged: false,
            vpcEndpointType: type,
        };
        if (type === "Gateway") {
            computed.prefixListId = awsManagedPrefixListId(serviceName ?? `com.amazonaws.${c.region}.s3`);
            computed.cidrBlocks = ["16.15.192.0/18", "3.5.0.0/19"];
            computed.dnsEntries = [];
            computed.networkInterfaceIds = [];
        } else {
            computed.dnsEntries = endpointDnsEntries(c, id);
            computed.networkInterfaceIds = asArray(c.inputs.subnetIds).map((_, i) => ec2Id({ hex: (n, p) => c.hex(n, `${p}${i}`) }, "eni"));
            rememberEndpointInterfaces(c.state.interfaces, id, asArray(c.inputs.subnetIds).map(String), computed.networkInterfaceIds as string[], i => c.hex(8, `ip${i}`));
        }
        return { id, computed };
    },
    "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log", () => ({
        // The default format (VPC User Guide, "Flow log records": default format, version 2 fields).
        logFormat: "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
        maxAggregationInterval: 600,
    })),
    "aws:ec2/vpcEndpointService:VpcEndpointService": c => {
        const id = `vpce-svc-0${c.hex(16, "svc")}`;
        const serviceName = `com.amazonaws.vpce.${c.region}.${id}`;
        c.state.endpointServices.set(serviceName, id);
        // A private DNS name starts unverified: AWS gives the TXT record's
        // subdomain and value to prove ownership (EC2 API reference,
        // PrivateDnsNameConfiguration: name, state pendingVerification |
        // verified | failed, type TXT, value; AWS PrivateLink guide, "Manage
        // DNS names for VPC endpoint services"). The name and value AWS
        // generates are opaque; these stand for them.
        const privateDnsName = known(c.inputs.privateDnsName);
        const privateDnsNameConfigurations = privateDnsName
            ? [{ name: `_${c.hex(20, "dns-name")}`, state: "pendingVerification", type: "TXT", value: `vpce:${c.hex(20, "dns-value")}` }]
            : [];
        return {
            id,
            computed: {
                arn: arn(c, "ec2", `vpc-endpoint-service/${id}`),
                serviceName,
                serviceType: "Interface",
                state: "Available",
                availabilityZones: endpointServiceZones(c),
                baseEndpointDnsNames: [`${id}.${c.region}.vpce.amazonaws.com`],
                managesVpcEndpoints: false,
                privateDnsNameConfigurations,
                supportedIpAddressTypes: ["ipv4"],
            },
        };
    },
    // StartVpcEndpointServicePrivateDnsVerification returns at once; AWS checks
    // the TXT record afterwards (the endpoint service's state moves to
    // verified or failed; the provider's resource, which cannot be imported,
    // only starts it: @pulumi/aws vpc/endpointServicePrivateDnsVerification.d.ts).
    // The service id stands for its id. Whether the record is found is only
    // AWS's to tell: the state stays pendingVerification here.
    "aws:vpc/endpointServicePrivateDnsVerification:EndpointServicePrivateDnsVerification": c => ({
        id: str(c.inputs.serviceId) ?? `vpce-svc-0${c.hex(16)}`,
    }),
    "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple": c => ({ id: `vpce-svc-perm-0${c.hex(16)}` }),
    "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification": c => ({
        id: ec2Id(c, "vpce-nfn"),
        computed: { notificationType: "Topic", state: "Enabled" },
    }),
    // The provider's id is `<service id>_<endpoint id>` (internal/service/ec2/vpc_endpoint_connection_accepter.go).
    "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter": c => ({
        id: `${str(c.inputs.vpcEndpointServiceId) ?? "vpce-svc"}_${str(c.inputs.vpcEndpointId) ?? "vpce"}`,
        computed: { vpcEndpointState: "available" },
    }),
    "aws:ec2/launchTemplate:LaunchTemplate": c => {
        const id = ec2Id(c, "lt");
        const name = c.autoname("name", { maxLength: 128 });
        return { id, checked: { name }, computed: { arn: arn(c, "ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1 } };
    },
};

/**
 * `getAvailabilityZones` as the provider answers it (DescribeAvailabilityZones):
 * the account's zones sorted by name, `names[i]` and `zoneIds[i]` describing
 * the same zone, narrowed by `state`, `excludeNames`, `excludeZoneIds` and
 * the filters `zone-name`, `zone-id`, `state`, `opt-in-status`, `region-name`,
 * `zone-type`, `group-name`. Every zone here is an available, opt-in-free
 * availability zone of the region. An unknown filter fails, as EC2 does.
 */
function availabilityZoneLookup(c: InvokeCtx): Props {
    const attributes = (z: { name: string; zoneId: string }): Record<string, string> => ({
        "zone-name": z.name,
        "zone-id": z.zoneId,
        state: "available",
        "opt-in-status": "opt-in-not-required",
        "region-name": c.region,
        "zone-type": "availability-zone",
        "group-name": c.region,
    });
    const excludeNames = new Set(asArray(c.inputs.excludeNames).map(String));
    const excludeZoneIds = new Set(asArray(c.inputs.excludeZoneIds).map(String));
    const state = str(c.inputs.state);
    const filters = asArray(c.inputs.filters).map(f => f as Props);
    for (const f of filters) {
        if (!(String(f.name) in attributes({ name: "", zoneId: "" }))) {
            throw new Error(`getAvailabilityZones: the offline cloud does not know the filter ${JSON.stringify(f.name)}`);
        }
    }
    const zones = accountZones(c.region, c.account).filter(z => {
        const a = attributes(z);
        return !excludeNames.has(z.name) &&
            !excludeZoneIds.has(z.zoneId) &&
            (state === undefined || a.state === state) &&
            filters.every(f => asArray(f.values).map(String).includes(a[String(f.name)]));
    });
    return {
        ...c.inputs,
        id: c.region,
        names: zones.map(z => z.name),
        zoneIds: zones.map(z => z.zoneId),
        groupNames: [...new Set(zones.map(z => attributes(z)["group-name"]))],
    };
}

/**
 * `getManagedPrefixList` by name or id: only the AWS-managed lists AWS
 * documents exist; another name fails as the provider does
 * (`internal/service/ec2/vpc_managed_prefix_list_data_source.go` reports
 * `tfresource.SingularDataSourceFindError("EC2 Managed Prefix List", err)`,
 * which for an empty result is `no matching EC2 Managed Prefix List found`:
 * `internal/tfresource/errors.go`).
 */
function managedPrefixList(c: InvokeCtx): Props {
    const byName = new Map(MANAGED_PREFIX_LIST_SERVICES.map(s => [`com.amazonaws.${c.region}.${s}`, awsManagedPrefixListId(`com.amazonaws.${c.region}.${s}`)]));
    const name = str(c.inputs.name) ?? [...byName.entries()].find(([, id]) => id === str(c.inputs.id))?.[0];
    const id = name ? byName.get(name) : undefined;
    if (!name || !id || (str(c.inputs.id) && str(c.inputs.id) !== id)) throw new Error("no matching EC2 Managed Prefix List found");
    c.fallback(`the entries of ${name} are two placeholder CIDRs`,
        "safe: the list exists (AWS manages it in every Region) and its id is modelled; only its CIDRs, which AWS does not document and changes, are placeholders, and the program uses only the id (a security-group rule's prefixListIds)");
    return {
        id,
        name,
        arn: `arn:${c.partition}:ec2:${c.region}:aws:prefix-list/${id}`,
        addressFamily: "IPv4",
        entries: [{ cidr: "16.15.192.0/18", description: "" }, { cidr: "3.5.0.0/19", description: "" }],
        maxEntries: 0,
        ownerId: "AWS",
        version: 1,
        tags: {},
    };
}

export const EC2: ServiceModel = {
    resources,
    invokes: {
        "aws:index/getAvailabilityZones:getAvailabilityZones": availabilityZoneLookup,
        "aws:ec2/getManagedPrefixList:getManagedPrefixList": managedPrefixList,
    },
};
