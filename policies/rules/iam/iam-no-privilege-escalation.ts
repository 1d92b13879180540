import { PolicyResource } from "@pulumi/policy";
import { UnknownValueError, UnknownValueErrorLike } from "../../lib/engine";
import { arnsIntersect, EscalationContext, escalationMethods, SourcedStatement } from "../../lib/escalation";
import { label, stackIndex, StackIndex } from "../../lib/graph";
import { PERMISSION_DOC_TYPES, permissionDocuments } from "../../lib/iam";
import { grantsAction, parsePolicyDocument, principalValues, Statement, statementName } from "../../lib/policydoc";
import { stackRule, subject } from "../../lib/rule";
import { get, peek, UNKNOWN, UNKNOWN_SENTINEL } from "../../lib/values";

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";

/** Whoever holds a set of permission documents: a role of the stack, or a document nothing in the stack attaches. */
interface Principal {
    key: string;
    urn: string;
    label: string;
    role?: PolicyResource;
    /** The resources whose documents it holds, with the property holding them. */
    sources: PolicyResource[];
}

/** The statements of one resource's permission documents, named for messages. */
function statementsOf(r: PolicyResource): SourcedStatement[] {
    const out: SourcedStatement[] = [];
    for (const ref of permissionDocuments(r.type, r.props)) {
        for (const statement of parsePolicyDocument(ref.doc).statements) {
            out.push({ statement, where: `${subject(r)} ${ref.where} ${statementName(statement)}` });
        }
    }
    return out;
}

/** A role's ARN as far as it is known: its `arn` (after up), else `role<path><name>` to match the end of an ARN. */
function roleArnOf(role: PolicyResource): { arn?: string; suffix?: string } | typeof UNKNOWN {
    const arn = peek(role.props, "arn");
    if (typeof arn === "string") return { arn };
    const name = peek(role.props, "name");
    const path = peek(role.props, "path");
    if (name === UNKNOWN || path === UNKNOWN) return UNKNOWN;
    if (typeof name !== "string") return UNKNOWN; // auto-named: known after up
    return { suffix: `:role${typeof path === "string" ? path : "/"}${name}` };
}

function namesRole(arn: string, role: PolicyResource): boolean | typeof UNKNOWN {
    const known = roleArnOf(role);
    if (known === UNKNOWN) return UNKNOWN;
    const a = arn.toLowerCase();
    if (known.arn) return a === known.arn.toLowerCase();
    return /^arn:[^:]+:iam::\d{12}:role\//.test(a) && a.endsWith(known.suffix!.toLowerCase());
}

/** A pattern for a role's ARN, for matching PassRole grants against it. */
function rolePattern(role: PolicyResource): string {
    const known = roleArnOf(role);
    if (known === UNKNOWN) return "arn:*:iam::*:role/*";
    return known.arn ?? `arn:*:iam::*${known.suffix}`;
}

function unknownError(what: string): UnknownValueErrorLike {
    return new UnknownValueError(UNKNOWN_SENTINEL, [what]);
}

/**
 * The stack's knowledge for `resourceCanEscalate`: which role a concrete ARN
 * names, and whether that role provably cannot be used to escalate. A role
 * no one can pass or assume: its trust policy admits only AWS service
 * principals (no account, role, user, federated or `*` principal; IAM User
 * Guide, "Roles terms and concepts": only a trusted principal can assume the
 * role), and no Allow statement of the stack grants iam:PassRole on a pattern
 * that can match it (IAM User Guide, "Grant a user permissions to pass a role
 * to an AWS service": handing a role to a service needs PassRole on it).
 */
