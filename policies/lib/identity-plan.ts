/**
 * The identity set applied to a plan: which resources are judged, and the
 * deploying account of a stack that declares none.
 */
import { PolicyResource } from "@pulumi/policy";
import { ACCOUNT_ID, arnAccount, declares, IdentitySet } from "./identity";
import { PlanGraph, PlanNode } from "./plan/graph";
import { get, UNKNOWN } from "./values";

/** Resources whose properties reach AWS: the AWS provider's resources, its provider configurations, and remote components offline shows as one resource. */
export function judgedForIdentity(n: PlanNode): boolean {
    if (n.record?.op === "read") return false; // a read creates nothing and grants nothing
    return n.type.startsWith("aws:") || n.type.startsWith("pulumi:providers:aws") || n.type.startsWith("awsx:") || n.type.startsWith("eks:");
}

/** Whether a resource is created through the stack's default AWS provider (not an explicit one, which may hold other credentials). */
export function viaDefaultProvider(n: PlanNode, r: PolicyResource | undefined): boolean {
    if (n.record) {
        const p = n.record.options?.provider;
        return !p || /::default(_[0-9_a-z]+)?$/.test(p);
    }
    const p = r?.provider;
    return !p || /^default(_|$)/.test(p.name);
}

/**
 * The account a stack that declares none deploys into, as AWS assigns it:
 * the account field of the `arn` of resources the default provider creates
 * (AWS writes its own account there; an input cannot set it). Resources of an
 * explicit provider and reads are left out, so another account's provider
 * or a pasted ARN cannot make that account "own". Unknown ARNs (a preview)
 * are returned so that a rule can defer to `up` by reading one.
 */
export function assignedAccounts(g: PlanGraph, resources: readonly PolicyResource[]): { accounts: Set<string>; unknown?: PolicyResource } {
    const accounts = new Set<string>();
    let unknown: PolicyResource | undefined;
    for (const n of g.nodes) {
        // AWS resources, and remote components (eks, awsx) offline sees as one resource with their children's ARNs.
        const remote = n.record?.remote === true || n.type.startsWith("eks:") || n.type.startsWith("awsx:");
        if (!(n.type.startsWith("aws:") || remote) || n.record?.op === "read" || (n.record?.custom === false && !remote)) continue;
        // A remote component takes its providers as a map (not the `provider` option): offline its outputs are
        // the fake cloud's answer in the credentials' account, so it counts as the default provider's.
        if (!remote && !viaDefaultProvider(n, resources[n.index])) continue;
        const arn = n.get("arn");
        if (arn === UNKNOWN) {
            unknown ??= resources[n.index];
            continue;
        }
        const a = typeof arn === "string" ? arnAccount(arn) : undefined;
        if (a && ACCOUNT_ID.test(a)) accounts.add(a);
    }
    return { accounts, unknown };
}

/**
 * The environment's accounts as a rule applies them: the declared set, and,
 * when the stack declares no deploying account, the account AWS assigned to
 * what its default provider creates. `defer()` reads an unknown ARN so that
 * the engine reports the rule as deferred to `up` (call it only when a
 * verdict depends on the deploying account).
 */
export function ownAccounts(set: IdentitySet, g: PlanGraph, resources: readonly PolicyResource[]): { own: (account: string) => boolean; assigned: Set<string>; defer: () => void } {
    const { accounts, unknown } = set.deployingDeclared ? { accounts: new Set<string>(), unknown: undefined } : assignedAccounts(g, resources);
    return {
        own: (a) => declares(set, a).own || accounts.has(a),
        assigned: accounts,
        defer: () => {
            if (accounts.size === 0 && unknown && !set.deployingDeclared) get(unknown.props, "arn");
        },
    };
}
