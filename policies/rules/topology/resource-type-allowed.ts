import { allowList, AllowedType, ancestorTypes, placedAllowed, ROOT } from "../../lib/allowed-types";
import { expiryProblem, MAX_EXEMPTION_DAYS, MIN_REASON_LENGTH, nowOf } from "../../lib/exemptions";
import { stackRule } from "../../lib/rule";
import { asArray, asStrings, get, isRecord, show, str } from "../../lib/values";

const TOKEN = /^[A-Za-z0-9_-]+:[A-Za-z0-9_./-]*:[A-Za-z0-9_]+$/;

const FIX =
    "Fix: remove it; or add the type under the component that owns it (a runtime's: policies/facts/runtimes/<runtime>.ts; others: policies/lib/allowed-types.ts), with what it means for isolation and a rule that checks it " +
    '(docs/policies.md, "Adding a resource type"); or, for this stack only, allow it in resource-type-allowed.allowedTypes with the owning component, a reason and an expiry ' +
    `within ${MAX_EXEMPTION_DAYS} days.`;

interface Allowance {
    entry?: AllowedType;
    problem?: string;
    raw: string;
}

/** A stack's own allowances: `{type, under?, reason, expires}`; a wildcard, reasonless or far-future one allows nothing. */
function readAllowances(raw: unknown, now: Date): Allowance[] {
    return asArray(raw).map((a) => {
        const type = str(get(a, "type")) ?? "";
        const under = get(a, "under") === undefined ? undefined : asStrings(get(a, "under"));
        const reason = (str(get(a, "reason")) ?? "").trim();
        const problems: string[] = [];
        if (!isRecord(a)) problems.push("is not an object {type, under?, reason, expires}");
        if (!TOKEN.test(type)) problems.push(`type ${show(type)} is not one resource type token (wildcards allow nothing)`);
        if (under !== undefined && (under.length === 0 || under.some((u) => u !== ROOT && !TOKEN.test(u)))) {
            problems.push(`under ${show(get(a, "under"))} must list component type tokens (or "${ROOT}")`);
        }
        if (reason.length < MIN_REASON_LENGTH) problems.push(`has no reason (at least ${MIN_REASON_LENGTH} characters)`);
        const expiry = expiryProblem(get(a, "expires"), now);
        if (expiry) problems.push(expiry);
        const out: Allowance = { raw: show(a) };
        if (problems.length > 0) {
            out.problem = problems.join("; ");
        } else {
            out.entry = { type, under: under ?? [ROOT, ...allOwners()], isolation: `allowed for this stack: ${reason}` };
        }
        return out;
    });
}

/** Without `under`, a configured type may sit anywhere a platform type may. */
function allOwners(): string[] {
    return [...new Set([...allowList().values()].map((e) => e.type))];
}

function where(ancestors: string[]): string {
    return ancestors.length === 0 ? "directly under the stack" : `under ${ancestors.join(" > ")}`;
}

export const resourceTypeAllowed = stackRule({
    name: "resource-type-allowed",
    description:
        "Default-deny: every resource is of a type the pack knows (policies/lib/allowed-types.ts: what each type means for isolation and which rules check it), inside the component that owns that type, or allowed for this stack with a reason and an expiry.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'Remove the resource, or add its type under the component that owns it (the runtime declaration in policies/facts/runtimes, or policies/lib/allowed-types.ts), after making sure a rule checks what it exposes (see "Adding a resource type"); a stack may allow a type for a while in allowedTypes.',
    configSchema: {
        properties: {
            allowedTypes: {
                type: "array",
                items: {
                    type: "object",
                    properties: {
                        type: { type: "string" },
                        under: { type: "array", items: { type: "string" } },
                        reason: { type: "string" },
                        expires: { type: "string" },
                    },
                },
                default: [],
                description:
                    `Types this stack allows besides the pack's list: {type (one token, no wildcard), under? (owning component types; "${ROOT}" for the stack), reason (>= ${MIN_REASON_LENGTH} chars), expires (ISO date within ${MAX_EXEMPTION_DAYS} days)}.`,
            },
        },
    },
    meta: {
        area: "topology",
        rationale:
            "A deny-list only refuses the shapes someone thought of; AWS has hundreds of resource types that put a service on the internet (App Runner, Lightsail, Global Accelerator), join two VPCs (VPC Lattice, Client VPN, Network Firewall) or share a subnet with another account (RAM). Knowing every type the platform creates, and where, turns each new one into a decision. Types come from the Pulumi AWS provider's resource tokens (https://www.pulumi.com/registry/packages/aws/api-docs/).",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const config = args.getConfig<{ allowedTypes?: unknown }>();
        const allowances = readAllowances(config.allowedTypes, nowOf(args));
        for (const a of allowances) {
            if (a.problem) {
                report(`allowedTypes entry ${a.raw} ${a.problem}, so it allows nothing. Fix: name one type, the component that owns it, a reason and an ISO expiry within ${MAX_EXEMPTION_DAYS} days.`);
            }
        }
        const list = allowList(allowances.flatMap((a) => (a.entry ? [a.entry] : [])));
        for (const r of args.resources) {
            const entry = list.get(r.type);
            const ancestors = ancestorTypes(r.urn);
            if (!entry) {
                report(`${r.type} "${r.name}" (${r.urn}) is of type ${r.type}, which the policy pack does not know: it cannot tell whether it opens the service to the internet, joins two VPCs or shares them with another account. ${FIX}`, r.urn);
                continue;
            }
            if (!placedAllowed(entry, ancestors)) {
                const owners = entry.under.map((u) => (u === ROOT ? "the stack" : u)).join(", ");
                report(`${r.type} "${r.name}" (${r.urn}) sits ${where(ancestors)}; the pack allows ${r.type} only under ${owners}. ${FIX}`, r.urn);
            }
        }
    },
});
