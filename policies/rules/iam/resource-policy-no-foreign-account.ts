import { PolicyResource } from "@pulumi/policy";
import { accountOf } from "../../lib/arn";
import { parsePolicyDocument, principalValues, statementName } from "../../lib/policydoc";
import { stackRule } from "../../lib/rule";
import { configValue } from "../../lib/stack-config";
import { asStrings, get, peek, str, UNKNOWN } from "../../lib/values";
import { LAMBDA_PERMISSION, POLICY_DOC_PROP } from "./resource-policy-no-foreign-principal";

/** Account ids of the stack's own resources: the account field of every known `arn` output. */
function stackAccounts(resources: PolicyResource[], wanted: Set<string>): { accounts: Set<string>; unknown?: PolicyResource } {
    const accounts = new Set<string>();
    let unknown: PolicyResource | undefined;
    for (const r of resources) {
        if (wanted.size > 0 && [...wanted].every((a) => accounts.has(a))) {
            break; // every granted account is already known to be the stack's own
        }
        const arn = peek(r.props, "arn");
        if (arn === UNKNOWN) {
            unknown ??= r;
            continue;
        }
        const m = typeof arn === "string" ? /^arn:aws[a-z-]*:[^:]*:[^:]*:(\d{12}):/.exec(arn) : null;
        if (m) {
            accounts.add(m[1]);
        }
    }
    return { accounts, unknown };
}

function configuredAccounts(configured: unknown): string[] {
    const allowed = configValue("allowedAccountIds", "aws");
    let fromProvider: string[] = [];
    if (typeof allowed === "string") {
        try {
            fromProvider = asStrings(JSON.parse(allowed));
        } catch {
            fromProvider = [];
        }
    } else {
        fromProvider = asStrings(allowed);
    }
    return [...asStrings(configured), ...fromProvider];
}

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
        afterUp: "the stack's own account is read from its resources' ARNs (or aws:allowedAccountIds), known after up; with neither in preview, the engine reports that the rule could not run.",
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
        const configured = configuredAccounts(args.getConfig<{ accountIds?: unknown }>().accountIds);
        const { accounts, unknown } = stackAccounts(args.resources, new Set(grants.map((g) => g.account).filter((a) => !configured.includes(a))));
        const own = new Set([...configured, ...accounts]);
        if (accounts.size === 0 && unknown && grants.some((g) => !own.has(g.account))) {
            // The stack's account is not known yet: read it, and let the engine report the rule as deferred.
            get(unknown.props, "arn");
        }
        if (own.size === 0) {
            return;
        }
        for (const g of grants) {
            if (!own.has(g.account)) {
                report(`${g.r.type} "${g.r.name}" ${g.where} grants ${JSON.stringify(g.principal)} (account ${g.account}, not this stack's ${[...own].join("/")}). Fix: grant only this account's principals, or list ${g.account} in accountIds if intended.`, g.r.urn);
            }
        }
    },
});
