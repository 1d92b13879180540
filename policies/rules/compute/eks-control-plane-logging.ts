import { EKS_CLUSTER, EKS_COMPONENT, eksSettings } from "../../lib/eks";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { asStrings } from "../../lib/values";

export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export const eksControlPlaneLogging = resourceRule({
    name: "eks-control-plane-logging",
    description: "EKS clusters send all control-plane logs (api, audit, authenticator, controllerManager, scheduler) to CloudWatch.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: `Set enabledClusterLogTypes: ${JSON.stringify(EKS_LOG_TYPES)}.`,
    meta: {
        area: "compute",
        rationale: "Audit and authenticator logs are the record of who did what to a cluster.",
        equivalents: { cdkNag: ["AwsSolutions-EKS2"], checkov: ["CKV_AWS_37"] },
    },
    validateResource: ofTypes([EKS_CLUSTER, EKS_COMPONENT], (props, args, report) => {
        const s = eksSettings(args.type, props);
        const have = asStrings(s.logTypes);
        const missing = EKS_LOG_TYPES.filter((t) => !have.includes(t));
        if (missing.length > 0) {
            report(`${subject(args)} ${s.paths.logTypes} lacks ${JSON.stringify(missing)}. Fix: set ${s.paths.logTypes}: ${JSON.stringify(EKS_LOG_TYPES)}.`);
        }
    }),
});
