import { ofType, resourceRule, subject } from "../../lib/rule";
import { rulesOf } from "../../lib/net";
import { show } from "../../lib/values";

export const defaultSecurityGroupNoRules = resourceRule({
    name: "default-security-group-no-rules",
    description: "The default security group of a VPC has no ingress or egress rules.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Manage the default security group with aws.ec2.DefaultSecurityGroup and give it no ingress and no egress entries; put workloads in their own security groups.",
    meta: {
        area: "network",
        rationale: "Anything launched without an explicit security group lands in the default one; it must admit nothing.",
        equivalents: { cdkNag: ["NIST.800.53.R5-VPCDefaultSecurityGroupClosed"], checkov: ["CKV2_AWS_12"] },
    },
    validateResource: ofType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", (props, args, report) => {
        for (const key of ["ingress", "egress"] as const) {
            const rules = rulesOf(props, key);
            if (rules.length > 0) {
                report(`${subject(args)} has ${rules.length} ${key} rule(s) (${key} = ${show(rules)}). Fix: set ${key}: [] on the default security group.`);
            }
        }
    }),
});
