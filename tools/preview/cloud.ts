/**
 * The fake cloud behind the offline preview: what AWS (and the awsx/eks
 * remote components) would answer for each resource and data source.
 *
 * Deterministic: every generated id, suffix and ARN is derived from a hash of
 * the resource's URN (or of the invoke's arguments), never from a counter or
 * randomness, so the same program gives the same output every run.
 */
import { createHash } from "crypto";
import type { MockCallArgs, MockResourceArgs, Mocks } from "@pulumi/pulumi/runtime/mocks";
import { FRONT_DOOR_HANDLERS, FRONT_DOOR_INVOKES, NetworkInterfaceState, newNetworkInterfaceState, rememberEndpointInterfaces } from "./cloud-frontdoor";
import { isWireSecret } from "./values";

/**
 * The fake cloud's own account (the default): twelve digits that are not one
 * of the ids AWS documentation uses (123456789012, 111122223333, …), which
 * the policy pack refuses where they come from configuration. Tests choose
 * another with `FakeCloudOptions.accountId`; never hard-code this value.
 */
export const ACCOUNT_ID = "730841926357";

export interface CloudResourceArgs extends MockResourceArgs {
    /** The resource's URN: the seed for every generated value. */
    urn: string;
    /** True for a multi-language component (awsx, eks), which the cloud answers as one resource. */
    remote?: boolean;
    /** The region of the resource's explicit provider, if it has one. */
    region?: string;
    /**
     * The account of the resource's explicit provider when it assumes a role
     * in another account (`assumedRoleAccount` of its inputs); default: the cloud's.
     */
    account?: string;
}

/** A data source call, with the account and region of the invoke's explicit provider, if any. */
export interface CloudCallArgs extends MockCallArgs {
    account?: string;
    region?: string;
    /** The role the invoke's provider assumes, if any (getCallerIdentity answers as its session). */
    roleArn?: string;
}

export interface CloudResourceResult {
    id: string | undefined;
    /** Values the provider settles while checking inputs (auto-names): known even in a preview. */
    checked: Record<string, unknown>;
    /** Values the cloud computes on create: unknown in a preview. */
    computed: Record<string, unknown>;
}

type Props = Record<string, unknown>;

export interface Ctx {
    urn: string;
    name: string;
    inputs: Props;
    region: string;
    partition: string;
    /** The account the cloud answers as. */
    account: string;
    /** What the cloud remembers of resources it created (subnets, load balancers). */
    state: CloudState;
    /** `n` hex digits derived from the URN and a purpose. */
    hex(n: number, purpose?: string): string;
    /** A physical name: the input if given, else `<name>-<7 hex>` like Pulumi's auto-naming. */
    autoname(prop?: string, opts?: { maxLength?: number; lower?: boolean; prefix?: string }): string;
}

type Handler = (c: Ctx) => { id: string; checked?: Props; computed?: Props };

/**
 * The id of an AWS-managed prefix list (`com.amazonaws.<region>.<service>`):
 * AWS has one list per service and region, and answers the same id through
 * the gateway endpoint's `prefixListId` and `DescribeManagedPrefixLists`
 * (https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html).
 */
export function awsManagedPrefixListId(serviceName: string): string {
    return `pl-${hashHex(`aws-managed-prefix-list|${serviceName}`, 8)}`;
}

export function hashHex(seed: string, n: number): string {
    let out = "";
    for (let i = 0; out.length < n; i++) {
        out += createHash("sha256").update(i === 0 ? seed : `${seed}#${i}`).digest("hex");
    }
    return out.slice(0, n);
}

export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

const DIRECTIONS: Record<string, string> = {
    east: "e", west: "w", north: "n", south: "s", central: "c",
    northeast: "ne", northwest: "nw", southeast: "se", southwest: "sw",
};

/** Availability zones of a region: names `us-east-1a`… and zone ids `use1-az1`… (6 of them), in the order of the ids. */
export function availabilityZones(region: string): { names: string[]; zoneIds: string[] } {
    const [geo, dir, num] = region.split("-");
    const abbr = `${geo}${DIRECTIONS[dir] ?? (dir ?? "").slice(0, 1)}${num ?? ""}`;
    const letters = ["a", "b", "c", "d", "e", "f"];
    return { names: letters.map(l => `${region}${l}`), zoneIds: letters.map((_, i) => `${abbr}-az${i + 1}`) };
}

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

