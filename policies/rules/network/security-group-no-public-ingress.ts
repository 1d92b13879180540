import { isWorldCidr, rulesOf, worldCidrs } from "../../lib/net";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, str, text } from "../../lib/values";

const FIX = "Fix: admit only the VPC CIDR or a source security group (the NLB, the endpoint's security group).";

export const securityGroupNoPublicIngress = resourceRule({
    name: "security-group-no-public-ingress",
    description: "No security group admits traffic from 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Replace world CIDRs in ingress rules with the VPC CIDR or a source security group id.",
    meta: {
        area: "network",
        rationale: "Service VPCs are reachable only through PrivateLink; a world-open ingress rule is an exposure waiting for a route.",
        equivalents: {
            cdkNag: ["AwsSolutions-EC23", "NIST.800.53.R5-EC2RestrictedCommonPorts", "NIST.800.53.R5-EC2RestrictedSSH"],
            checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
            compliancePolicies: ["aws-ec2-securitygroup-disallow-public-internet-ingress"],
        },
    },
    validateResource: [
        ofType("aws:ec2/securityGroup:SecurityGroup", (props, args, report) => {
            rulesOf(props, "ingress").forEach((rule, i) => {
                for (const cidr of worldCidrs(rule)) {
                    report(`${subject(args)} ingress[${i}] admits ${cidr} (ports ${text(get(rule, "fromPort"))}-${text(get(rule, "toPort"))}). ${FIX}`);
                }
            });
        }),
        ofType("aws:ec2/securityGroupRule:SecurityGroupRule", (props, args, report) => {
            if (str(get(props, "type")) !== "ingress") {
                return;
            }
            for (const cidr of worldCidrs(props)) {
                report(`${subject(args)} (type ingress) admits ${cidr} (ports ${text(get(props, "fromPort"))}-${text(get(props, "toPort"))}). ${FIX}`);
            }
        }),
        ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", (props, args, report) => {
            for (const key of ["cidrIpv4", "cidrIpv6"]) {
                const v = get(props, key);
                if (isWorldCidr(v)) {
                    report(`${subject(args)} ${key} = ${text(v)} admits the whole internet. ${FIX}`);
                }
            }
        }),
    ],
});
