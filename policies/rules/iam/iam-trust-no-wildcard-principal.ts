import { parsePolicyDocument, statementName, wildcardPrincipalGrants } from "../../lib/policydoc";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get } from "../../lib/values";

export const iamTrustNoWildcardPrincipal = resourceRule({
    name: "iam-trust-no-wildcard-principal",
    description: "No role's trust policy allows the `*` principal.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Trust the specific service (ecs-tasks.amazonaws.com, lambda.amazonaws.com, ...) or account/role ARNs.",
    meta: {
        afterUp: "the trust policy is unknown in preview when it names ARNs or accounts from outputs.",
        area: "iam",
        rationale: "A * principal lets any AWS account assume the role.",
        equivalents: { checkov: ["CKV_AWS_60", "CKV_AWS_61"] },
    },
    validateResource: ofType("aws:iam/role:Role", (props, args, report) => {
        const doc = parsePolicyDocument(get(props, "assumeRolePolicy"));
        if (doc.error) {
            report(`${subject(args)} assumeRolePolicy ${doc.error}. Fix: pass a valid JSON trust policy.`);
            return;
        }
        for (const { statement, shown } of wildcardPrincipalGrants(doc)) {
            report(`${subject(args)} assumeRolePolicy statement ${statementName(statement)} trusts Principal ${shown}. Fix: trust only the service or role that uses it.`);
        }
        for (const s of doc.statements) {
            if (s.effect === "Allow" && s.notPrincipals) {
                report(`${subject(args)} assumeRolePolicy statement ${statementName(s)} uses NotPrincipal with Allow, which trusts everyone else. Fix: use Principal.`);
            }
        }
    }),
});
