import { LOAD_BALANCER_TYPES } from "../../lib/graph";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { bool, get, show, str } from "../../lib/values";

export const loadBalancerAccessLogs = resourceRule({
    name: "load-balancer-access-logs",
    description: "Load balancers write access logs to an S3 bucket.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Set accessLogs: { bucket: <log bucket>, enabled: true } (the bucket policy must let the ELB log delivery principal write).",
    meta: {
        area: "compute",
        rationale: "Access logs record who reached a service through its NLB/ALB; hygiene, so advisory by default.",
        equivalents: {
            cdkNag: ["AwsSolutions-ELB2", "NIST.800.53.R5-ELBLoggingEnabled"],
            checkov: ["CKV_AWS_91"],
            compliancePolicies: [
                "aws-lb-loadbalancer-enable-access-logging",
                "aws-lb-loadbalancer-configure-access-logging",
                "aws-alb-loadbalancer-enable-access-logging",
                "aws-alb-loadbalancer-configure-access-logging",
            ],
        },
    },
    validateResource: ofTypes(LOAD_BALANCER_TYPES, (props, args, report) => {
        const logs = get(props, "accessLogs");
        if (logs === undefined || logs === null) {
            report(`${subject(args)} has no accessLogs. Fix: set accessLogs: { bucket: <bucket>, enabled: true }.`);
            return;
        }
        const enabled = get(logs, "enabled");
        const bucket = str(get(logs, "bucket"));
        if (bool(enabled) === false) {
            report(`${subject(args)} accessLogs.enabled = ${show(enabled)}. Fix: set accessLogs.enabled: true.`);
        }
        if (!bucket) {
            report(`${subject(args)} accessLogs.bucket is ${show(get(logs, "bucket") ?? null)}. Fix: name the S3 bucket that receives the logs.`);
        }
    }),
});
