import { APIGW, Undecided } from "../../lib/apigateway";
import { label, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { num, peek, present, show, UNKNOWN } from "../../lib/values";

export const apigatewayAccessLogGroup = stackRule({
    name: "apigateway-access-log-group",
    description:
        "A stage's access logs go to a CloudWatch log group of this stack that is encrypted with a KMS key (kmsKeyId) and retained for a bounded time (retentionInDays > 0).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
        "Create the access-log group in the front door (new aws.cloudwatch.LogGroup(..., { kmsKeyId: <platform key>.arn, retentionInDays: <platform logRetentionDays> })) and pass its arn as accessLogSettings.destinationArn.",
    meta: {
        area: "frontdoor",
        rationale:
            "Access logs hold client IPs, identities and paths of every call from the internet: encrypt them with the platform key and keep them for the platform's retention (CloudWatch Logs user guide, \"Encrypt log data in CloudWatch Logs using AWS KMS\"; a log group without retentionInDays keeps data forever). " +
            "A pasted ARN of a group outside the stack cannot be checked.",
        equivalents: { checkov: ["CKV_AWS_158", "CKV_AWS_66"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const undecided = new Undecided();
        for (const stage of idx.ofType(APIGW.stage)) {
            const settings = peek(stage.props, "accessLogSettings");
            if (settings === UNKNOWN) {
                undecided.note(stage, "accessLogSettings");
                continue;
            }
            if (settings === undefined || !present(settings, "destinationArn")) {
                continue; // no access logs at all: apigateway-stage-access-logging reports it
            }
            const groups = idx.propDeps(stage, "accessLogSettings").filter((d) => d.type === APIGW.logGroup);
            if (groups.length === 0) {
                report(
                    `${label(stage)} accessLogSettings.destinationArn = ${show(peek(settings, "destinationArn"))} is not a log group of this stack, so its encryption and retention cannot be checked. ` +
                        "Fix: create the log group in the front door and pass <logGroup>.arn.",
                    stage.urn,
                );
                continue;
            }
            for (const g of groups) {
                const problems: string[] = [];
                if (!present(g.props, "kmsKeyId") && (g.propertyDependencies?.kmsKeyId ?? []).length === 0) problems.push("no kmsKeyId");
                const days = peek(g.props, "retentionInDays");
                if (days === UNKNOWN) undecided.note(g, "retentionInDays");
                else if (!((num(days) ?? 0) > 0)) problems.push(`retentionInDays = ${show(days ?? "(unset: never expire)")}`);
                if (problems.length > 0) {
                    report(`${label(g)} holds the access logs of ${stage.name} with ${problems.join(" and ")}. Fix: set kmsKeyId to the platform key's ARN and retentionInDays to the platform's log retention.`, g.urn);
                }
            }
        }
        undecided.settle();
    },
});
