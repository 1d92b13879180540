import { publicRules, SG, SG_EGRESS, SG_RULE } from "../../lib/net";
import { ofTypes, resourceRule, subject } from "../../lib/rule";

const FIX =
    "Fix: limit egress to the VPC CIDR (AWS-service interface endpoints, PrivateLink endpoints) and the S3 gateway endpoint's prefix list; service VPCs have no path to public addresses.";

export const securityGroupRestrictedEgress = resourceRule({
    name: "security-group-restricted-egress",
    description: "No security group allows egress to public address space (any protocol), however the CIDRs are split.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Replace public destination CIDRs with the VPC CIDR or the S3 gateway endpoint's prefix list id.",
    meta: {
        area: "network",
        rationale:
            "Unlimited egress is how a compromised task exfiltrates once any path out exists; egress is part of the isolation boundary. Judged on the destinations covered, not on protocol -1: " +
            "TCP 443 to 0.0.0.0/1 + 128.0.0.0/1 is egress to the world. AWS-service destinations are reached through VPC endpoints (VPC CIDR) and the S3 gateway's AWS-managed prefix list " +
            "(https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html).",
        equivalents: { checkov: ["CKV_AWS_382"] },
    },
    validateResource: ofTypes([SG, SG_RULE, SG_EGRESS], (props, args, report) => {
        publicRules(args.type, props, "egress", (f) =>
            report(`${subject(args)} ${f.where} allows egress (${f.ports}) to ${f.cidrs.join(", ")} (public address space)${f.union}. ${FIX}`),
        );
    }),
});