function contextFor(principal: Principal, idx: StackIndex, passRolePatterns: () => string[]): EscalationContext {
    const roles = idx.ofType(ROLE);
    const match = (arn: string): PolicyResource | undefined => {
        for (const r of roles) {
            const m = namesRole(arn, r);
            if (m === UNKNOWN) throw unknownError(`the ARN of ${label(r)}`);
            if (m) return r;
        }
        return undefined;
    };
    return {
        isOwn: (arn) => principal.role !== undefined && namesRole(arn, principal.role) === true,
        harmlessRole: (arn) => {
            const role = match(arn);
            if (!role || role.urn === principal.urn) return undefined;
            const trust = parsePolicyDocument(get(role.props, "assumeRolePolicy"));
            const admitted = trust.statements.filter((s) => s.effect === "Allow");
            const other = admitted.flatMap((s) => (s.notPrincipals ? ["NotPrincipal"] : principalValues(s).filter((p) => p.kind !== "Service").map((p) => p.value)));
            if (trust.error || admitted.length === 0 || other.length > 0) return undefined;
            const pattern = rolePattern(role);
            if (passRolePatterns().some((p) => arnsIntersect(p, pattern))) return undefined;
            return `${JSON.stringify(arn)} is ${label(role)}, which only AWS services can assume and nothing in the stack may pass`;
        },
    };
}

/** Every role of the stack, and every document-carrying resource no role of the stack holds, as principals with their documents. */
function principalsOf(idx: StackIndex): Principal[] {
    const byKey = new Map<string, Principal>();
    const roles = idx.ofType(ROLE);
    const roleNamed = (name: unknown) => roles.find((r) => typeof name === "string" && peek(r.props, "name") === name);
    const principalOfRole = (role: PolicyResource): Principal => {
        let p = byKey.get(role.urn);
        if (!p) byKey.set(role.urn, (p = { key: role.urn, urn: role.urn, label: label(role), role, sources: [] }));
        return p;
    };
    /** The roles a resource names through `prop`: by URN (an output), else by the name it gives; a key for a role outside the stack. */
    const rolesNamedBy = (r: PolicyResource, prop: string): (PolicyResource | string)[] => {
        const deps = idx.propDeps(r, prop).filter((d) => d.type === ROLE);
        if (deps.length > 0) return deps;
        const v = peek(r.props, prop);
        const named = roleNamed(v);
        if (named) return [named];
        return [typeof v === "string" ? `role ${JSON.stringify(v)} (not declared in this stack)` : r.urn];
    };
    const holder = (target: PolicyResource | string, via: PolicyResource): Principal => {
        if (typeof target !== "string") return principalOfRole(target);
        let p = byKey.get(target);
        if (!p) byKey.set(target, (p = { key: target, urn: via.urn, label: target === via.urn ? label(via) : target, sources: [] }));
        return p;
    };
    const held = new Set<string>();
    for (const role of roles) principalOfRole(role).sources.push(role);
    for (const rp of idx.ofType(ROLE_POLICY)) {
        for (const t of rolesNamedBy(rp, "role")) holder(t, rp).sources.push(rp);
    }
    // Managed policies of the stack, attached by RolePolicyAttachment, managedPolicyArns or RolePolicyAttachmentsExclusive.
    const attach = (target: PolicyResource | string, via: PolicyResource, policies: PolicyResource[]) => {
        for (const pol of policies) {
            holder(target, via).sources.push(pol);
            held.add(pol.urn);
        }
    };
    for (const a of idx.ofType(ATTACHMENT)) {
        const pols = idx.propDeps(a, "policyArn").filter((d) => d.type === POLICY);
        for (const t of rolesNamedBy(a, "role")) attach(t, a, pols);
    }
    for (const role of roles) attach(role, role, idx.propDeps(role, "managedPolicyArns").filter((d) => d.type === POLICY));
    for (const x of idx.ofType(EXCLUSIVE)) {
        const pols = idx.propDeps(x, "policyArns").filter((d) => d.type === POLICY);
        for (const t of rolesNamedBy(x, "roleName")) attach(t, x, pols);
    }
    // Documents no role of the stack holds are judged on their own: whoever they are attached to elsewhere gets them whole.
    for (const type of PERMISSION_DOC_TYPES) {
        if (type === ROLE || type === ROLE_POLICY) continue;
        for (const r of idx.ofType(type)) {
            if (type === POLICY && held.has(r.urn)) continue;
            holder(r.urn, r).sources.push(r);
        }
    }
    return [...byKey.values()];
}

