import { ofType, resourceRule, subject } from "../../lib/rule";
import { asArray, bool, get, show } from "../../lib/values";

const FIX = "Fix: set associatePublicIpAddress: false; service hosts live in private subnets.";

export const ec2NoPublicIp = resourceRule({
    name: "ec2-no-public-ip",
    description: "EC2 instances, launch templates and launch configurations never associate a public IP address.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set associatePublicIpAddress: false on instances, on every network interface of a launch template, and on launch configurations.",
    meta: {
        area: "compute",
        rationale: "ECS-on-EC2 and EKS nodes are part of a service VPC; a public address defeats the no-IGW design the moment a route appears.",
        equivalents: {
            cdkNag: ["NIST.800.53.R5-EC2InstanceNoPublicIp"],
            checkov: ["CKV_AWS_88", "CKV_AWS_389"],
            compliancePolicies: ["aws-ec2-instance-disallow-public-ip", "aws-ec2-launchtemplate-disallow-public-ip"],
        },
    },
    validateResource: [
        ofType("aws:ec2/instance:Instance", (props, args, report) => {
            const v = get(props, "associatePublicIpAddress");
            if (bool(v) === true) {
                report(`${subject(args)} associatePublicIpAddress = ${show(v)}. ${FIX}`);
            }
        }),
        ofType("aws:ec2/launchTemplate:LaunchTemplate", (props, args, report) => {
            asArray(get(props, "networkInterfaces")).forEach((ni, i) => {
                const v = get(ni, "associatePublicIpAddress");
                if (bool(v) === true) {
                    report(`${subject(args)} networkInterfaces[${i}].associatePublicIpAddress = ${show(v)}. ${FIX}`);
                }
            });
        }),
        ofType("aws:ec2/launchConfiguration:LaunchConfiguration", (props, args, report) => {
            const v = get(props, "associatePublicIpAddress");
            if (bool(v) === true) {
                report(`${subject(args)} associatePublicIpAddress = ${show(v)}. ${FIX}`);
            }
        }),
    ],
});