/** What the cloud remembers of what it created, so later answers can follow references (by id / ARN). */
export interface CloudState {
    /** Subnet id -> its zone. */
    subnets: Map<string, { availabilityZone: string; availabilityZoneId: string }>;
    /** Load balancer ARN -> the ids of its subnets. */
    loadBalancerSubnets: Map<string, string[]>;
    /** Subnet CIDRs, interface endpoints' network interfaces and their IPs (cloud-frontdoor.ts). */
    interfaces: NetworkInterfaceState;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

function asArray(v: unknown): unknown[] {
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

function uuid(hex32: string): string {
    return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-4${hex32.slice(13, 16)}-a${hex32.slice(17, 20)}-${hex32.slice(20, 32)}`;
}

function upperAlnum(hex: string): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let out = "";
    for (let i = 0; i + 1 < hex.length; i += 2) out += alphabet[parseInt(hex.slice(i, i + 2), 16) % alphabet.length];
    return out;
}

/** Canonical hosted-zone ids of load balancers in us-east-1 (other regions get a derived one). */
const LB_ZONE: Record<string, string> = { network: "Z26RNL4JYFTOTI", application: "Z35SXDOTRQ7X7K" };

function arn(c: Ctx, service: string, resource: string, opts: { region?: string; account?: string } = {}): string {
    return `arn:${c.partition}:${service}:${opts.region ?? c.region}:${opts.account ?? c.account}:${resource}`;
}

/** Id like `vpc-0` followed by 16 hex digits (17 hex digits in all), as EC2 issues them. */
function ec2Id(c: Ctx, prefix: string): string {
    return `${prefix}-0${c.hex(16, prefix)}`;
}

function ec2(prefix: string, arnType: string, extra?: (c: Ctx, id: string) => Props): Handler {
    return c => {
        const id = ec2Id(c, prefix);
        return { id, computed: { arn: arn(c, "ec2", `${arnType}/${id}`), ownerId: c.account, ...(extra ? extra(c, id) : {}) } };
    };
}

function lbKind(type: unknown): "net" | "app" | "gwy" {
    return type === "network" ? "net" : type === "gateway" ? "gwy" : "app";
}

/** The DNS name of an interface endpoint for a given service name. */
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
 * The zones an endpoint service offers: those of its load balancers' subnets
 * (AWS: "the service is available in the Availability Zones of the load
 * balancer"; VPC PrivateLink guide, "Create an endpoint service"). Followed
 * through the ARNs in `networkLoadBalancerArns`/`gatewayLoadBalancerArns` to
 * the subnets this cloud created. When that is not derivable (a load
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

const HANDLERS: Record<string, Handler> = {
    ...FRONT_DOOR_HANDLERS,
    "aws:ec2/vpc:Vpc": ec2("vpc", "vpc", (c, id) => ({
        defaultSecurityGroupId: defaultOfVpc("sg", id),
        defaultRouteTableId: defaultOfVpc("rtb", id),
        mainRouteTableId: defaultOfVpc("rtb", id),
        defaultNetworkAclId: defaultOfVpc("acl", id),
        dhcpOptionsId: ec2Id(c, "dopt"),
        enableDnsSupport: true,
        instanceTenancy: "default",
        // Only a read (`Vpc.get`) lacks the input: give the VPC a plausible range.
        cidrBlock: "10.0.0.0/16",
    })),
    "aws:ec2/subnet:Subnet": c => {
        // Either input settles both outputs, through the account's own name <-> id mapping.
        const zones = accountZones(c.region, c.account);
        const byName = zones.find(z => z.name === str(c.inputs.availabilityZone));
        const byId = zones.find(z => z.zoneId === str(c.inputs.availabilityZoneId));
        const zone = byId ?? byName ?? zones[parseInt(c.hex(2, "az"), 16) % zones.length];
        const r = ec2("subnet", "subnet", () => ({ availabilityZone: zone.name, availabilityZoneId: zone.zoneId, mapPublicIpOnLaunch: false }))(c);
        c.state.subnets.set(r.id, { availabilityZone: zone.name, availabilityZoneId: zone.zoneId });
        if (str(c.inputs.cidrBlock)) c.state.interfaces.subnetCidrs.set(r.id, str(c.inputs.cidrBlock)!);
        return r;
    },
    "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table", () => ({ propagatingVgws: [] })),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": c => ({ id: ec2Id(c, "rtbassoc") }),
    "aws:ec2/route:Route": c => ({ id: `r-${str(c.inputs.routeTableId) ?? ec2Id(c, "rtb")}${c.hex(10, "route")}`, computed: { state: "active", origin: "CreateRoute" } }),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": c => {
        // Adopts the VPC's default group: the same id the Vpc reported.
        const id = defaultOfVpc("sg", str(c.inputs.vpcId) ?? c.urn);
        return { id, computed: { arn: arn(c, "ec2", `security-group/${id}`), ownerId: c.account, name: "default", description: "default VPC security group" } };
    },
    "aws:ssm/parameter:Parameter": c => {
        const name = c.autoname();
        return { id: name, checked: { name }, computed: { arn: arn(c, "ssm", `parameter${name.startsWith("/") ? "" : "/"}${name}`), version: 1, tier: "Standard", dataType: "text" } };
    },
    "aws:ec2/securityGroup:SecurityGroup": c => {
        const id = ec2Id(c, "sg");
        return {
            id,
            checked: { name: c.autoname() },
            computed: { arn: arn(c, "ec2", `security-group/${id}`), ownerId: c.account, description: "Managed by Pulumi" },
        };
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": c => ({ id: ec2Id(c, "sgr"), computed: { securityGroupRuleId: ec2Id(c, "sgr"), arn: arn(c, "ec2", `security-group-rule/${ec2Id(c, "sgr")}`) } }),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": c => ({ id: ec2Id(c, "sgr"), computed: { securityGroupRuleId: ec2Id(c, "sgr"), arn: arn(c, "ec2", `security-group-rule/${ec2Id(c, "sgr")}`) } }),
    "aws:ec2/securityGroupRule:SecurityGroupRule": c => ({ id: `sgrule-${c.hex(10)}`, computed: { securityGroupRuleId: ec2Id(c, "sgr") } }),
    "aws:ec2/vpcEndpoint:VpcEndpoint": c => {
        const id = ec2Id(c, "vpce");
        const type = str(c.inputs.vpcEndpointType) ?? "Gateway";
        const computed: Props = {
            arn: arn(c, "ec2", `vpc-endpoint/${id}`),
            ownerId: c.account,
            state: "available",
            requesterManaged: false,
            vpcEndpointType: type,
        };
        if (type === "Gateway") {
            computed.prefixListId = awsManagedPrefixListId(str(c.inputs.serviceName) ?? `com.amazonaws.${c.region}.s3`);
            computed.cidrBlocks = ["16.15.192.0/18", "3.5.0.0/19"];
            computed.dnsEntries = [];
            computed.networkInterfaceIds = [];
        } else {
            computed.dnsEntries = endpointDnsEntries(c, id);
            computed.networkInterfaceIds = asArray(c.inputs.subnetIds).map((_, i) => ec2Id({ ...c, hex: (n, p) => c.hex(n, `${p}${i}`) }, "eni"));
            rememberEndpointInterfaces(c.state.interfaces, id, asArray(c.inputs.subnetIds).map(String), computed.networkInterfaceIds as string[], i => c.hex(8, `ip${i}`));
        }
        return { id, computed };
    },
    "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log", () => ({ logFormat: "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}", maxAggregationInterval: 600 })),
    "aws:cloudwatch/logGroup:LogGroup": c => {
        const name = c.autoname();
        return { id: name, checked: { name }, computed: { arn: arn(c, "logs", `log-group:${name}`), logGroupClass: "STANDARD" } };
    },
    "aws:iam/role:Role": c => {
        const name = c.autoname("name", { maxLength: 64 });
        const rolePath = str(c.inputs.path) ?? "/";
        return {
            id: name,
            checked: { name },
            computed: {
                arn: `arn:${c.partition}:iam::${c.account}:role${rolePath}${name}`,
                uniqueId: `AROA${upperAlnum(c.hex(34, "uid"))}`,
                createDate: "2026-01-01T00:00:00Z",
                maxSessionDuration: 3600,
                path: rolePath,
            },
        };
    },
    "aws:iam/rolePolicy:RolePolicy": c => {
        const name = c.autoname();
        return { id: `${str(c.inputs.role) ?? "role"}:${name}`, checked: { name } };
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": c => ({ id: `${str(c.inputs.role) ?? "role"}-${c.hex(20)}` }),
    "aws:iam/policy:Policy": c => {
        const name = c.autoname("name", { maxLength: 128 });
        const a = `arn:${c.partition}:iam::${c.account}:policy/${name}`;
        return { id: a, checked: { name }, computed: { arn: a, policyId: `ANPA${upperAlnum(c.hex(34, "pid"))}`, attachmentCount: 0 } };
    },
    "aws:lb/loadBalancer:LoadBalancer": c => {
        const name = c.autoname("name", { maxLength: 32 });
        const kind = lbKind(c.inputs.loadBalancerType ?? "application");
        const suffix = `${kind}/${name}/${c.hex(16, "lb")}`;
        const a = arn(c, "elasticloadbalancing", `loadbalancer/${suffix}`);
        const internal = c.inputs.internal === true;
        const dnsName = kind === "net"
            ? `${name}-${c.hex(16, "dns")}.elb.${c.region}.amazonaws.com`
            : `${internal ? "internal-" : ""}${name}-${parseInt(c.hex(8, "dns"), 16)}.${c.region}.elb.amazonaws.com`;
        const type = kind === "net" ? "network" : kind === "gwy" ? "gateway" : "application";
        const mapped = asArray(c.inputs.subnetMappings).map(m => str((m as Props | undefined)?.subnetId));
        c.state.loadBalancerSubnets.set(a, [...asArray(c.inputs.subnets).map(str), ...mapped].filter((x): x is string => x !== undefined));
        return {
            id: a,
            checked: { name },
            computed: {
                arn: a,
                arnSuffix: suffix,
                dnsName,
                zoneId: (c.region === "us-east-1" ? LB_ZONE[type] : undefined) ?? `Z${upperAlnum(c.hex(24, "zone"))}`,
                vpcId: ec2Id(c, "vpc"),
                loadBalancerType: type,
                internal,
                ipAddressType: "ipv4",
                enableCrossZoneLoadBalancing: false,
            },
        };
    },
    "aws:lb/targetGroup:TargetGroup": c => {
        const name = c.autoname("name", { maxLength: 32 });
        const suffix = `targetgroup/${name}/${c.hex(16, "tg")}`;
        const a = arn(c, "elasticloadbalancing", suffix);
        return { id: a, checked: { name }, computed: { arn: a, arnSuffix: suffix, loadBalancerArns: [], targetType: str(c.inputs.targetType) ?? "instance" } };
    },
    "aws:lb/listener:Listener": c => {
        const lbArn = str(c.inputs.loadBalancerArn);
        const lbPart = lbArn?.split(":loadbalancer/")[1] ?? `net/listener/${c.hex(16, "lb")}`;
        const a = arn(c, "elasticloadbalancing", `listener/${lbPart}/${c.hex(16, "listener")}`);
        return { id: a, computed: { arn: a } };
    },
    "aws:ec2/vpcEndpointService:VpcEndpointService": c => {
        const id = `vpce-svc-0${c.hex(16, "svc")}`;
        return {
            id,
            computed: {
                arn: arn(c, "ec2", `vpc-endpoint-service/${id}`),
                serviceName: `com.amazonaws.vpce.${c.region}.${id}`,
                serviceType: "Interface",
                state: "Available",
                availabilityZones: endpointServiceZones(c),
                baseEndpointDnsNames: [`${id}.${c.region}.vpce.amazonaws.com`],
                managesVpcEndpoints: false,
                privateDnsNameConfigurations: [],
                supportedIpAddressTypes: ["ipv4"],
            },
        };
    },
    "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple": c => ({ id: `vpce-svc-perm-0${c.hex(16)}` }),
    "aws:sns/topic:Topic": c => {
        const fifo = c.inputs.fifoTopic === true;
        let name = c.autoname("name", { maxLength: fifo ? 251 : 256 });
        if (fifo && !name.endsWith(".fifo")) name += ".fifo";
        const a = arn(c, "sns", name);
        return { id: a, checked: { name }, computed: { arn: a, owner: c.account, beginningArchiveTime: "" } };
    },
    "aws:sns/topicPolicy:TopicPolicy": c => ({ id: str(c.inputs.arn) ?? arn(c, "sns", c.name), computed: { owner: c.account } }),
    "aws:sns/topicSubscription:TopicSubscription": c => {
        const a = `${str(c.inputs.topic) ?? arn(c, "sns", "topic")}:${uuid(c.hex(32))}`;
        return { id: a, computed: { arn: a, ownerId: c.account } };
    },
    "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification": c => ({
        id: ec2Id(c, "vpce-nfn"),
        computed: { notificationType: "Topic", state: "Enabled" },
    }),
    "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter": c => ({
        id: `${str(c.inputs.vpcEndpointServiceId) ?? "vpce-svc"}_${str(c.inputs.vpcEndpointId) ?? "vpce"}`,
        computed: { vpcEndpointState: "available" },
    }),
    "aws:ecr/repository:Repository": c => {
        const name = c.autoname("name", { lower: true });
        return {
            id: name,
            checked: { name },
            computed: {
                arn: arn(c, "ecr", `repository/${name}`),
                registryId: c.account,
                repositoryUrl: `${c.account}.dkr.ecr.${c.region}.amazonaws.com/${name}`,
            },
        };
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": c => ({ id: str(c.inputs.repository) ?? c.name, computed: { registryId: c.account } }),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": c => ({ id: str(c.inputs.repository) ?? c.name, computed: { registryId: c.account } }),
    "aws:kms/key:Key": c => {
        const keyId = uuid(c.hex(32, "key"));
        return {
            id: keyId,
            computed: {
                arn: arn(c, "kms", `key/${keyId}`),
                keyId,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                keySpec: "SYMMETRIC_DEFAULT",
                isEnabled: true,
                multiRegion: false,
            },
        };
    },
    "aws:kms/alias:Alias": c => {
        const name = str(c.inputs.name) ?? `alias/${c.name}-${c.hex(7, "name")}`;
        const target = str(c.inputs.targetKeyId) ?? "";
        return {
            id: name,
            checked: { name },
            computed: { arn: arn(c, "kms", name), targetKeyArn: target.startsWith("arn:") ? target : arn(c, "kms", `key/${target}`) },
        };
    },
    "aws:ecs/cluster:Cluster": c => {
        const name = c.autoname();
        const a = arn(c, "ecs", `cluster/${name}`);
        return { id: a, checked: { name }, computed: { arn: a } };
    },
    "aws:ecs/taskDefinition:TaskDefinition": c => {
        const family = str(c.inputs.family) ?? c.autoname("family");
        return {
            id: family,
            computed: {
                arn: arn(c, "ecs", `task-definition/${family}:1`),
                arnWithoutRevision: arn(c, "ecs", `task-definition/${family}`),
                revision: 1,
            },
        };
    },
    "aws:ecs/service:Service": c => {
        const name = c.autoname();
        const clusterArn = str(c.inputs.cluster) ?? arn(c, "ecs", "cluster/default");
        const a = arn(c, "ecs", `service/${clusterArn.split("/").pop()}/${name}`);
        return { id: a, checked: { name }, computed: { arn: a, cluster: clusterArn } };
    },
    // ECS on EC2: capacity provider over an Auto Scaling group of hosts with an instance profile.
    "aws:ecs/capacityProvider:CapacityProvider": c => {
        const name = c.autoname();
        const a = arn(c, "ecs", `capacity-provider/${name}`);
        return { id: a, checked: { name }, computed: { arn: a } };
    },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": c => ({ id: str(c.inputs.clusterName) ?? c.name }),
    "aws:autoscaling/group:Group": c => {
        const name = c.autoname();
        return {
            id: name,
            checked: { name },
            computed: {
                arn: arn(c, "autoscaling", `autoScalingGroup:${uuid(c.hex(32, "asg"))}:autoScalingGroupName/${name}`),
                availabilityZones: [],
                desiredCapacity: typeof c.inputs.minSize === "number" ? c.inputs.minSize : 0,
                defaultCooldown: 300,
                healthCheckGracePeriod: 300,
                serviceLinkedRoleArn: `arn:${c.partition}:iam::${c.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
            },
        };
    },
    "aws:iam/instanceProfile:InstanceProfile": c => {
        const name = c.autoname("name", { maxLength: 128 });
        const profilePath = str(c.inputs.path) ?? "/";
        return {
            id: name,
            checked: { name },
            computed: {
                arn: `arn:${c.partition}:iam::${c.account}:instance-profile${profilePath}${name}`,
                uniqueId: `AIPA${upperAlnum(c.hex(34, "uid"))}`,
                createDate: "2026-01-01T00:00:00Z",
                path: profilePath,
            },
        };
    },
    "aws:appautoscaling/target:Target": c => ({
        id: str(c.inputs.resourceId) ?? c.name,
        computed: {
            arn: arn(c, "application-autoscaling", `scalable-target/${c.hex(36)}`),
            roleArn: `arn:${c.partition}:iam::${c.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
        },
    }),
    "aws:appautoscaling/policy:Policy": c => {
        const name = c.autoname();
        return {
            id: name,
            checked: { name },
            computed: {
                arn: arn(c, "autoscaling", `scalingPolicy:${uuid(c.hex(32))}:resource/${str(c.inputs.resourceId) ?? ""}:policyName/${name}`),
                alarmArns: [],
            },
        };
    },
    "aws:lambda/function:Function": c => {
        const name = c.autoname("name", { maxLength: 64 });
        const a = arn(c, "lambda", `function:${name}`);
        return { id: name, checked: { name }, computed: { arn: a, qualifiedArn: `${a}:$LATEST`, invokeArn: `arn:${c.partition}:apigateway:${c.region}:lambda:path/2015-03-31/functions/${a}/invocations`, version: "$LATEST" } };
    },
    "aws:lambda/permission:Permission": c => {
        // Like the provider: a generated statement id when none is given.
        const statementId = str(c.inputs.statementId) ?? `${str(c.inputs.statementIdPrefix) ?? "terraform-"}${c.hex(26, "sid")}`;
        return { id: statementId, checked: { statementId } };
    },
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": c => ({ id: `${str(c.inputs.targetGroupArn) ?? "targetgroup"}-20260101000000${c.hex(12, "attachment")}` }),
    "aws:sqs/queue:Queue": c => {
        const fifo = c.inputs.fifoQueue === true;
        let name = c.autoname("name", { maxLength: fifo ? 75 : 80 });
        if (fifo && !name.endsWith(".fifo")) name += ".fifo";
        const url = `https://sqs.${c.region}.amazonaws.com/${c.account}/${name}`;
        return { id: url, checked: { name }, computed: { arn: arn(c, "sqs", name), url } };
    },
    "aws:eks/cluster:Cluster": c => {
        const name = c.autoname();
        return { id: name, checked: { name }, computed: { arn: arn(c, "eks", `cluster/${name}`), endpoint: `https://${c.hex(32).toUpperCase()}.gr7.${c.region}.eks.amazonaws.com`, status: "ACTIVE" } };
    },
    "aws:eks/nodeGroup:NodeGroup": c => {
        const cluster = str(c.inputs.clusterName) ?? "cluster";
        const name = c.autoname("nodeGroupName", { maxLength: 63 });
        const uid = uuid(c.hex(32, "ng")).replace(/-/g, "").slice(0, 8);
        return {
            id: `${cluster}:${name}`,
            checked: { nodeGroupName: name },
            computed: {
                arn: arn(c, "eks", `nodegroup/${cluster}/${name}/${uuid(c.hex(32, "ng"))}`),
                status: "ACTIVE",
                capacityType: "ON_DEMAND",
                diskSize: 0,
                releaseVersion: "1.35.0-20261101",
                version: "1.35",
                // The managed Auto Scaling group EKS creates for the node group.
                resources: [{ autoscalingGroups: [{ name: `eks-${name}-${uid}` }], remoteAccessSecurityGroupId: "" }],
            },
        };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": c => {
        const id = ec2Id(c, "lt");
        const name = c.autoname("name", { maxLength: 128 });
        return { id, checked: { name }, computed: { arn: arn(c, "ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1 } };
    },
    "aws:eks/addon:Addon": c => {
        const cluster = str(c.inputs.clusterName) ?? "cluster";
        const addon = str(c.inputs.addonName) ?? c.name;
        return {
            id: `${cluster}:${addon}`,
            computed: {
                arn: arn(c, "eks", `addon/${cluster}/${addon}/${uuid(c.hex(32, "addon"))}`),
                addonVersion: str(c.inputs.addonVersion) ?? "v1.0.0-eksbuild.1",
                createdAt: "2026-01-01T00:00:00Z",
                modifiedAt: "2026-01-01T00:00:00Z",
            },
        };
    },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": c => {
        const cluster = str(c.inputs.clusterName) ?? "cluster";
        const associationId = `a-${c.hex(17, "assoc")}`;
        return {
            id: associationId,
            computed: {
                associationId,
                associationArn: arn(c, "eks", `podidentityassociation/${cluster}/${associationId}`),
                externalId: uuid(c.hex(32, "external")),
            },
        };
    },
    "aws:eks/accessEntry:AccessEntry": c => {
        const cluster = str(c.inputs.clusterName) ?? "cluster";
        const principal = str(c.inputs.principalArn) ?? "";
        return {
            id: `${cluster}:${principal}`,
            computed: {
                accessEntryArn: arn(c, "eks", `access-entry/${cluster}/role/${c.account}/${principal.split("/").pop() ?? ""}/${uuid(c.hex(32, "entry"))}`),
                kubernetesGroups: [],
                userName: principal,
                createdAt: "2026-01-01T00:00:00Z",
            },
        };
    },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": c => ({
        id: `${str(c.inputs.clusterName) ?? "cluster"}#${str(c.inputs.principalArn) ?? ""}#${str(c.inputs.policyArn) ?? ""}`,
        computed: { associatedAt: "2026-01-01T00:00:00Z", modifiedAt: "2026-01-01T00:00:00Z" },
    }),
    "aws:autoscaling/attachment:Attachment": c => ({ id: `${str(c.inputs.autoscalingGroupName) ?? "asg"}-${c.hex(20)}` }),
};

/** Remote (multi-language) components: the outputs their providers document. */
const COMPONENTS: Record<string, Handler> = {
    "awsx:ecr:Image": c => {
        const repo = str(c.inputs.repositoryUrl) ?? `${c.account}.dkr.ecr.${c.region}.amazonaws.com/${c.name}`;
        return { id: "", computed: { imageUri: `${repo}@sha256:${c.hex(64, "digest")}` } };
    },
    "eks:index:Cluster": c => {
        const name = str(c.inputs.name) ?? `${c.name}-eksCluster-${c.hex(7, "name")}`;
        const endpoint = `https://${c.hex(32, "endpoint").toUpperCase()}.gr7.${c.region}.eks.amazonaws.com`;
        const oidcId = c.hex(32, "oidc").toUpperCase();
        const oidcUrl = `oidc.eks.${c.region}.amazonaws.com/id/${oidcId}`;
        const clusterSg = ec2Id(c, "sg");
        const nodeSg = ec2Id({ ...c, hex: (n, p) => c.hex(n, `node${p}`) }, "sg");
        const vpcConfig = {
            clusterSecurityGroupId: clusterSg,
            endpointPrivateAccess: c.inputs.endpointPrivateAccess ?? false,
            endpointPublicAccess: c.inputs.endpointPublicAccess ?? true,
            publicAccessCidrs: c.inputs.publicAccessCidrs ?? ["0.0.0.0/0"],
            securityGroupIds: [clusterSg],
            subnetIds: c.inputs.privateSubnetIds ?? c.inputs.subnetIds ?? [],
            vpcId: c.inputs.vpcId ?? ec2Id(c, "vpc"),
        };
        const eksCluster = {
            id: name,
            name,
            arn: arn(c, "eks", `cluster/${name}`),
            endpoint,
            version: c.inputs.version ?? "1.35",
            status: "ACTIVE",
            roleArn: `arn:${c.partition}:iam::${c.account}:role/${c.name}-eksRole-${c.hex(7, "role")}`,
            vpcConfig,
            certificateAuthority: { data: Buffer.from(`offline-ca-${c.hex(16, "ca")}`).toString("base64") },
            identities: [{ oidcs: [{ issuer: `https://${oidcUrl}` }] }],
            // The component always bootstraps the creator as cluster admin when it sets a mode.
            accessConfig: { authenticationMode: c.inputs.authenticationMode ?? "CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: true },
            enabledClusterLogTypes: c.inputs.enabledClusterLogTypes ?? [],
            encryptionConfig: str(c.inputs.encryptionConfigKeyArn)
                ? { provider: { keyArn: c.inputs.encryptionConfigKeyArn }, resources: ["secrets"] }
                : undefined,
            kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: "172.20.0.0/16" },
            platformVersion: "eks.1",
        };
        const instanceRoles = [{ name: `${c.name}-instanceRole-${c.hex(7, "ir")}`, arn: `arn:${c.partition}:iam::${c.account}:role/${c.name}-instanceRole-${c.hex(7, "ir")}` }];
        // As pulumi-eks v4.3.0 builds it (nodejs/eks/cluster/cluster.ts generateKubeconfig): `aws --region
        // <region> eks get-token --cluster-name <name> --output json`, plus `--role <arn>` when
        // providerCredentialOpts.roleArn is set and `--profile <name>` with its profileName.
        const credentialOpts = (typeof c.inputs.providerCredentialOpts === "string" ? JSON.parse(c.inputs.providerCredentialOpts) : c.inputs.providerCredentialOpts ?? {}) as Props;
        const tokenArgs = [
            "--region", c.region, "eks", "get-token", "--cluster-name", name, "--output", "json",
            ...(str(credentialOpts.roleArn) ? ["--role", str(credentialOpts.roleArn)!] : []),
            ...(str(credentialOpts.profileName) ? ["--profile", str(credentialOpts.profileName)!] : []),
        ];
        const kubeconfig = {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": eksCluster.certificateAuthority.data } }],
            contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
            "current-context": "aws",
            users: [{
                name: "aws",
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: tokenArgs,
                        env: [{ name: "KUBERNETES_EXEC_INFO", value: `{"apiVersion": "client.authentication.k8s.io/v1beta1"}` }],
                    },
                },
            }],
        };
        const oidcProviderArn = `arn:${c.partition}:iam::${c.account}:oidc-provider/${oidcUrl}`;
        return {
            id: "",
            computed: {
                kubeconfig,
                kubeconfigJson: JSON.stringify(kubeconfig),
                eksCluster,
                clusterSecurityGroupId: clusterSg,
                clusterSecurityGroup: { id: clusterSg, arn: arn(c, "ec2", `security-group/${clusterSg}`) },
                nodeSecurityGroupId: nodeSg,
                nodeSecurityGroup: { id: nodeSg, arn: arn(c, "ec2", `security-group/${nodeSg}`) },
                clusterIngressRuleId: `sgrule-${c.hex(10, "ingress")}`,
                instanceRoles,
                oidcProviderArn,
                oidcProviderUrl: oidcUrl,
                oidcIssuer: oidcUrl,
                defaultNodeGroupAsgName: `${c.name}-nodes-${c.hex(7, "asg")}`,
                fargateProfileId: "",
                fargateProfileStatus: "",
                autoModeNodeRoleName: "",
                core: {
                    cluster: eksCluster,
                    endpoint,
                    clusterSecurityGroupId: clusterSg,
                    vpcId: vpcConfig.vpcId,
                    subnetIds: vpcConfig.subnetIds,
                    publicSubnetIds: c.inputs.publicSubnetIds ?? [],
                    privateSubnetIds: c.inputs.privateSubnetIds ?? [],
                    instanceRoles,
                    nodeGroupOptions: {},
                    kubeconfig,
                    oidcProvider: { arn: oidcProviderArn, url: oidcUrl },
                    clusterIamRole: { arn: eksCluster.roleArn },
                    accessEntries: [],
                },
            },
        };
    },
};

