import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, present, show } from "../../lib/values";

export const lambdaPermissionScoped = resourceRule({
    name: "lambda-permission-scoped",
    description: "Lambda permissions name a specific principal (never *) and carry a sourceArn.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set principal to the invoking service (e.g. elasticloadbalancing.amazonaws.com) and sourceArn to the invoking resource (e.g. the target group ARN).",
    meta: {
        area: "compute",
        rationale: "Without sourceArn any resource of that service in any account can invoke the function (confused deputy); * invites everyone.",
        equivalents: { checkov: ["CKV_AWS_364", "CKV_AWS_301"], compliancePolicies: ["aws-lambda-permission-configure-source-arn"] },
    },
    validateResource: ofType("aws:lambda/permission:Permission", (props, args, report) => {
        const principal = get(props, "principal");
        if (typeof principal === "string" && principal.includes("*")) {
            report(`${subject(args)} principal = ${show(principal)} lets anyone invoke the function. Fix: name the invoking service or account.`);
        }
        if (!present(props, "sourceArn")) {
            report(`${subject(args)} sourceArn = ${show(get(props, "sourceArn") ?? null)}. Fix: set sourceArn to the invoking resource's ARN (e.g. the target group).`);
        }
    }),
});
