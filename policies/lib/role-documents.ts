import { PolicyResource } from "@pulumi/policy";
import { StackIndex } from "./graph";
import { DocRef, PERMISSION_DOC_TYPES, permissionDocuments } from "./iam";
import { peek, UNKNOWN } from "./values";

/** One permission document of the plan, with the service whose role holds it. */
export interface RoleDocument {
    r: PolicyResource;
    ref: DocRef;
    /** The service of the role it is attached to (undefined: a role of no service, or a managed policy). */
    service: string | undefined;
}

/**
 * Every permission document of the plan's IAM resources whose role and
 * document are known, with its role's service; `onUnknown` hears of each
 * resource whose role or document is not known yet (preview).
 */
export function roleDocuments(idx: StackIndex, onUnknown: (r: PolicyResource, prop: string) => void): RoleDocument[] {
    const out: RoleDocument[] = [];
    for (const r of idx.ofType(...PERMISSION_DOC_TYPES)) {
        const roles = r.type === "aws:iam/role:Role" ? [r] : idx.propDeps(r, "role");
        const owners = roles.map((x) => idx.serviceOf(x));
        if (owners.includes(UNKNOWN)) {
            onUnknown(r, "role");
            continue;
        }
        const service = owners.find((o): o is string => typeof o === "string");
        for (const ref of permissionDocuments(r.type, r.props)) {
            const prop = ref.where === "policy" ? "policy" : "inlinePolicies";
            if (peek(r.props, prop) === UNKNOWN) {
                onUnknown(r, prop);
                continue;
            }
            out.push({ r, ref, service });
        }
    }
    return out;
}
