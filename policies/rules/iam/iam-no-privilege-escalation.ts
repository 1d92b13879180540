import { ESCALATION_METHODS, escalationActions, isAccountWide, onAccountWideResources } from "../../lib/escalation";
import { PERMISSION_DOC_TYPES, permissionDocuments } from "../../lib/iam";
import { grantsAction, parsePolicyDocument, Statement, statementName } from "../../lib/policydoc";
import { ofTypes, resourceRule, subject } from "../../lib/rule";

const ACTIONS = escalationActions();

/** For each catalogue action, the statements granting it (any resource, and account-wide): one glob pass per statement. */
function grantIndex(statements: Statement[]): { any: Map<string, Statement[]>; broad: Map<string, Statement[]> } {
    const any = new Map<string, Statement[]>();
    const broad = new Map<string, Statement[]>();
    for (const s of statements) {
        const wide = onAccountWideResources(s);
        for (const a of ACTIONS) {
            if (grantsAction(s, a)) {
                any.set(a, [...(any.get(a) ?? []), s]);
                if (wide) broad.set(a, [...(broad.get(a) ?? []), s]);
            }
        }
    }
    return { any, broad };
}

export const iamNoPrivilegeEscalation = resourceRule({
    name: "iam-no-privilege-escalation",
    description:
        "No policy grants a documented privilege-escalation method (policy versions, attach/put policies, trust edits, credentials, PassRole with a compute launcher, SSM commands...) on account-wide resources (`*`, `arn:aws:iam::<acct>:role/*`, `arn:aws:iam::*:user/*`...), whatever wildcard spells the actions.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the escalation actions, or scope them to specific non-privileged resources; scope PassRole to the exact roles it passes and separate it from compute-launch actions.",
    meta: {
        afterUp: "the policy document is usually built from outputs (ARNs of resources created in the same run), so it is unknown in preview.",
        area: "iam",
        rationale:
            "Each method turns a narrow role into an admin one. The methods are data (policies/lib/escalation.ts), from Rhino Security Labs' \"AWS IAM Privilege Escalation – Methods and Mitigation\" " +
            "(https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/), pathfinding.cloud and BishopFox/iam-vulnerable; an action scoped to every role or user of an account escalates as much as one on \"*\".",
        equivalents: { checkov: ["CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_289", "CKV_AWS_290"] },
    },
    validateResource: ofTypes(PERMISSION_DOC_TYPES, (props, args, report) => {
        for (const ref of permissionDocuments(args.type, props)) {
            const statements = parsePolicyDocument(ref.doc).statements.filter((s) => s.effect === "Allow");
            if (statements.length === 0) {
                continue;
            }
            const index = grantIndex(statements);
            for (const m of ESCALATION_METHODS) {
                const broad = m.broad.map((a) => index.broad.get(a) ?? []);
                const any = (m.any ?? []).map((a) => index.any.get(a) ?? []);
                if (broad.some((g) => g.length === 0) || any.some((g) => g.length === 0)) {
                    continue;
                }
                const where = [...broad, ...any].flat().map(statementName);
                const resources = broad.flat().flatMap((s) => (s.resources ?? ["NotResource"]).filter((r) => r === "NotResource" || isAccountWide(r)));
                report(
                    `${subject(args)} ${ref.where} grants ${JSON.stringify([...m.broad, ...(m.any ?? [])])} (statements ${[...new Set(where)].join(", ")}) with ${JSON.stringify([...new Set(resources)])}: ` +
                        `escalation method "${m.id}" (${m.how}; ${m.source}). Fix: remove them or scope Resource to specific, non-privileged ARNs.`,
                );
            }
        }
    }),
});
