import { PERMISSION_DOC_TYPES, permissionDocuments } from "../../lib/iam";
import { grantsAction, onAllResources, parsePolicyDocument, Statement } from "../../lib/policydoc";
import { ofTypes, resourceRule, subject } from "../../lib/rule";

/** Actions that let the holder raise its own privileges when granted on every resource. */
export const ESCALATION_ACTIONS = [
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AddUserToGroup",
    "lambda:UpdateFunctionCode",
];

/** Actions that escalate together with iam:PassRole (run something as a more privileged role). */
export const PASSROLE_COMPANIONS = [
    "lambda:CreateFunction",
    "lambda:UpdateFunctionConfiguration",
    "ec2:RunInstances",
    "ecs:RunTask",
    "ecs:RegisterTaskDefinition",
    "glue:CreateDevEndpoint",
    "cloudformation:CreateStack",
    "datapipeline:CreatePipeline",
    "sagemaker:CreateNotebookInstance",
];

export const iamNoPrivilegeEscalation = resourceRule({
    name: "iam-no-privilege-escalation",
    description: "No policy grants privilege-escalation actions (policy versioning, attach/put policies, trust edits, credentials, or PassRole with a compute launcher) on `*`.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the escalation actions, or scope them to specific non-privileged resources; separate PassRole from compute-launch actions.",
    meta: {
        afterUp: "the policy document is usually built from outputs (ARNs of resources created in the same run), so it is unknown in preview.",
        area: "iam",
        rationale: "Each of these turns a narrow role into an admin one in a single API call.",
        equivalents: { checkov: ["CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_289", "CKV_AWS_290"] },
    },
    validateResource: ofTypes(PERMISSION_DOC_TYPES, (props, args, report) => {
        for (const ref of permissionDocuments(args.type, props)) {
            const statements = parsePolicyDocument(ref.doc).statements.filter((s) => s.effect === "Allow" && onAllResources(s));
            const name = (s: Statement) => s.sid ?? `#${s.index}`;
            for (const s of statements) {
                const granted = ESCALATION_ACTIONS.filter((a) => grantsAction(s, a));
                if (granted.length > 0) {
                    report(`${subject(args)} ${ref.where} statement ${name(s)} grants escalation action(s) ${JSON.stringify(granted)} on "*". Fix: remove them or scope Resource to specific ARNs.`);
                }
            }
            const passRole = statements.find((s) => grantsAction(s, "iam:PassRole"));
            if (passRole) {
                const companions = PASSROLE_COMPANIONS.filter((a) => statements.some((s) => grantsAction(s, a)));
                if (companions.length > 0) {
                    report(`${subject(args)} ${ref.where} grants iam:PassRole (statement ${name(passRole)}) together with ${JSON.stringify(companions)} on "*", which runs code as any passable role. Fix: scope PassRole to specific roles and the launch action to specific resources.`);
                }
            }
        }
    }),
});
