import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, show } from "../../lib/values";

export const lambdaUrlAuth = resourceRule({
    name: "lambda-url-auth",
    description: "Lambda function URLs require IAM authentication (authorizationType never NONE).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: 'Set authorizationType: "AWS_IAM", or better, remove the function URL and expose the function through its NLB/ALB and PrivateLink.',
    meta: {
        area: "compute",
        rationale: "A function URL with auth NONE is a public HTTPS endpoint that bypasses the VPC entirely.",
        equivalents: { checkov: ["CKV_AWS_258"] },
    },
    validateResource: ofType("aws:lambda/functionUrl:FunctionUrl", (props, args, report) => {
        const v = get(props, "authorizationType");
        if (v !== "AWS_IAM") {
            report(`${subject(args)} authorizationType = ${show(v ?? null)} makes the function publicly invokable. Fix: set authorizationType: "AWS_IAM" or remove the URL.`);
        }
    }),
});