/** What the API server reports under `status` for the kinds the program creates. */
function kubernetesStatus(kind: string, inputs: Props): Props | undefined {
    const spec = (inputs.spec ?? {}) as Props;
    switch (kind) {
        case "Deployment": {
            const replicas = typeof spec.replicas === "number" ? spec.replicas : 1;
            return {
                observedGeneration: 1, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas,
                conditions: [{ type: "Available", status: "True" }, { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" }],
            };
        }
        case "Service":
            return { loadBalancer: {} };
        case "Namespace":
            return { phase: "Active" };
        case "HorizontalPodAutoscaler":
            return { currentReplicas: spec.minReplicas ?? 1, desiredReplicas: spec.minReplicas ?? 1 };
        default:
            return undefined;
    }
}

/**
 * Kubernetes objects (`kubernetes:<group>/<version>:<Kind>`): the id is
 * `<namespace>/<name>` (or `<name>` for cluster-scoped kinds), metadata gets
 * what the API server fills in; the inputs come back as they were applied.
 */
function kubernetesHandler(kind: string): Handler {
    const clusterScoped = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "StorageClass", "CustomResourceDefinition", "PersistentVolume"]);
    return c => {
        const meta = (c.inputs.metadata ?? {}) as Props;
        const name = str(meta.name) ?? `${c.name}-${c.hex(8, "name")}`;
        const namespace = clusterScoped.has(kind) ? undefined : str(meta.namespace) ?? "default";
        const status = kubernetesStatus(kind, c.inputs);
        return {
            id: namespace ? `${namespace}/${name}` : name,
            checked: {
                metadata: {
                    ...meta, name, ...(namespace ? { namespace } : {}),
                    uid: uuid(c.hex(32, "uid")), resourceVersion: String(parseInt(c.hex(6, "rv"), 16)),
                    generation: 1, creationTimestamp: "2026-01-01T00:00:00Z",
                },
            },
            computed: status ? { status } : {},
        };
    };
}

