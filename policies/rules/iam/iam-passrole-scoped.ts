import { PERMISSION_DOC_TYPES, permissionDocuments } from "../../lib/iam";
import { hasWildcard } from "../../lib/glob";
import { grantsAction, parsePolicyDocument } from "../../lib/policydoc";
import { ofTypes, resourceRule, subject } from "../../lib/rule";

export const iamPassroleScoped = resourceRule({
    name: "iam-passrole-scoped",
    description: "iam:PassRole is granted only on specific role ARNs (no wildcard resources: no `*` and no `?`).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Scope the PassRole statement's Resource to the exact role ARNs the caller must pass (and add an iam:PassedToService condition).",
    meta: {
        afterUp: "the policy document is usually built from outputs (ARNs of resources created in the same run), so it is unknown in preview.",
        area: "iam",
        rationale: "PassRole on * lets the holder hand any role, including admin roles, to a compute service it controls.",
        equivalents: { checkov: ["CKV_AWS_286"] },
    },
    validateResource: ofTypes(PERMISSION_DOC_TYPES, (props, args, report) => {
        for (const ref of permissionDocuments(args.type, props)) {
            for (const s of parsePolicyDocument(ref.doc).statements) {
                if (!grantsAction(s, "iam:PassRole")) {
                    continue;
                }
                const wild = s.resources ? s.resources.filter(hasWildcard) : [s.notResources ? `NotResource ${JSON.stringify(s.notResources)}` : "(no Resource)"];
                for (const r of wild) {
                    report(`${subject(args)} ${ref.where} statement ${s.sid ?? `#${s.index}`} allows iam:PassRole on ${JSON.stringify(r)}. Fix: list the exact role ARNs to pass.`);
                }
            }
        }
    }),
});
