import { APIGW } from "../../lib/apigateway";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { peek, present, show } from "../../lib/values";

export const apigatewayStageAccessLogging = resourceRule({
    name: "apigateway-stage-access-logging",
    description: "Every API Gateway stage writes access logs: accessLogSettings with a destinationArn and a format.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Set accessLogSettings: { destinationArn: <log group>.arn, format: JSON.stringify({ requestId: "$context.requestId", ip: "$context.identity.sourceIp", ... }) } on the stage (the log group encrypted and retained: apigateway-access-log-group).',
    meta: {
        area: "frontdoor",
        rationale:
            "Access logs are the only record of who called the internet-facing API and how (API Gateway developer guide, \"Set up CloudWatch logging for REST APIs in API Gateway\": access logging needs a destination ARN and a $context format). " +
            "Stage logging also needs the account-level CloudWatch role (aws.apigateway.Account) in the Region.",
        equivalents: { cdkNag: ["AwsSolutions-APIG1"], checkov: ["CKV_AWS_76"] },
    },
    validateResource: ofType(APIGW.stage, (props, args, report) => {
        const settings = peek(props, "accessLogSettings");
        const missing = ["destinationArn", "format"].filter((k) => !present(settings, k));
        if (missing.length > 0) {
            report(
                `${subject(args)} accessLogSettings = ${show(settings ?? null)}: ${missing.join(" and ")} not set, so calls through the front door leave no access log. ` +
                    "Fix: set accessLogSettings.destinationArn to the front door's access-log group ARN and accessLogSettings.format to a $context format.",
            );
        }
    }),
});