function genericHandler(type: string): Handler {
    const [pkg, mod = "", res = "resource"] = type.split(":");
    if (pkg === "kubernetes") return kubernetesHandler(res);
    const kind = res.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
    if (pkg === "aws") {
        const service = mod.split("/")[0] || "aws";
        return c => {
            const id = `${kind}-0${c.hex(16)}`;
            return { id, computed: { arn: arn(c, service, `${kind}/${id}`) } };
        };
    }
    if (pkg === "pulumi" && mod === "providers") return c => ({ id: uuid(c.hex(32)) });
    return c => ({ id: `${kind}-${c.hex(16)}` });
}

const AUTONAME_DEFAULT = { maxLength: 255, lower: false };

export interface FakeCloudOptions {
    /** The stack's `aws:region` (default us-east-1). */
    region?: string;
    /** The account the cloud answers as (default ACCOUNT_ID); it also decides the zone name <-> id mapping. */
    accountId?: string;
    /**
     * A fresh account: none of the stack's resources exist yet, so ECR answers
     * every image lookup with RepositoryNotFoundException (the first `up`).
     */
    freshAccount?: boolean;
    /**
     * The other stacks of the backend, by fully qualified name
     * `<org>/<project>/<stack>`, with their last deployed outputs (wire form,
     * as the engine stores them): what a `StackReference` read answers. A
     * stack absent from the map does not exist, and reading it fails the run
     * (`unknown stack "<name>"`); a stack present with `{}` exists but was
     * never deployed, and reads no outputs (see stackReferenceState).
     */
    stackOutputs?: ReadonlyMap<string, Record<string, unknown>> | Record<string, Record<string, unknown>>;
    /** The organization and project that complete a short stack name (`<stack>`, `<project>/<stack>`). */
    organization?: string;
    project?: string;
}

