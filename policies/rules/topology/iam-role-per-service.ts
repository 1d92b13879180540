import { PolicyResource } from "@pulumi/policy";
import { isUnknown, stackIndex, TYPES } from "../../lib/graph";
import { peek } from "../../lib/values";
import { stackRule } from "../../lib/rule";

/** Resources that merely manage a role (attach policies to it) rather than use it. */
const ROLE_MANAGEMENT = new Set([
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
]);

/**
 * Properties through which a resource assumes (runs as) a role. A role ARN
 * named elsewhere (a resource policy, allowedPrincipals) grants access to the
 * role; it does not make the granting service a user of it.
 */
const USE_PROPS = new Set([
    "taskRoleArn",
    "executionRoleArn",
    "role",
    "roleArn",
    "nodeRoleArn",
    "podExecutionRoleArn",
    "iamRoleArn",
    "serviceRole",
    "serviceRoleArn",
    "instanceRole",
    "instanceRoles",
    "iamInstanceProfile",
    "instanceProfile",
]);

/** The role name an ARN (`arn:aws:iam::<acct>:role/<path>/<name>`) or a bare name designates. */
export function roleNameOf(value: string): string {
    const m = /^arn:aws[a-z-]*:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(value);
    return m ? m[1] : value;
}

/**
 * Resources that name a role by a literal (its name, or an ARN pasted as a
 * string) instead of an output: role urn -> those resources. Known values only.
 */
export function literalRoleUsers(roles: PolicyResource[], resources: PolicyResource[]): Map<string, PolicyResource[]> {
    const byName = new Map<string, string>();
    for (const role of roles) {
        for (const key of ["name", "arn"]) {
            const v = peek(role.props, key);
            if (typeof v === "string" && v !== "") {
                byName.set(roleNameOf(v), role.urn);
            }
        }
    }
    const out = new Map<string, PolicyResource[]>();
    if (byName.size === 0) {
        return out;
    }
    for (const r of resources) {
        if (r.type === TYPES.role || ROLE_MANAGEMENT.has(r.type)) {
            continue;
        }
        for (const prop of Object.keys(r.props ?? {})) {
            if (!USE_PROPS.has(prop)) {
                continue;
            }
            const v = peek(r.props, prop);
            if (typeof v !== "string" || v === "") {
                continue;
            }
            const urn = byName.get(roleNameOf(v));
            if (urn) {
                const l = out.get(urn) ?? [];
                l.push(r);
                out.set(urn, l);
            }
        }
    }
    return out;
}

export const iamRolePerService = stackRule({
    name: "iam-role-per-service",
    description: "No IAM role is used by two microservices (by resources tagged, or parented, with different privatelink:service values), whether they reference it by output, by name or by a pasted ARN.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Create the task, execution, function and node roles per service (e.g. in the service's component) and tag them with privatelink:service.",
    meta: {
        area: "topology",
        rationale: "A shared role merges two services' permissions: a compromise of one reaches the other's data without crossing PrivateLink.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const literals = literalRoleUsers(idx.ofType(TYPES.role), args.resources);
        for (const role of idx.ofType(TYPES.role)) {
            const users = new Map<string, string[]>();
            const add = (svc: unknown, who: string) => {
                if (typeof svc !== "string") {
                    return;
                }
                const l = users.get(svc) ?? [];
                l.push(who);
                users.set(svc, l);
            };
            const roleSvc = idx.serviceOf(role);
            if (!isUnknown(roleSvc) && roleSvc !== undefined) {
                add(roleSvc, `the role's own tag`);
            }
            const byOutput = [...USE_PROPS].flatMap((prop) => idx.referencing(role.urn, prop));
            const referrers = [...new Set([...byOutput, ...(literals.get(role.urn) ?? [])])];
            for (const r of referrers) {
                if (ROLE_MANAGEMENT.has(r.type)) {
                    continue;
                }
                if (r.type === TYPES.instanceProfile) {
                    for (const u of [...USE_PROPS].flatMap((prop) => idx.referencing(r.urn, prop))) {
                        add(idx.serviceOf(u), `${u.type} "${u.name}" (via instance profile ${r.name})`);
                    }
                    continue;
                }
                add(idx.serviceOf(r), `${r.type} "${r.name}"`);
            }
            if (users.size > 1) {
                const detail = [...users.entries()].map(([s, who]) => `"${s}" (${[...new Set(who)].join(", ")})`).join(" and ");
                report(`IAM role "${role.name}" (${role.urn}) is used by ${users.size} microservices: ${detail}. Fix: give each service its own role.`, role.urn);
            }
        }
    },
});
