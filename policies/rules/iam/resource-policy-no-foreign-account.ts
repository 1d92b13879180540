import { PolicyResource } from "@pulumi/policy";
import { accountOf } from "../../lib/arn";
import { environmentIdentity } from "../../lib/identity";
import { parsePolicyDocument, principalValues, statementName } from "../../lib/policydoc";
import { stackRule } from "../../lib/rule";
import { get, str } from "../../lib/values";
import { LAMBDA_PERMISSION, POLICY_DOC_PROP } from "./resource-policy-no-foreign-principal";

/** Account principals of resource-based policies and Lambda permissions: [resource, where, principal, account]. */
function accountGrants(resources: PolicyResource[]): { r: PolicyResource; where: string; principal: string; account: string }[] {
    const out: { r: PolicyResource; where: string; principal: string; account: string }[] = [];
    for (const r of resources) {
        const prop = POLICY_DOC_PROP[r.type];
        if (prop) {
            for (const s of parsePolicyDocument(get(r.props, prop)).statements) {
                if (s.effect !== "Allow") continue;
                for (const p of principalValues(s)) {
                    const account = p.kind === "AWS" ? accountOf(p.value) : undefined;
                    if (account) out.push({ r, where: `${prop} statement ${statementName(s)} (actions ${JSON.stringify(s.actions ?? s.notActions ?? [])})`, principal: p.value, account });
                }
            }
        } else if (r.type === LAMBDA_PERMISSION) {
            const principal = str(get(r.props, "principal"));
            const account = principal ? accountOf(principal) : undefined;
            if (principal && account) out.push({ r, where: "principal", principal, account });
        }
    }
    return out;
}

export const resourcePolicyNoForeignAccount = stackRule({
    name: "resource-policy-no-foreign-account",
    description: "No resource-based policy (KMS, S3, Secrets Manager, SNS, SQS, ECR, Lambda permission) grants a principal of an account other than the stack's own, unless that account is listed in accountIds.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Grant only this account's roles; list a partner account in this policy's accountIds (policies/config/<stack>.json) with a reason in the stack's docs if the grant is intended.",
    configSchema: {
        properties: {
            accountIds: { type: "array", items: { type: "string", pattern: "^\\d{12}$" }, default: [], description: "Accounts besides the stack's own that resource policies may grant." },
        },
    },
    meta: {
        area: "iam",
        afterUp: "a policy document built from another resource's output (a role's or the resource's own ARN) is unknown in preview.",
        rationale:
            "A resource-based policy grants across accounts by itself: the other account's principals need nothing more than their own identity policy " +
            "(IAM user guide, \"Cross account resource access in IAM\", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html). " +
            "Pushing to an ECR repository or reading a queue from another account bypasses the PrivateLink boundary between services.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const grants = accountGrants(args.resources);
        if (grants.length === 0) {
            return;
        }
        // The environment's accounts from configuration only (lib/identity.ts). A stack that declares no deploying
        // account is told so once, by identity-accounts-declared: no grant can be judged until it does.
        const set = environmentIdentity({ accountIds: args.getConfig<{ accountIds?: unknown }>().accountIds });
        if (!set.deployingDeclared) {
            return;
        }
        const own = new Set(set.accounts.keys());
        for (const g of grants) {
            if (!own.has(g.account)) {
                report(`${g.r.type} "${g.r.name}" ${g.where} grants ${JSON.stringify(g.principal)} (account ${g.account}, not this stack's ${[...own].join("/")}). Fix: grant only this account's principals, or list ${g.account} in accountIds if intended.`, g.r.urn);
            }
        }
    },
});