/** The type of a stack reference: a read of the built-in provider with the stack's name as id. */
export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/**
 * A stack name as the engine resolves it: `<org>/<project>/<stack>`; a name
 * with fewer parts takes the current organization (and project).
 */
export function qualifiedStackName(name: string, defaults: { organization?: string; project?: string } = {}): string {
    const parts = name.split("/");
    const org = defaults.organization ?? "organization";
    if (parts.length >= 3) return name;
    if (parts.length === 2) return `${org}/${name}`;
    return `${org}/${defaults.project ?? "project"}/${name}`;
}

function containsWireSecret(v: unknown): boolean {
    if (v === null || typeof v !== "object") return false;
    if (isWireSecret(v)) return true;
    return Object.values(v as Props).some(containsWireSecret);
}

/** The engine's text for a StackReference read of a stack that does not exist. */
export function unknownStackMessage(name: string): string {
    return `unknown stack ${JSON.stringify(name)}`;
}

/**
 * What the engine's built-in provider answers for a `StackReference` read
 * (pulumi/pulumi v3.248.0 pkg/resource/deploy/builtins.go,
 * `readStackReference`): `name`, the stack's `outputs` and the sorted
 * `secretOutputNames` of those holding a secret.
 *
 * - A stack that does not exist fails the read, and with it the run:
 *   `backendClient.GetStackOutputs` (pkg/backend/backend.go) returns
 *   `unknown stack %q` when `GetStack` finds none, and the Pulumi Cloud
 *   backend's `GetStack` (pkg/backend/httpstate/backend.go) maps a 404 to
 *   none. Reads run in previews too ("Unlike most steps, Read steps run
 *   during previews", pkg/resource/deploy/step.go, `ReadStep.Apply`), so a
 *   preview fails the same way. Offline, a stack absent from the map
 *   (`outputs` undefined) does not exist.
 * - A stack that exists but was never deployed answers no outputs
 *   (`SnapshotStackOutputs` of an empty snapshot): `{}` in the map.
 */
