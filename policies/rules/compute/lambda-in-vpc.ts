import { ofType, resourceRule, subject } from "../../lib/rule";
import { asArray, get } from "../../lib/values";

export const lambdaInVpc = resourceRule({
    name: "lambda-in-vpc",
    description: "Every Lambda function runs in its service VPC (vpcConfig with subnets and security groups).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set vpcConfig: { subnetIds: <service private subnets>, securityGroupIds: [<function SG>] }.",
    meta: {
        area: "compute",
        rationale: "A function outside a VPC has internet access and is outside the service's isolation boundary.",
        equivalents: { cdkNag: ["NIST.800.53.R5-LambdaInsideVPC"], checkov: ["CKV_AWS_117"] },
    },
    validateResource: ofType("aws:lambda/function:Function", (props, args, report) => {
        const vpc = get(props, "vpcConfig");
        const subnets = asArray(get(vpc, "subnetIds"));
        if (subnets.length === 0) {
            report(`${subject(args)} vpcConfig.subnetIds is ${vpc === undefined ? "unset (no vpcConfig)" : "empty"}. Fix: set vpcConfig: { subnetIds: <service private subnets>, securityGroupIds: [...] }.`);
        } else if (asArray(get(vpc, "securityGroupIds")).length === 0) {
            report(`${subject(args)} vpcConfig.securityGroupIds is empty. Fix: give the function its own security group.`);
        }
    }),
});
