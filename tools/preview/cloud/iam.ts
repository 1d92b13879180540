/**
 * AWS IAM in the fake cloud: roles, inline and managed policies, attachments,
 * instance profiles, and the policy-document data source.
 *
 * Sources:
 * - ARNs `arn:<partition>:iam::<account>:role<path><name>`, `policy/<name>`,
 *   `instance-profile<path><name>`; unique ids `AROA…`, `ANPA…`, `AIPA…` (IAM
 *   User Guide, "IAM identifiers": "Unique identifiers", prefixes).
 * - Role names at most 64 characters, policy and instance-profile names 128
 *   (IAM User Guide, "IAM and AWS STS quotas").
 * - `maxSessionDuration` default 3600 (IAM API reference, CreateRole).
 * - Inline policy id `<role>:<policy name>` and attachment id `<role>-<hash>`:
 *   terraform-provider-aws `internal/service/iam/role_policy.go`
 *   (`createRolePolicyImportID`) and `role_policy_attachment.go`
 *   (`id.PrefixedUniqueId`).
 * - `getPolicyDocument`: the provider renders `Version`, `Statement` with
 *   `Sid`, `Effect`, `Action`/`NotAction`, `Resource`/`NotResource`,
 *   `Principal`/`NotPrincipal`, `Condition`; a one-element list becomes a
 *   string, `AWS: "*"` alone becomes `"*"` (internal/service/iam/policy_model.go,
 *   `IAMPolicyStatementPrincipalSet.MarshalJSON`, `iamPolicyEncodeDataSourceJSON`).
 */
import { asArray, Handler, InvokeCtx, Props, ServiceModel, str, upperAlnum } from "./common";

/** A value of an IAM policy document: single-element lists collapse to a string, as the provider renders them. */
function collapse(v: unknown): unknown {
    const a = asArray(v);
    return a.length === 1 ? a[0] : a;
}

function policyDocument(c: InvokeCtx): Props {
    const statements = asArray(c.inputs.statements).map(s => {
        const st = s as Props;
        const out: Props = {};
        if (st.sid) out.Sid = st.sid;
        out.Effect = st.effect ?? "Allow";
        for (const [from, to] of [["actions", "Action"], ["notActions", "NotAction"], ["resources", "Resource"], ["notResources", "NotResource"]] as const) {
            if (st[from] !== undefined) out[to] = collapse(st[from]);
        }
        for (const [from, to] of [["principals", "Principal"], ["notPrincipals", "NotPrincipal"]] as const) {
            if (st[from] === undefined) continue;
            const p: Props = {};
            for (const pr of asArray(st[from]) as Props[]) p[String(pr.type)] = collapse(pr.identifiers);
            out[to] = p.AWS === "*" && Object.keys(p).length === 1 ? "*" : p;
        }
        if (st.conditions !== undefined) {
            const cond: Record<string, Props> = {};
            for (const co of asArray(st.conditions) as Props[]) {
                const test = String(co.test);
                cond[test] = { ...(cond[test] ?? {}), [String(co.variable)]: collapse(co.values) };
            }
            out.Condition = cond;
        }
        return out;
    });
    const doc = { Version: str(c.inputs.version) ?? "2012-10-17", Statement: statements };
    const json = JSON.stringify(doc, null, 2);
    return { id: String(parseInt(c.hex(8), 16)), json, minifiedJson: JSON.stringify(doc) };
}

const resources: Record<string, Handler> = {
    "aws:iam/role:Role": c => {
        const name = c.autoname("name", { maxLength: 64 });
        const rolePath = str(c.inputs.path) ?? "/";
        return {
            id: name,
            checked: { name },
            computed: {
                arn: `arn:${c.partition}:iam::${c.account}:role${rolePath}${name}`,
                uniqueId: `AROA${upperAlnum(c.hex(34, "uid"))}`,
                createDate: "2026-01-01T00:00:00Z",
                maxSessionDuration: 3600,
                path: rolePath,
            },
        };
    },
    "aws:iam/rolePolicy:RolePolicy": c => {
        const name = c.autoname();
        return { id: `${str(c.inputs.role) ?? "role"}:${name}`, checked: { name } };
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": c => ({ id: `${str(c.inputs.role) ?? "role"}-${c.hex(20)}` }),
    "aws:iam/policy:Policy": c => {
        const name = c.autoname("name", { maxLength: 128 });
        const a = `arn:${c.partition}:iam::${c.account}:policy/${name}`;
        return { id: a, checked: { name }, computed: { arn: a, policyId: `ANPA${upperAlnum(c.hex(34, "pid"))}`, attachmentCount: 0 } };
    },
    "aws:iam/instanceProfile:InstanceProfile": c => {
        const name = c.autoname("name", { maxLength: 128 });
        const profilePath = str(c.inputs.path) ?? "/";
        return {
            id: name,
            checked: { name },
            computed: {
                arn: `arn:${c.partition}:iam::${c.account}:instance-profile${profilePath}${name}`,
                uniqueId: `AIPA${upperAlnum(c.hex(34, "uid"))}`,
                createDate: "2026-01-01T00:00:00Z",
                path: profilePath,
            },
        };
    },
};

export const IAM: ServiceModel = { resources, invokes: { "aws:iam/getPolicyDocument:getPolicyDocument": policyDocument } };