export function stackReferenceState(name: string, outputs: Record<string, unknown> | undefined): Props {
    if (outputs === undefined) throw new Error(unknownStackMessage(name));
    return {
        name,
        outputs,
        secretOutputNames: Object.keys(outputs).filter(k => containsWireSecret(outputs[k])).sort(),
    };
}

/**
 * The account an `aws` provider's resources live in when it assumes a role:
 * the account of `assumeRoles[0].roleArn` (the provider's resources and
 * calls then act as that role; Terraform AWS provider docs, "assume_role").
 * The SDK sends a provider's nested inputs as JSON strings. Undefined when
 * the provider assumes no role or the ARN is not known yet.
 */
export function assumedRoleArn(providerInputs: Record<string, unknown>): string | undefined {
    let roles: unknown = providerInputs.assumeRoles ?? providerInputs.assumeRole;
    if (typeof roles === "string") {
        try {
            roles = JSON.parse(roles);
        } catch {
            return undefined;
        }
    }
    const first = Array.isArray(roles) ? roles[0] : roles;
    const roleArn = first && typeof first === "object" ? (first as Props).roleArn : undefined;
    return typeof roleArn === "string" && /^arn:[^:]+:iam::\d{12}:role\//.test(roleArn) ? roleArn : undefined;
}

