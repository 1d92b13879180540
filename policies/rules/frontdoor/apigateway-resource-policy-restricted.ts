import { PolicyResource } from "@pulumi/policy";
import { APIGW, Undecided } from "../../lib/apigateway";
import { nowOf } from "../../lib/exemptions";
import { label, stackIndex, StackIndex, TYPES } from "../../lib/graph";
import { accountNamed, declares, describeSet, environmentIdentity, IDENTITY_CONFIG_SCHEMA, IdentityConfig, IdentitySet } from "../../lib/identity";
import { grantsAction, parsePolicyDocument, principalValues, Statement, statementName } from "../../lib/policydoc";
import { stackRule } from "../../lib/rule";
import { peek, show, UNKNOWN } from "../../lib/values";

/** A REST API's resource policy: inline on the API, or its own resource. */
const REST_API_POLICY = "aws:apigateway/restApiPolicy:RestApiPolicy";

/** Positive operators whose values are whom an Allow admits (IAM User Guide, "IAM JSON policy elements: Condition operators"). */
const POSITIVE = /^(forallvalues:|foranyvalue:)?(stringequals|stringequalsignorecase|stringlike|arnequals|arnlike)(ifexists)?$/;
const IDENTITY_KEYS = ["aws:principalaccount", "aws:principalarn", "aws:principalorgid"];
const SOURCE_KEYS: Record<string, string> = { "aws:sourcevpc": TYPES.vpc, "aws:sourcevpce": TYPES.vpcEndpoint };

/**
 * What restricts an Allow to the environment: a positive condition on the
 * caller's account, ARN or organization whose every value the identity set
 * declares, or on the VPC or VPC endpoint the request comes through whose
 * every value is one of this plan's. UNKNOWN when a value is unknown.
 */
function restriction(idx: StackIndex, s: Statement, set: IdentitySet): string | undefined | typeof UNKNOWN {
    for (const [op, keys] of Object.entries(s.conditions)) {
        if (!POSITIVE.test(op)) continue;
        for (const [key, values] of Object.entries(keys)) {
            if (values.length === 0) continue;
            if (IDENTITY_KEYS.includes(key)) {
                if (values.every((v) => (key === "aws:principalorgid" ? declares(set, v).own : accountNamed(v) !== undefined && declares(set, accountNamed(v)!).own))) return `${key} ${values.join(", ")}`;
            }
            const type = SOURCE_KEYS[key];
            if (type && values.every((v) => idx.graph.carrying(v, [type]).length > 0)) return `${key} ${values.join(", ")}`;
        }
    }
    return undefined;
}

export const apigatewayResourcePolicyRestricted = stackRule({
    name: "apigateway-resource-policy-restricted",
    description:
        "A REST API's resource policy admits no caller outside the environment to its AWS_IAM routes: an Allow of execute-api to the `*` principal (or an account outside the identity set) is conditioned on the caller's account, ARN or organization within the environment (aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID), or on a VPC or VPC endpoint of this plan (aws:SourceVpc, aws:SourceVpce).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'Remove the API\'s resource policy (the front door needs none), or condition its Allow on the environment: "Condition": {"StringEquals": {"aws:PrincipalAccount": [<the environment\'s accounts>]}}.',
    configSchema: { properties: { ...IDENTITY_CONFIG_SCHEMA } },
    meta: {
        area: "frontdoor",
        rationale:
            "For a method with AWS_IAM authorization, API Gateway grants a caller of another account when both the API's resource policy and the caller's own IAM policy allow it, and a caller of the API's account when either does " +
            "(API Gateway developer guide, \"How API Gateway resource policies affect authorization workflow\", tables A and B): a resource policy that allows `*` therefore opens every AWS_IAM route to every AWS account, whose own policies its owners write. " +
            "Cognito and Lambda authorizers still run after the resource policy (same page), so they are not widened. The caller's identity is read from the condition keys the IAM User Guide documents (\"AWS global condition context keys\").",
        equivalents: {},
        afterUp: "a policy document built from another resource's outputs is known after up.",
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const apis = idx.ofType(APIGW.restApi);
        if (apis.length === 0) return;
        const set = environmentIdentity(args.getConfig<IdentityConfig>(), nowOf(args));
        const undecided = new Undecided();
        const methods = idx.ofType(APIGW.method);
        const documents: { api: PolicyResource; holder: PolicyResource }[] = [
            ...apis.map((api) => ({ api, holder: api })),
            ...idx.ofType(REST_API_POLICY).flatMap((p) => idx.propDeps(p, "restApiId").filter((a) => a.type === APIGW.restApi).map((api) => ({ api, holder: p }))),
        ];
        for (const { api, holder } of documents) {
            const raw = peek(holder.props, "policy");
            if (raw === undefined || raw === "") continue;
            if (raw === UNKNOWN) {
                undecided.note(holder, "policy");
                continue;
            }
            const iamRoutes = methods.filter((m) => idx.propDeps(m, "restApi").some((a) => a.urn === api.urn) && peek(m.props, "authorization") === "AWS_IAM");
            if (iamRoutes.length === 0) continue;
            const doc = parsePolicyDocument(raw);
            for (const s of doc.statements) {
                if (!grantsAction(s, "execute-api:Invoke")) continue;
                const admitted = principalValues(s).filter((p) => p.value === "*" || (p.kind === "AWS" && (() => {
                    const a = accountNamed(p.value);
                    return a === undefined || !declares(set, a).own;
                })()));
                if (admitted.length === 0) continue;
                const r = restriction(idx, s, set);
                if (r !== undefined) continue;
                report(
                    `${label(holder)} statement ${statementName(s)} allows execute-api:Invoke to ${admitted.map((p) => show(p.value)).join(", ")} with no condition restricting the caller to the environment (${describeSet(set)}): ` +
                        `any AWS account whose own IAM policy allows it may call the API's AWS_IAM routes (${iamRoutes.map((m) => m.name).slice(0, 5).join(", ")}${iamRoutes.length > 5 ? ", ..." : ""}). ` +
                        'Fix: remove the resource policy, or add "Condition": {"StringEquals": {"aws:PrincipalAccount": [<the environment\'s accounts>]}}.',
                    holder.urn,
                );
            }
        }
        undecided.settle();
    },
});
