/**
 * A stack's subnets grouped by the VPC they are created in, and the VPC's
 * IPv4 blocks, for the subnet CIDR rules. A subnet belongs to the VPC its
 * `vpcId` depends on (known in preview) or names by id (known after `up`).
 * Values unknown in preview are left out, never guessed.
 */
import type { PolicyResource } from "@pulumi/policy";
import { StackIndex, T } from "./graph";
import { str } from "./values";

export const VPC_CIDR_ASSOCIATION = "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation";

export interface VpcSubnets {
    vpc: PolicyResource;
    /** The VPC's IPv4 blocks: its `cidrBlock` and associated secondary blocks; undefined when one is unknown. */
    blocks: string[] | undefined;
    subnets: { subnet: PolicyResource; cidrBlock: string }[];
}

export function subnetsByVpc(idx: StackIndex): VpcSubnets[] {
    const vpcs = idx.ofType(T.vpc);
    const byId = new Map<string, PolicyResource>();
    for (const v of vpcs) {
        const id = str(idx.prop(v, "id"));
        if (id) byId.set(id, v);
    }
    const out = new Map<string, VpcSubnets>();
    for (const vpc of vpcs) {
        const own = str(idx.prop(vpc, "cidrBlock"));
        const secondary = idx.ofType(VPC_CIDR_ASSOCIATION)
            .filter(a => idx.propDeps(a, "vpcId").some(d => d.urn === vpc.urn) || (str(idx.prop(a, "vpcId")) !== undefined && byId.get(str(idx.prop(a, "vpcId"))!) === vpc))
            .map(a => str(idx.prop(a, "cidrBlock")));
        const blocks = [own, ...secondary];
        out.set(vpc.urn, { vpc, blocks: blocks.every((b): b is string => b !== undefined) ? blocks : undefined, subnets: [] });
    }
    for (const subnet of idx.ofType(T.subnet)) {
        const cidrBlock = str(idx.prop(subnet, "cidrBlock"));
        if (!cidrBlock) continue;
        const vpc = idx.propDeps(subnet, "vpcId").find(d => out.has(d.urn)) ?? byId.get(str(idx.prop(subnet, "vpcId")) ?? "");
        if (vpc) out.get(vpc.urn)!.subnets.push({ subnet, cidrBlock });
    }
    return [...out.values()];
}