export function assumedRoleAccount(providerInputs: Record<string, unknown>): string | undefined {
    return assumedRoleArn(providerInputs)?.split(":")[4];
}

/** The fake cloud: a `Mocks` implementation for the SDK, with the extra split of checked/computed values. */
export class FakeCloud implements Mocks {
    readonly region: string;
    readonly accountId: string;
    readonly freshAccount: boolean;
    private readonly state: CloudState = { subnets: new Map(), loadBalancerSubnets: new Map(), interfaces: newNetworkInterfaceState() };
    private readonly stacks: ReadonlyMap<string, Record<string, unknown>>;
    private readonly names: { organization?: string; project?: string };

    constructor(opts: FakeCloudOptions = {}) {
        this.region = opts.region ?? "us-east-1";
        this.accountId = opts.accountId ?? ACCOUNT_ID;
        this.freshAccount = opts.freshAccount ?? false;
        const given = opts.stackOutputs ?? {};
        this.stacks = given instanceof Map ? given : new Map(Object.entries(given));
        this.names = { organization: opts.organization, project: opts.project };
        if (!/^\d{12}$/.test(this.accountId)) {
            throw new Error(`the fake cloud's account id must be 12 digits, not ${JSON.stringify(this.accountId)}`);
        }
    }

    private context(urn: string, name: string, inputs: Props, providerRegion?: string, account?: string): Ctx {
        const region = str(inputs.region) ?? providerRegion ?? this.region;
        const hex = (n: number, purpose = "") => hashHex(`${urn}|${purpose}`, n);
        return {
            urn,
            name,
            inputs,
            region,
            partition: partitionOf(region),
            account: account ?? this.accountId,
            state: this.state,
            hex,
            autoname(prop = "name", opts = {}) {
                const given = str(inputs[prop]);
                if (given) return given;
                const o = { ...AUTONAME_DEFAULT, ...opts };
                const prefix = str(inputs[`${prop}Prefix`]);
                let base = prefix ? prefix.replace(/-$/, "") : name;
                if (o.lower) base = base.toLowerCase();
                base = base.slice(0, Math.max(1, o.maxLength - 8));
                return `${base}-${hex(7, "name")}`;
            },
        };
    }

    /** Answers one resource registration with its id, check-time values and computed outputs. */
    resource(args: CloudResourceArgs): CloudResourceResult {
        if (args.type === STACK_REFERENCE_TYPE && !args.remote) {
            // The id of a stack reference is the referenced stack's name.
            const name = str(args.id) ?? str((args.inputs as Props | undefined)?.name) ?? args.name;
            const state = stackReferenceState(name, this.stackOutputsOf(name));
            return { id: name, checked: {}, computed: state };
        }
        const handler = args.remote
            ? COMPONENTS[args.type] ?? (() => ({ id: "", computed: {} }))
            : HANDLERS[args.type] ?? genericHandler(args.type);
        const inputs = (args.inputs ?? {}) as Props;
        const r = handler(this.context(args.urn, args.name, inputs, args.region, args.account));
        return { id: args.id ? args.id : r.id || undefined, checked: r.checked ?? {}, computed: r.computed ?? {} };
    }

    /** The `Mocks` interface: a resource's id and its whole state (inputs, check-time values, outputs). */
    newResource(args: MockResourceArgs): { id: string | undefined; state: Props } {
        const urn = (args as Partial<CloudResourceArgs>).urn ?? `urn:pulumi:stack::project::${args.type}::${args.name}`;
        const r = this.resource({ ...args, urn });
        return { id: r.id, state: { ...(args.inputs as Props), ...r.checked, ...r.computed } };
    }

    /** The outputs of another stack (by any form of its name), or undefined when the map has none. */
    stackOutputsOf(name: string): Record<string, unknown> | undefined {
        return this.stacks.get(qualifiedStackName(name, this.names));
    }

    /** Data sources (invokes). An unknown token fails with an error naming it. */
    call(args: CloudCallArgs): Props {
        const inputs = (args.inputs ?? {}) as Props;
        const region = str(inputs.region) ?? args.region ?? this.region;
        const account = args.account ?? this.accountId;
        const partition = partitionOf(region);
        const seed = `${args.token}|${JSON.stringify(inputs)}`;
        const invoke = INVOKES[args.token];
        if (!invoke) {
            throw new Error(`the offline preview's fake cloud has no data source '${args.token}'; add it to tools/preview/cloud.ts`);
        }
        if (this.freshAccount && args.token === "aws:ecr/getImage:getImage") {
            // As ECR's DescribeImages answers for a repository that does not exist.
            throw new Error(
                `reading ECR Image: RepositoryNotFoundException: The repository with name '${str(inputs.repositoryName) ?? ""}' ` +
                `does not exist in the registry with id '${str(inputs.registryId) ?? account}'`,
            );
        }
        return invoke({ inputs, region, partition, account, roleArn: args.roleArn, hex: (n, p = "") => hashHex(`${seed}|${p}`, n), interfaces: this.state.interfaces });
    }
}