export const iamNoPrivilegeEscalation = stackRule({
    name: "iam-no-privilege-escalation",
    description:
        "No principal can raise its own privileges: judged per role over all of its policies together (inline, RolePolicy, attached managed policies of the stack), no documented escalation method (policy versions, attach/put policies, trust edits, credentials, PassRole with a compute launcher, SSM commands...) is granted on a resource that can escalate, whatever wildcard spells the actions or the resources.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Remove the escalation actions from the role's policies. A role-changing action is acceptable only on the exact ARN of a role of this stack that trusts only AWS services and that nothing may pass; PassRole only on such exact role ARNs, never with a compute launcher on wildcards.",
    meta: {
        afterUp: "policy documents are usually built from outputs (ARNs of resources created in the same run), so they are unknown in preview; what is known is judged, and the engine reports the rest as not decidable during preview.",
        area: "iam",
        rationale:
            "Each method turns a narrow role into an admin one. The methods are data (policies/lib/escalation.ts), from Rhino Security Labs' \"AWS IAM Privilege Escalation – Methods and Mitigation\" " +
            "(https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/), pathfinding.cloud and BishopFox/iam-vulnerable. A method counts when all its actions are granted to one principal, " +
            "in one document or split over several (an inline policy and an attached one), and a grant counts when its resource pattern, read as a glob, can match something that escalates: " +
            "the role's own ARN, `role/?*`, `role/app/*`, `*` in the account part, NotResource, or any concrete resource the stack cannot vouch for. " +
            "It does not count only when the pattern names no resource of the action's type, or is the exact ARN of another role of this stack that only AWS services can assume and nothing may pass. " +
            "AWS-managed policies add no statements: the project knows no documents of them, and only vetted ones (iam-aws-managed-policies-vetted), none of which grants these actions, may be attached.",
        equivalents: { checkov: ["CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_289", "CKV_AWS_290"] },
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        let deferred: unknown;
        let passRoles: string[] | undefined;
        /** Every pattern on which an Allow statement of the stack grants iam:PassRole (NotResource and none as every role). */
        const passRolePatterns = (): string[] => {
            if (!passRoles) {
                passRoles = [];
                for (const type of PERMISSION_DOC_TYPES) {
                    for (const r of idx.ofType(type)) {
                        for (const x of statementsOf(r)) {
                            const s: Statement = x.statement;
                            if (!grantsAction(s, "iam:PassRole")) continue;
                            passRoles.push(...(s.resources ?? ["*"]));
                        }
                    }
                }
            }
            return passRoles;
        };
        for (const principal of principalsOf(idx)) {
            const statements: SourcedStatement[] = [];
            for (const src of new Set(principal.sources)) {
                try {
                    statements.push(...statementsOf(src));
                } catch (e) {
                    if (!(e instanceof UnknownValueError)) throw e;
                    deferred ??= e; // judged with the documents that are known
                }
            }
            try {
                const findings = escalationMethods(statements, contextFor(principal, idx, passRolePatterns));
                for (const f of findings) {
                    const grants = f.grants.map((g) => `${g.action} in ${g.where.join(", ")}${g.why.length > 0 ? ` (${g.why.join("; ")})` : ""}`);
                    const split = new Set(f.grants.flatMap((g) => g.where.map((w) => w.replace(/ \S+$/, "")))).size > 1;
                    report(
                        `${principal.label} can raise its own privileges: escalation method "${f.method.id}" (${f.method.how}; ${f.method.source})` +
                            `${split ? ", split across its policies" : ""}: ${grants.join("; ")}. ` +
                            "Fix: remove these actions from its policies, or scope each to the exact ARN of a role that only AWS services can assume and nothing may pass.",
                        principal.urn,
                    );
                }
            } catch (e) {
                if (!(e instanceof UnknownValueError)) throw e;
                deferred ??= e;
            }
        }
        // What could be judged is reported; the engine turns this into "can't run policy during preview" for the rest.
        if (deferred !== undefined) throw deferred;
    },
});
