import { PERMISSION_DOC_TYPES, permissionDocuments } from "../../lib/iam";
import { isAccountWide, onAccountWideResources } from "../../lib/escalation";
import { parsePolicyDocument, wildcardActions } from "../../lib/policydoc";
import { ofTypes, resourceRule, subject } from "../../lib/rule";

export const iamNoWildcardAdminStatements = resourceRule({
    name: "iam-no-wildcard-admin-statements",
    description: "No IAM policy statement allows `*`, `*:*` or `service:*` actions (or a NotAction list) on account-wide resources (`*`, `arn:aws:s3:::*`, `arn:aws:iam::<acct>:role/*`...).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "List the specific actions the service calls and scope Resource to its own ARNs.",
    meta: {
        afterUp: "the policy document is usually built from outputs (ARNs of resources created in the same run), so it is unknown in preview.",
        area: "iam",
        rationale: "Wildcard actions on every resource erase the per-service boundary that separate VPCs and roles are meant to draw.",
        equivalents: {
            cdkNag: ["AwsSolutions-IAM5", "NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess", "NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess"],
            checkov: ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_355", "CKV2_AWS_40"],
        },
    },
    validateResource: ofTypes(PERMISSION_DOC_TYPES, (props, args, report) => {
        for (const ref of permissionDocuments(args.type, props)) {
            const doc = parsePolicyDocument(ref.doc);
            if (doc.error) {
                report(`${subject(args)} ${ref.where} ${doc.error}. Fix: pass a valid JSON policy document.`);
                continue;
            }
            for (const s of doc.statements) {
                if (!onAccountWideResources(s)) {
                    continue;
                }
                const resource = s.resources ? JSON.stringify(s.resources.filter(isAccountWide)) : s.notResources ? `NotResource ${JSON.stringify(s.notResources)}` : '"*"';
                for (const action of wildcardActions(s)) {
                    report(
                        `${subject(args)} ${ref.where} statement ${s.sid ?? `#${s.index}`} allows ${action.startsWith("NotAction") ? action : JSON.stringify(action)} on resource ${resource}. ` +
                            `Fix: list the specific actions and scope Resource to the service's own ARNs.`,
                    );
                }
            }
        }
    }),
});
