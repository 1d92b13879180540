import { label, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { overlappingSibling } from "../../lib/subnets";
import { subnetsByVpc } from "../../lib/vpc-subnets";

export const subnetsNoOverlap = stackRule({
    name: "subnets-no-overlap",
    description: "No two subnets of one VPC have overlapping CIDR blocks (EC2 refuses the second with InvalidSubnet.Conflict). Subnets of different VPCs may overlap.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Give each subnet of a VPC its own block. In this platform the subnets are carved from platform.vpcCidr, one per zone and tier " +
        "(components/catalog/cidr.ts); a hand-added subnet must take a block none of them uses.",
    meta: {
        area: "deployability",
        rationale:
            "CreateSubnet fails with InvalidSubnet.Conflict when the block overlaps another subnet of the VPC (Amazon EC2 API Reference, " +
            "\"Error codes for the Amazon EC2 API\": InvalidSubnet.Conflict, \"The specified CIDR block conflicts with that of another subnet in your VPC\"; " +
            "Amazon VPC User Guide, \"Subnet CIDR blocks\"). Different VPCs may reuse ranges: PrivateLink tolerates overlap.",
        afterUp: "a subnet whose cidrBlock is computed from outputs is unknown in preview and is checked in `up`.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        for (const { vpc, subnets } of subnetsByVpc(idx)) {
            subnets.forEach(({ subnet, cidrBlock }, i) => {
                const other = overlappingSibling(cidrBlock, subnets.slice(0, i));
                if (other) {
                    report(
                        `${label(subnet)} (cidrBlock ${cidrBlock}) overlaps ${label(other.subnet)} (${other.cidrBlock}) in VPC ${label(vpc)}: ` +
                            `CreateSubnet fails with InvalidSubnet.Conflict. Fix: give ${label(subnet)} a block of ${label(vpc)} that no other subnet of it uses.`,
                        subnet.urn,
                    );
                }
            });
        }
    },
});
