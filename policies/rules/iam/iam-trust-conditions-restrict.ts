import { parsePolicyDocument, Statement, statementName } from "../../lib/policydoc";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get } from "../../lib/values";

/** Condition keys whose only job in a trust policy is to narrow who may assume the role. */
const GUARD_KEYS = new Set([
    "sts:externalid",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
]);

/** A value that matches anything once its fixed prefix is taken away ("*", "system:serviceaccount:*:*", "repo:*"). */
export function matchesAnything(value: string): boolean {
    const v = value.replace(/^(system:serviceaccount:|repo:|arn:aws[a-z-]*:)/i, "");
    return /^[*?:]*$/.test(v) && /[*?]/.test(v) ? true : v === "";
}

function isLike(op: string): boolean {
    return /like(ifexists)?$/.test(op);
}

/** Conditions of a statement that narrow nothing: wildcard-only values on *Like operators, or "*" on a guard key. */
function emptyConditions(s: Statement): string[] {
    const out: string[] = [];
    for (const [op, keys] of Object.entries(s.conditions)) {
        for (const [key, values] of Object.entries(keys)) {
            const wild = values.length > 0 && values.every((v) => (isLike(op) ? matchesAnything(v) : v === "*"));
            if (wild && (isLike(op) || GUARD_KEYS.has(key))) {
                out.push(`${op} ${key} = ${JSON.stringify(values)}`);
            }
        }
    }
    return out;
}

/** The `<issuer>:sub` (or Cognito `:aud`) values a web-identity statement is narrowed by, for one provider. */
function subjectValues(s: Statement, provider: string): string[] | undefined {
    const key = provider.toLowerCase() === "cognito-identity.amazonaws.com" ? "cognito-identity.amazonaws.com:aud" : `${provider.toLowerCase()}:sub`;
    let found: string[] | undefined;
    for (const [op, keys] of Object.entries(s.conditions)) {
        if (!/^(forallvalues:|foranyvalue:)?string(equals|like)(ignorecase)?$/.test(op)) {
            continue;
        }
        if (keys[key]) {
            found = [...(found ?? []), ...keys[key]];
        }
    }
    return found;
}

export const iamTrustConditionsRestrict = resourceRule({
    name: "iam-trust-conditions-restrict",
    description:
        "Trust-policy conditions restrict something: no `*`-only StringLike/ArnLike values, no `*` for sts:ExternalId, aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID, and every OIDC web-identity trust (IRSA, CI) names its subject (`<issuer>:sub`).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Give each condition a concrete value (the external id, the account, the source ARN); for an OIDC provider add StringEquals { \"<issuer>:sub\": \"system:serviceaccount:<namespace>:<service-account>\" } (and \"<issuer>:aud\": \"sts.amazonaws.com\").",
    meta: {
        afterUp: "the trust policy is unknown in preview when it names the OIDC issuer, ARNs or accounts from outputs.",
        area: "iam",
        rationale:
            "A condition whose value is * matches every request, so it narrows nothing (IAM user guide, \"Condition operators\": StringLike with * matches any value). " +
            "Without a sub condition any identity of the OIDC provider can assume the role: every service account of every cluster sharing the issuer, every repository of a CI provider " +
            "(EKS user guide, \"Assign IAM roles to Kubernetes service accounts\", https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html; IAM user guide, \"Create a role for OpenID Connect federation\").",
        equivalents: {},
    },
    validateResource: ofType("aws:iam/role:Role", (props, args, report) => {
        const doc = parsePolicyDocument(get(props, "assumeRolePolicy"));
        for (const s of doc.statements) {
            if (s.effect !== "Allow") {
                continue;
            }
            for (const c of emptyConditions(s)) {
                report(`${subject(args)} assumeRolePolicy statement ${statementName(s)} condition ${c} restricts nothing. Fix: give it the concrete value it is meant to check.`);
            }
            for (const provider of s.principals?.Federated ?? []) {
                const m = /:oidc-provider\/(.+)$/.exec(provider);
                const issuer = m ? m[1] : provider === "cognito-identity.amazonaws.com" ? provider : undefined;
                if (!issuer) {
                    continue;
                }
                const subs = subjectValues(s, issuer);
                if (!subs || subs.length === 0) {
                    report(
                        `${subject(args)} assumeRolePolicy statement ${statementName(s)} trusts web identities of ${JSON.stringify(provider)} without a "${issuer}:sub" condition, so every identity of that provider may assume it. ` +
                            `Fix: add StringEquals { "${issuer}:sub": "system:serviceaccount:<namespace>:<service-account>" }.`,
                    );
                } else if (subs.every(matchesAnything)) {
                    report(`${subject(args)} assumeRolePolicy statement ${statementName(s)} narrows "${issuer}:sub" to ${JSON.stringify(subs)}, which matches every identity. Fix: name the exact subject.`);
                }
            }
        }
    }),
});
