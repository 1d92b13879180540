import { publicRules, SG, SG_INGRESS, SG_RULE } from "../../lib/net";
import { ofTypes, resourceRule, subject } from "../../lib/rule";

const FIX = "Fix: admit only the VPC CIDR or a source security group (the NLB, the endpoint's security group).";

export const securityGroupNoPublicIngress = resourceRule({
    name: "security-group-no-public-ingress",
    description: "No security group admits traffic from public address space (any address outside RFC 1918, RFC 6598, IPv6 ULA/link-local and the platform's VPC range), however the CIDRs are split.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Replace public CIDRs in ingress rules with the VPC CIDR or a source security group id.",
    meta: {
        area: "network",
        rationale:
            "Service VPCs are reachable only through PrivateLink; an ingress rule naming public addresses is an exposure waiting for a route. " +
            "Judged on what the CIDRs cover (0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0): private space is RFC 1918 (https://www.rfc-editor.org/rfc/rfc1918), RFC 6598 (https://www.rfc-editor.org/rfc/rfc6598), RFC 4193 and fe80::/10 (RFC 4291).",
        equivalents: {
            cdkNag: ["AwsSolutions-EC23", "NIST.800.53.R5-EC2RestrictedCommonPorts", "NIST.800.53.R5-EC2RestrictedSSH"],
            checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
            compliancePolicies: ["aws-ec2-securitygroup-disallow-public-internet-ingress"],
        },
    },
    validateResource: ofTypes([SG, SG_RULE, SG_INGRESS], (props, args, report) => {
        publicRules(args.type, props, "ingress", (f) =>
            report(`${subject(args)} ${f.where} admits ${f.cidrs.join(", ")} (public address space; ${f.ports})${f.union}. ${FIX}`),
        );
    }),
});
