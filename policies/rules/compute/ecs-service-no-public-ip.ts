import { ofType, resourceRule, subject } from "../../lib/rule";
import { bool, get, show } from "../../lib/values";

export const ecsServiceNoPublicIp = resourceRule({
    name: "ecs-service-no-public-ip",
    description: "ECS services never assign public IPs to tasks (networkConfiguration.assignPublicIp false).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set networkConfiguration: { subnets: <private subnets>, securityGroups: [...], assignPublicIp: false }.",
    meta: {
        area: "compute",
        rationale: "A task with a public IP is addressable from outside the moment its subnet gains a route; awsx defaults even pick public subnets.",
        equivalents: { checkov: ["CKV_AWS_333"] },
    },
    validateResource: [
        ofType("aws:ecs/service:Service", (props, args, report) => {
            const v = get(get(props, "networkConfiguration"), "assignPublicIp");
            if (bool(v) === true) {
                report(`${subject(args)} networkConfiguration.assignPublicIp = ${show(v)}. Fix: set assignPublicIp: false.`);
            }
        }),
        ofType("awsx:ecs:FargateService", (props, args, report) => {
            const nc = get(props, "networkConfiguration");
            const v = get(nc, "assignPublicIp");
            if (nc === undefined) {
                report(`${subject(args)} has no networkConfiguration, so awsx places tasks in the default VPC's public subnets with public IPs. Fix: pass networkConfiguration with private subnets and assignPublicIp: false.`);
            } else if (bool(v) !== false) {
                report(`${subject(args)} networkConfiguration.assignPublicIp = ${show(v ?? null)} (awsx defaults to true). Fix: set assignPublicIp: false.`);
            }
        }),
    ],
});
