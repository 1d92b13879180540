import { ofTypes, resourceRule, subject } from "../../lib/rule";

export const IAM_USER_TYPES = [
    "aws:iam/user:User",
    "aws:iam/accessKey:AccessKey",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/userLoginProfile:UserLoginProfile",
    "aws:iam/userGroupMembership:UserGroupMembership",
    "aws:iam/groupMembership:GroupMembership",
];

export const iamNoUsers = resourceRule({
    name: "iam-no-users",
    description: "The stack creates no IAM users, access keys, login profiles or user policies.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Use roles: task/execution roles for workloads, IAM Identity Center for people, OIDC federation for CI.",
    meta: {
        area: "iam",
        rationale: "Users mean long-lived credentials; everything in this platform authenticates through roles.",
        equivalents: { cdkNag: ["NIST.800.53.R5-IAMUserNoPolicies"], checkov: ["CKV_AWS_273", "CKV_AWS_40", "CKV_AWS_348"] },
    },
    validateResource: ofTypes(IAM_USER_TYPES, (_props, args, report) => {
        report(`${subject(args)} is an IAM user credential or policy. Fix: remove it and grant access through a role.`);
    }),
});
