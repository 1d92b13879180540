import { label, stackIndex, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";

export const vpcFlowLogsEnabled = stackRule({
    name: "vpc-flow-logs-enabled",
    description: "Every VPC has a flow log.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Create an aws.ec2.FlowLog with vpcId set to the VPC's id (trafficType ALL) for every service VPC.",
    meta: {
        area: "network",
        rationale: "Flow logs are the only record of what crossed a service VPC's network boundary; without them an isolation breach is invisible.",
        equivalents: { cdkNag: ["AwsSolutions-VPC7", "NIST.800.53.R5-VPCFlowLogsEnabled"], checkov: ["CKV2_AWS_11"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const covered = idx.namedBy(TYPES.flowLog, "vpcId");
        for (const vpc of idx.ofType(TYPES.vpc, TYPES.awsxVpc)) {
            if (!covered.has(vpc.urn)) {
                report(
                    `${label(vpc)} has no flow log: no aws:ec2/flowLog:FlowLog has a vpcId that depends on it. ` +
                        `Fix: add new aws.ec2.FlowLog("${vpc.name}-flow-log", { vpcId: <vpc>.id, trafficType: "ALL", ... }).`,
                    vpc.urn,
                );
            }
        }
    },
});
