import { ofType, resourceRule, subject } from "../../lib/rule";
import { bool, get, show } from "../../lib/values";

export const ecrScanOnPush = resourceRule({
    name: "ecr-scan-on-push",
    description: "ECR repositories scan images on push.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Set imageScanningConfiguration: { scanOnPush: true } (or enable enhanced scanning at registry level).",
    meta: {
        area: "registry",
        rationale: "Known-vulnerable images should be caught before a service runs them.",
        equivalents: {
            checkov: ["CKV_AWS_163"],
            compliancePolicies: ["aws-ecr-repository-enable-image-scan", "aws-ecr-repository-configure-image-scan"],
        },
    },
    validateResource: ofType("aws:ecr/repository:Repository", (props, args, report) => {
        const cfg = get(props, "imageScanningConfiguration");
        const v = get(cfg, "scanOnPush");
        if (bool(v) !== true) {
            report(`${subject(args)} imageScanningConfiguration.scanOnPush = ${show(v ?? null)}. Fix: set imageScanningConfiguration: { scanOnPush: true }.`);
        }
    }),
});
