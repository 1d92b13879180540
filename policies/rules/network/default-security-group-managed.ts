import { label, stackIndex, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";

const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";

export const defaultSecurityGroupManaged = stackRule({
    name: "default-security-group-managed",
    description: "Every VPC's default security group is taken under management (an aws.ec2.DefaultSecurityGroup whose vpcId depends on the VPC), so its AWS defaults are removed.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Add new aws.ec2.DefaultSecurityGroup(\"<vpc>-default\", { vpcId: <vpc>.id, ingress: [], egress: [] }) for every VPC.",
    meta: {
        area: "network",
        rationale: "Left alone, AWS's default group allows all egress and all traffic between its members; only managing it empties it.",
        equivalents: { cdkNag: ["NIST.800.53.R5-VPCDefaultSecurityGroupClosed"], checkov: ["CKV2_AWS_12"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const managed = idx.namedBy(DEFAULT_SG, "vpcId");
        for (const vpc of idx.ofType(TYPES.vpc)) {
            if (!managed.has(vpc.urn)) {
                report(
                    `${label(vpc)} has no aws:ec2/defaultSecurityGroup:DefaultSecurityGroup whose vpcId depends on it, so its default group keeps AWS's allow rules. ` +
                        `Fix: add an aws.ec2.DefaultSecurityGroup for it with ingress: [] and egress: [].`,
                    vpc.urn,
                );
            }
        }
    },
});
