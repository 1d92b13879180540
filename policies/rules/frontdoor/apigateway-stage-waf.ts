import { PolicyResource } from "@pulumi/policy";
import { APIGW, dependsOn, Undecided } from "../../lib/apigateway";
import { label, stackIndex } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { configValue } from "../../lib/stack-config";
import { asArray, get, num, peek, show, UNKNOWN } from "../../lib/values";

/** Whether a WAF association names this stage: resourceArn depends on the stage, or (after up) equals its ARN. */
function associates(assoc: PolicyResource, stage: PolicyResource): boolean {
    if (dependsOn(assoc, "resourceArn", stage)) {
        return true;
    }
    const arn = peek(assoc.props, "resourceArn");
    const stageArn = peek(stage.props, "arn");
    return typeof arn === "string" && typeof stageArn === "string" && arn === stageArn;
}

/** What a web ACL rule does to a request it matches (AWS WAF Developer Guide, "Using rule actions in AWS WAF" and "Managed rule group override options"). */
function ruleEffect(rule: unknown): "block" | "allow" | "count" | typeof UNKNOWN {
    const action = peek(rule, "action");
    const override = peek(rule, "overrideAction");
    if (action === UNKNOWN || override === UNKNOWN) return UNKNOWN;
    if (peek(rule, "statement", "managedRuleGroupStatement") !== undefined || peek(rule, "statement", "ruleGroupReferenceStatement") !== undefined) {
        // A rule group's own rules act unless the group is overridden to count.
        return peek(override, "count") !== undefined ? "count" : "block";
    }
    if (peek(action, "block") !== undefined || peek(action, "captcha") !== undefined || peek(action, "challenge") !== undefined) return "block";
    if (peek(action, "allow") !== undefined) return "allow";
    return "count";
}

/** The rules of a web ACL in priority order (`rules`, or the `ruleJson` text). */
function aclRules(acl: PolicyResource): unknown[] | typeof UNKNOWN {
    const rules = peek(acl.props, "rules");
    if (rules === UNKNOWN) return UNKNOWN;
    let list = asArray(rules);
    const json = peek(acl.props, "ruleJson");
    if (json === UNKNOWN) return UNKNOWN;
    if (list.length === 0 && typeof json === "string") {
        try {
            list = asArray(JSON.parse(json) as unknown);
        } catch {
            list = [];
        }
    }
    return [...list].sort((a, b) => (num(peek(a, "priority")) ?? 0) - (num(peek(b, "priority")) ?? 0));
}

/**
 * Whether the web ACL blocks anything, and lets nothing past its blocking
 * rules: rules are evaluated by priority, lowest first, and Allow and Block
 * are terminating (AWS WAF Developer Guide, "Setting rule priority" and
 * "Using rule actions"): an Allow rule ahead of the blocking ones lets every
 * request it matches past them. The managed rule groups the catalog names
 * (platform.frontDoor.waf.managedRuleGroups) must each be there, not
 * overridden to count.
 */
function blockingProblems(rules: unknown[], configured: string[]): string[] {
    const problems: string[] = [];
    const effects = rules.map((r) => ({ name: String(peek(r, "name") ?? "?"), effect: ruleEffect(r), group: peek(r, "statement", "managedRuleGroupStatement", "name") }));
    const firstBlock = effects.findIndex((e) => e.effect === "block");
    if (rules.length > 0 && firstBlock < 0 && !effects.some((e) => e.effect === UNKNOWN)) problems.push("none of its rules blocks anything (each counts or allows)");
    const allowsAhead = effects.filter((e, i) => e.effect === "allow" && effects.slice(i + 1).some((x) => x.effect === "block"));
    for (const a of allowsAhead) problems.push(`rule ${show(a.name)} allows the requests it matches past the blocking rules after it`);
    for (const name of configured) {
        const e = effects.find((x) => x.group === name);
        if (!e) problems.push(`the catalog's managed rule group ${name} is missing`);
        else if (e.effect === "count") problems.push(`the catalog's managed rule group ${name} is overridden to count (it blocks nothing)`);
    }
    return problems;
}

export const apigatewayStageWaf = stackRule({
    name: "apigateway-stage-waf",
    description:
        "Every API Gateway stage has a WAF: an aws:wafv2/webAclAssociation:WebAclAssociation whose resourceArn is that stage, and whose web ACL (of this stack) is REGIONAL and blocks: some rule blocks, no Allow rule lets requests past the blocking rules, and the managed rule groups the catalog names are there, not overridden to count.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'Create new aws.wafv2.WebAclAssociation("<stage>-waf", { resourceArn: stage.arn, webAclArn: webAcl.arn }) with a REGIONAL aws.wafv2.WebAcl holding the AWS managed rule groups and a rate-based rule.',
    meta: {
        area: "frontdoor",
        rationale:
            "The stage is the internet-facing door; AWS WAF filters requests before they reach a method (API Gateway developer guide, \"Use AWS WAF to protect your REST APIs in API Gateway\": a regional web ACL associated with the stage ARN; AWS Security Hub control APIGateway.4). " +
            "A web ACL without rules only applies its default action; rules run by priority and Allow and Block stop the evaluation, so an Allow rule ahead of the managed groups lets what it matches past them, and a group overridden to count blocks nothing (AWS WAF Developer Guide, \"Setting rule priority\", \"Using rule actions in AWS WAF\", \"Managed rule group override options\").",
        equivalents: { cdkNag: ["AwsSolutions-APIG3"], checkov: ["CKV2_AWS_29", "CKV_AWS_175"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const associations = idx.ofType(APIGW.webAclAssociation);
        const configured = asArray(get(get(get(configValue("platform"), "frontDoor"), "waf"), "managedRuleGroups")).filter((g): g is string => typeof g === "string");
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
                    const rules = aclRules(acl);
                    const problems: string[] = [];
                    if (scope !== UNKNOWN && scope !== "REGIONAL") problems.push(`scope = ${show(scope ?? null)} (an API Gateway stage takes a REGIONAL web ACL)`);
                    if (rules !== UNKNOWN && rules.length === 0) problems.push("it has no rules (only its default action applies)");
                    if (rules !== UNKNOWN) problems.push(...blockingProblems(rules, configured));
                    if (scope === UNKNOWN) undecided.note(acl, "scope");
                    if (rules === UNKNOWN) undecided.note(acl, "rules");
                    if (problems.length > 0) {
                        report(`${label(acl)} protects ${stage.name} but ${problems.join("; ")}. Fix: scope: "REGIONAL" with the catalog's AWS managed rule groups (override none) and a blocking rate-based rule, and no Allow rule ahead of them.`, acl.urn);
                    }
                }
            }
        }
        undecided.settle();
    },
});
