import { accountOf } from "../../lib/arn";
import { hasCondition, parsePolicyDocument } from "../../lib/policydoc";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { asStrings, get } from "../../lib/values";

export const iamCrossAccountTrustConditions = resourceRule({
    name: "iam-cross-account-trust-conditions",
    description: "A trust policy that lets another account assume a role requires sts:ExternalId or aws:PrincipalOrgID.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Add Condition: { StringEquals: { "sts:ExternalId": <secret id> } } for third parties, or { "aws:PrincipalOrgID": <org id> } for accounts of the organization; list the stack\'s own accounts in trustedAccounts.',
    configSchema: {
        properties: {
            trustedAccounts: {
                type: "array",
                items: { type: "string", pattern: "^\\d{12}$" },
                default: [],
                description: "Account ids treated as same-account (the stack's own accounts); principals from others are cross-account.",
            },
        },
    },
    meta: {
        afterUp: "the trust policy is unknown in preview when it names ARNs or accounts from outputs.",
        area: "iam",
        rationale: "Cross-account trust without ExternalId/org conditions is the confused-deputy setup.",
        equivalents: { checkov: ["CKV_AWS_61"] },
    },
    validateResource: ofType("aws:iam/role:Role", (props, args, report) => {
        const trusted = asStrings(args.getConfig<{ trustedAccounts?: unknown }>().trustedAccounts);
        const doc = parsePolicyDocument(get(props, "assumeRolePolicy"));
        for (const s of doc.statements) {
            if (s.effect !== "Allow") {
                continue;
            }
            const guarded = hasCondition(s, "sts:ExternalId") || hasCondition(s, "aws:PrincipalOrgID") || hasCondition(s, "aws:PrincipalOrgPaths");
            if (guarded) {
                continue;
            }
            for (const p of s.principals?.AWS ?? []) {
                const account = accountOf(p);
                if (account !== undefined && !trusted.includes(account)) {
                    report(
                        `${subject(args)} assumeRolePolicy statement ${s.sid ?? `#${s.index}`} trusts ${JSON.stringify(p)} (account ${account}) without an sts:ExternalId or aws:PrincipalOrgID condition. ` +
                            `Fix: add one of those conditions, or list ${account} in this policy's trustedAccounts if it is the stack's own account.`,
                    );
                }
            }
        }
    }),
});
