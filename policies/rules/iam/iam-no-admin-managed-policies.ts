import { ATTACHMENT_TYPES, attachedPolicyArns } from "../../lib/iam";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { asStrings } from "../../lib/values";

export const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

export const iamNoAdminManagedPolicies = resourceRule({
    name: "iam-no-admin-managed-policies",
    description: "No role, group or user gets AdministratorAccess, PowerUserAccess or IAMFullAccess.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Detach the AWS-managed admin policy; write a customer-managed policy with the actions the service needs.",
    configSchema: {
        properties: {
            bannedPolicies: { type: "array", items: { type: "string" }, default: ADMIN_POLICIES, description: "AWS-managed policy names that may not be attached." },
        },
    },
    meta: {
        area: "iam",
        rationale: "An admin attachment makes every other isolation control optional for whoever holds the role.",
        equivalents: { cdkNag: ["AwsSolutions-IAM4"], checkov: ["CKV_AWS_274", "CKV2_AWS_56"] },
    },
    validateResource: ofTypes(ATTACHMENT_TYPES, (props, args, report) => {
        const banned = asStrings(args.getConfig<{ bannedPolicies?: unknown }>().bannedPolicies);
        for (const { where, arn } of attachedPolicyArns(args.type, props)) {
            if (typeof arn !== "string") {
                continue;
            }
            const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
            if (m && banned.includes(m[1])) {
                report(`${subject(args)} ${where} = ${JSON.stringify(arn)} grants ${m[1]}. Fix: replace it with a least-privilege customer-managed policy.`);
            }
        }
    }),
});
