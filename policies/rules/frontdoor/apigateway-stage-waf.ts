import { PolicyResource } from "@pulumi/policy";
import { APIGW, dependsOn, Undecided } from "../../lib/apigateway";
import { label, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { asArray, peek, show, UNKNOWN } from "../../lib/values";

/** Whether a WAF association names this stage: resourceArn depends on the stage, or (after up) equals its ARN. */
function associates(assoc: PolicyResource, stage: PolicyResource): boolean {
    if (dependsOn(assoc, "resourceArn", stage)) {
        return true;
    }
    const arn = peek(assoc.props, "resourceArn");
    const stageArn = peek(stage.props, "arn");
    return typeof arn === "string" && typeof stageArn === "string" && arn === stageArn;
}

export const apigatewayStageWaf = stackRule({
    name: "apigateway-stage-waf",
    description:
        "Every API Gateway stage has a WAF: an aws:wafv2/webAclAssociation:WebAclAssociation whose resourceArn is that stage, and whose web ACL (of this stack) is REGIONAL and has rules.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'Create new aws.wafv2.WebAclAssociation("<stage>-waf", { resourceArn: stage.arn, webAclArn: webAcl.arn }) with a REGIONAL aws.wafv2.WebAcl holding the AWS managed rule groups and a rate-based rule.',
    meta: {
        area: "frontdoor",
        rationale:
            "The stage is the internet-facing door; AWS WAF filters requests before they reach a method (API Gateway developer guide, \"Use AWS WAF to protect your REST APIs in API Gateway\": a regional web ACL associated with the stage ARN; AWS Security Hub control APIGateway.4). " +
            "A web ACL without rules only applies its default action.",
        equivalents: { cdkNag: ["AwsSolutions-APIG3"], checkov: ["CKV2_AWS_29", "CKV_AWS_175"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const associations = idx.ofType(APIGW.webAclAssociation);
        const undecided = new Undecided();
        for (const stage of idx.ofType(APIGW.stage)) {
            const mine = associations.filter((a) => associates(a, stage));
            if (mine.length === 0) {
                report(
                    `${label(stage)} has no WAF: no aws:wafv2/webAclAssociation:WebAclAssociation has a resourceArn that depends on it. ` +
                        `Fix: add new aws.wafv2.WebAclAssociation("${stage.name}-waf", { resourceArn: <stage>.arn, webAclArn: <webAcl>.arn }).`,
                    stage.urn,
                );
                continue;
            }
            for (const a of mine) {
                const acls = idx.propDeps(a, "webAclArn").filter((d) => d.type === APIGW.webAcl);
                if (acls.length === 0) {
                    report(`${label(a)} webAclArn does not come from a web ACL of this stack, so its rules cannot be checked. Fix: pass <webAcl>.arn of the front door's aws.wafv2.WebAcl.`, a.urn);
                    continue;
                }
                for (const acl of acls) {
                    const scope = peek(acl.props, "scope");
                    const rules = peek(acl.props, "rules");
                    const problems: string[] = [];
                    if (scope !== UNKNOWN && scope !== "REGIONAL") problems.push(`scope = ${show(scope ?? null)} (an API Gateway stage takes a REGIONAL web ACL)`);
                    if (rules !== UNKNOWN && asArray(rules).length === 0 && peek(acl.props, "ruleJson") === undefined) problems.push("it has no rules (only its default action applies)");
                    if (scope === UNKNOWN) undecided.note(acl, "scope");
                    if (rules === UNKNOWN) undecided.note(acl, "rules");
                    if (problems.length > 0) {
                        report(`${label(acl)} protects ${stage.name} but ${problems.join("; ")}. Fix: scope: "REGIONAL" with the AWS managed rule groups and a rate-based rule.`, acl.urn);
                    }
                }
            }
        }
        undecided.settle();
    },
});
