/**
 * Elastic Load Balancing v2 in the fake cloud: load balancers, target
 * groups, listeners, target group attachments.
 *
 * Sources:
 * - ARNs `arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/{net|app|gwy}/<name>/<16 hex>`,
 *   `targetgroup/<name>/<16 hex>`, `listener/{net|app}/<lb name>/<lb id>/<16 hex>`
 *   (ELB API reference, `LoadBalancerArn`, `TargetGroupArn`, `ListenerArn`;
 *   Service Authorization Reference, "Elastic Load Balancing V2 resource types").
 * - DNS names: NLB `<name>-<16 hex>.elb.<region>.amazonaws.com`, ALB
 *   `[internal-]<name>-<decimal>.<region>.elb.amazonaws.com` (ELB user guides,
 *   "DNS name").
 * - Canonical hosted zone ids of us-east-1: NLB `Z26RNL4JYFTOTI`, ALB
 *   `Z35SXDOTRQ7X7K` (AWS General Reference, "Elastic Load Balancing
 *   endpoints and quotas").
 * - Names at most 32 characters (CreateLoadBalancer / CreateTargetGroup).
 * - Cross-zone load balancing is off by default on NLBs (NLB guide,
 *   "Cross-zone load balancing").
 * - A load balancer's VPC is its subnets' VPC (CreateLoadBalancer takes
 *   subnets, DescribeLoadBalancers reports their `VpcId`).
 * - Attachment ids `<target group arn>-<timestamp><hex>`: the provider's
 *   `id.PrefixedUniqueId` (internal/service/elbv2/target_group_attachment.go).
 */
import { arn, asArray, Handler, Props, ServiceModel, str, upperAlnum } from "./common";

const LB_ZONE: Record<string, string> = { network: "Z26RNL4JYFTOTI", application: "Z35SXDOTRQ7X7K" };

function lbKind(type: unknown): "net" | "app" | "gwy" {
    return type === "network" ? "net" : type === "gateway" ? "gwy" : "app";
}

const resources: Record<string, Handler> = {
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
        const subnetIds = [...asArray(c.inputs.subnets).map(str), ...mapped].filter((x): x is string => x !== undefined);
        c.state.loadBalancerSubnets.set(a, subnetIds);
        const vpcId = subnetIds.map(s => c.state.subnets.get(s)?.vpcId).find(v => v !== undefined);
        return {
            id: a,
            checked: { name },
            computed: {
                arn: a,
                arnSuffix: suffix,
                dnsName,
                zoneId: (c.region === "us-east-1" ? LB_ZONE[type] : undefined) ?? `Z${upperAlnum(c.hex(24, "zone"))}`,
                ...(vpcId ? { vpcId } : {}),
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
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": c => ({ id: `${str(c.inputs.targetGroupArn) ?? "targetgroup"}-20260101000000${c.hex(12, "attachment")}` }),
};

export const ELBV2: ServiceModel = { resources };