interface InvokeCtx {
    /** What the cloud remembers of network interfaces (reads of endpoints' ENIs). */
    interfaces: NetworkInterfaceState;
    inputs: Props;
    region: string;
    partition: string;
    account: string;
    /** The role the caller assumed, if any. */
    roleArn?: string;
    hex(n: number, purpose?: string): string;
}

function ssmParameter(c: InvokeCtx): Props {
    const name = str(c.inputs.name) ?? "";
    const ami = `ami-0${c.hex(16, "ami")}`;
    let value: string;
    const ecsAmi = /^\/aws\/service\/ecs\/optimized-ami\/([^/]+(?:\/[^/]+)*?)\/(recommended|[^/]+)(\/image_id)?$/.exec(name);
    if (name.endsWith("/image_id") || /\/aws\/service\/(ami-|eks\/optimized-ami|bottlerocket)/.test(name)) {
        value = ami;
    } else if (ecsAmi) {
        value = JSON.stringify({
            ecs_agent_version: "1.95.0",
            ecs_runtime_version: "Docker version 25.0.8",
            image_id: ami,
            image_name: `amzn2-ami-ecs-${ecsAmi[1].includes("gpu") ? "gpu-" : ""}hvm-2.0.20260101-x86_64-ebs`,
            os: "Amazon Linux 2",
            schema_version: 1,
            source_image_name: "amzn2-ami-minimal-hvm-2.0.20260101.0-x86_64-ebs",
        });
    } else {
        value = `offline-value-${c.hex(12, "value")}`;
    }
    const owner = name.startsWith("/aws/") ? "" : c.account;
    return {
        id: name,
        name,
        value,
        insecureValue: value,
        type: "String",
        dataType: "text",
        version: 1,
        withDecryption: c.inputs.withDecryption ?? true,
        arn: `arn:${c.partition}:ssm:${c.region}:${owner}:parameter${name.startsWith("/") ? "" : "/"}${name}`,
    };
}

/** A value of an IAM policy document: single-element lists collapse to a string, as the provider renders them. */
function collapse(v: unknown): unknown {
    const a = asArray(v);
    return a.length === 1 ? a[0] : a;
}

function policyDocument(c: InvokeCtx): Props {
    const statements = asArray(c.inputs.statements).map(s => {
        const st = s as Props;
        const out: Props = {};
        if (st.sid) out.Sid = st.sid;
        out.Effect = st.effect ?? "Allow";
        for (const [from, to] of [["actions", "Action"], ["notActions", "NotAction"], ["resources", "Resource"], ["notResources", "NotResource"]] as const) {
            if (st[from] !== undefined) out[to] = collapse(st[from]);
        }
        for (const [from, to] of [["principals", "Principal"], ["notPrincipals", "NotPrincipal"]] as const) {
            if (st[from] === undefined) continue;
            const p: Props = {};
            for (const pr of asArray(st[from]) as Props[]) p[String(pr.type)] = collapse(pr.identifiers);
            out[to] = p.AWS === "*" && Object.keys(p).length === 1 ? "*" : p;
        }
        if (st.conditions !== undefined) {
            const cond: Record<string, Props> = {};
            for (const co of asArray(st.conditions) as Props[]) {
                const test = String(co.test);
                cond[test] = { ...(cond[test] ?? {}), [String(co.variable)]: collapse(co.values) };
            }
            out.Condition = cond;
        }
        return out;
    });
    const doc = { Version: str(c.inputs.version) ?? "2012-10-17", Statement: statements };
    const json = JSON.stringify(doc, null, 2);
    return { id: String(parseInt(c.hex(8), 16)), json, minifiedJson: JSON.stringify(doc) };
}

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

const INVOKES: Record<string, (c: InvokeCtx) => Props> = {
    ...FRONT_DOOR_INVOKES,
    // A provider that assumes a role answers as the role's session
    // (`arn:aws:sts::<account>:assumed-role/<role>/<session>`, user id
    // `<role id>:<session>`; STS API reference, GetCallerIdentity).
    "aws:index/getCallerIdentity:getCallerIdentity": c => {
        const role = c.roleArn?.split("/").pop();
        return {
            id: c.account,
            accountId: c.account,
            arn: role ? `arn:${c.partition}:sts::${c.account}:assumed-role/${role}/offline-preview` : `arn:${c.partition}:iam::${c.account}:user/offline-preview`,
            userId: role ? `AROA${upperAlnum(c.hex(34))}:offline-preview` : `AIDA${upperAlnum(c.hex(34))}`,
        };
    },
    "aws:index/getRegion:getRegion": c => ({
        id: c.region,
        name: c.region,
        region: c.region,
        description: c.region,
        endpoint: `ec2.${c.region}.amazonaws.com`,
    }),
    "aws:index/getPartition:getPartition": c => ({
        id: c.partition,
        partition: c.partition,
        dnsSuffix: c.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
        reverseDnsPrefix: c.partition === "aws-cn" ? "cn.com.amazonaws" : "com.amazonaws",
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": availabilityZoneLookup,
    "aws:ssm/getParameter:getParameter": ssmParameter,
    // Offline every tag counts as pushed, except tags starting with
    // "unpushed", which answer as ECR does for a tag not in the repository.
    "aws:ecr/getImage:getImage": c => {
        const repositoryName = str(c.inputs.repositoryName) ?? "";
        const registryId = str(c.inputs.registryId) ?? c.account;
        const tag = str(c.inputs.imageTag);
        if (tag?.startsWith("unpushed")) {
            throw new Error(
                `reading ECR Image: ImageNotFoundException: The image with imageId {imageDigest:'null', imageTag:'${tag}'} ` +
                `does not exist within the repository with name '${repositoryName}' in the registry with id '${registryId}'`,
            );
        }
        const imageDigest = str(c.inputs.imageDigest) ?? `sha256:${c.hex(64)}`;
        return {
            id: imageDigest,
            imageDigest,
            imagePushedAt: 1767225600,
            imageSizeInBytes: 52_428_800,
            imageTag: tag,
            imageTags: tag ? [tag] : [],
            imageUri: `${registryId}.dkr.ecr.${c.region}.amazonaws.com/${repositoryName}${tag ? `:${tag}` : `@${imageDigest}`}`,
            region: c.region,
            registryId,
            repositoryName,
        };
    },
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": c => {
        const name = str(c.inputs.name) ?? `com.amazonaws.${c.region}.s3`;
        const id = str(c.inputs.id) ?? awsManagedPrefixListId(name);
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
    },
    "aws:iam/getPolicyDocument:getPolicyDocument": policyDocument,
};
