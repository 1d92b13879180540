import { label, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { outsideVpc } from "../../lib/subnets";
import { subnetsByVpc } from "../../lib/vpc-subnets";

export const subnetCidrInVpc = stackRule({
    name: "subnet-cidr-in-vpc",
    description: "Every subnet's IPv4 CIDR block lies inside one of its VPC's IPv4 blocks (EC2 refuses it with InvalidSubnet.Range otherwise).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Give the subnet a cidrBlock inside the VPC's cidrBlock (or inside a secondary block associated with the VPC). " +
        "In this platform the subnets are carved from platform.vpcCidr (components/catalog/cidr.ts): change vpcCidr or the number of zones, not one subnet.",
    meta: {
        area: "deployability",
        rationale:
            "CreateSubnet fails with InvalidSubnet.Range when the subnet's block is not within the VPC's IPv4 blocks (Amazon EC2 API Reference, " +
            "\"Error codes for the Amazon EC2 API\": InvalidSubnet.Range, \"The CIDR address is outside of the VPC's CIDR range\"; Amazon VPC User Guide, " +
            "\"Subnet CIDR blocks\": a subnet's block is the VPC's block or a subset of it). `pulumi up` would fail at the subnet, after the VPC was created.",
        afterUp: "a subnet whose cidrBlock or VPC block is computed from outputs is unknown in preview and is checked in `up`.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        for (const { vpc, blocks, subnets } of subnetsByVpc(idx)) {
            if (!blocks) continue;
            for (const { subnet, cidrBlock } of subnets) {
                if (outsideVpc(cidrBlock, blocks)) {
                    report(
                        `${label(subnet)} has cidrBlock ${cidrBlock}, outside its VPC ${label(vpc)} (${blocks.join(", ")}): CreateSubnet fails with InvalidSubnet.Range. ` +
                            `Fix: choose a cidrBlock inside ${blocks.join(" or ")}, or associate a secondary block with the VPC that contains it.`,
                        subnet.urn,
                    );
                }
            }
        }
    },
});
