import { PolicyResource } from "@pulumi/policy";
import { StackIndex } from "./graph";
import { DocRef, PERMISSION_DOC_TYPES, permissionDocuments } from "./iam";
import { UnknownValueError } from "./engine";
import { UNKNOWN } from "./values";

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
        // Every document of the resource, or none while one is unknown: reading an unknown throws (the
        // engine's proxy), and a throw here would lose the findings on every other resource's documents.
        const prop = r.type === "aws:iam/role:Role" || r.type === "aws:iam/group:Group" ? "inlinePolicies" : "policy";
        let refs: DocRef[];
        try {
            refs = permissionDocuments(r.type, r.props).map((ref) => ({ ...ref, doc: typeof ref.doc === "string" ? ref.doc : JSON.parse(JSON.stringify(ref.doc ?? null)) }));
        } catch (e) {
            if (!(e instanceof UnknownValueError)) throw e;
            onUnknown(r, prop);
            continue;
        }
        for (const ref of refs) out.push({ r, ref, service });
    }
    return out;
}
