import { isAllProtocols, isWorldCidr, rulesOf, worldCidrs } from "../../lib/net";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, str, text } from "../../lib/values";

const FIX = "Fix: limit egress to the ports and destinations the workload needs (e.g. TCP 443 to the VPC CIDR for AWS-service endpoints).";

export const securityGroupRestrictedEgress = resourceRule({
    name: "security-group-restricted-egress",
    description: "No security group allows all-protocol egress to 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Replace protocol -1 egress to world CIDRs with specific protocols, ports and destinations.",
    meta: {
        area: "network",
        rationale: "Unlimited egress is how a compromised task exfiltrates once any path out exists; egress is part of the isolation boundary.",
        equivalents: { checkov: ["CKV_AWS_382"] },
    },
    validateResource: [
        ofType("aws:ec2/securityGroup:SecurityGroup", (props, args, report) => {
            rulesOf(props, "egress").forEach((rule, i) => {
                if (!isAllProtocols(get(rule, "protocol"))) {
                    return;
                }
                for (const cidr of worldCidrs(rule)) {
                    report(`${subject(args)} egress[${i}] allows protocol ${text(get(rule, "protocol"))} (all) to ${cidr}. ${FIX}`);
                }
            });
        }),
        ofType("aws:ec2/securityGroupRule:SecurityGroupRule", (props, args, report) => {
            if (str(get(props, "type")) !== "egress" || !isAllProtocols(get(props, "protocol"))) {
                return;
            }
            for (const cidr of worldCidrs(props)) {
                report(`${subject(args)} (type egress) allows protocol ${text(get(props, "protocol"))} (all) to ${cidr}. ${FIX}`);
            }
        }),
        ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", (props, args, report) => {
            if (!isAllProtocols(get(props, "ipProtocol"))) {
                return;
            }
            for (const key of ["cidrIpv4", "cidrIpv6"]) {
                const v = get(props, key);
                if (isWorldCidr(v)) {
                    report(`${subject(args)} ipProtocol -1 with ${key} = ${text(v)} allows all egress. ${FIX}`);
                }
            }
        }),
    ],
});
