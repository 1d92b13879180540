import { ofType, resourceRule, subject } from "../../lib/rule";
import { bool, get } from "../../lib/values";

export const subnetNoPublicIp = resourceRule({
    name: "subnet-no-public-ip",
    description: "Subnets never map public IP addresses on launch.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set mapPublicIpOnLaunch: false (or leave it unset) on every subnet of a service VPC.",
    meta: {
        area: "network",
        rationale: "Service VPCs have private subnets only; a public address on an ENI is an exposure as soon as a route appears.",
        equivalents: { cdkNag: ["NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled"], checkov: ["CKV_AWS_130"] },
    },
    validateResource: ofType("aws:ec2/subnet:Subnet", (props, args, report) => {
        for (const key of ["mapPublicIpOnLaunch", "mapCustomerOwnedIpOnLaunch"]) {
            if (bool(get(props, key)) === true) {
                report(`${subject(args)} sets ${key} = true. Fix: set ${key}: false; service subnets are private.`);
            }
        }
    }),
});
