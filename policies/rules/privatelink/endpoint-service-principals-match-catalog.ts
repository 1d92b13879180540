import { PolicyResource } from "@pulumi/policy";
import { admittedPrincipals, endpointServiceOwner, readCatalog } from "../../lib/catalog";
import { shardView } from "../../lib/shards";
import { label, stackIndex, TYPES } from "../../lib/graph";
import { reportAdvisory, stackRule } from "../../lib/rule";
import { consumerShardAccounts, ownShardAccount } from "../../lib/stack-references";
import { configValue } from "../../lib/stack-config";
import { asStrings, get, isRecord, peek, show, UNKNOWN } from "../../lib/values";

const ROOT_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const DESCRIPTION =
    "Each endpoint service admits exactly the principals the catalog derives: the stack's consumer principal when a catalog service consumes it, plus the service's own allowedPrincipals (read from the stack's configuration; exported as the stack output declaredPrincipals).";

/**
 * Adds to `expected` the account roots of the shards whose services consume
 * `provider` from another shard (the program derives them, components/shardWiring.ts);
 * returns how many consumer shards deploy with the running credentials into
 * an account this stack does not name (each admits that account's root).
 */
function shardConsumerRoots(catalog: NonNullable<ReturnType<typeof readCatalog>>, provider: string, expected: Set<string>): number {
    const view = shardView();
    if (!view) return 0;
    const ownAccount = view.accountOf.get(view.shard);
    const partition = /^[a-z]+-gov-/.test(catalog.region ?? "") ? "aws-us-gov" : /^cn-/.test(catalog.region ?? "") ? "aws-cn" : "aws";
    const unnamed = new Set<string>();
    for (const c of catalog.services.values()) {
        const shard = view.shardOf.get(c.name);
        if (!shard || shard === view.shard || !c.consumes.includes(provider)) continue;
        const account = view.accountOf.get(shard);
        if (account) expected.add(`arn:${partition}:iam::${account}:root`);
        else if (ownAccount && !view.pending.has(shard)) unnamed.add(shard);
    }
    return unnamed.size > 0 ? 1 : 0;
}

/** The account an endpoint service lives in, from its ARN once known (after up). */
function accountOf(svc: PolicyResource): string | undefined {
    const arn = peek(svc.props, "arn");
    const m = typeof arn === "string" ? /^arn:aws[a-z-]*:ec2:[a-z0-9-]+:(\d{12}):/.exec(arn) : null;
    return m ? m[1] : undefined;
}

export const endpointServicePrincipalsMatchCatalog = stackRule({
    name: "endpoint-service-principals-match-catalog",
    description: DESCRIPTION,
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Let the platform derive allowedPrincipals from the catalog; add another account's principal to the providing service's allowedPrincipals in the catalog, never in the program.",
    meta: {
        area: "privatelink",
        rationale:
            "Allowed principals are who may request a connection to a service; acceptance then lets the connection through. A principal the catalog did not declare is an edge nobody reviewed (AWS PrivateLink guide, \"Manage permissions\": https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#add-remove-permissions).",
        afterUp: "the stack's own account is read from the endpoint service's ARN, known after up; in preview the in-stack principal must be one account root shared by every consumed service and not a declared foreign principal.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const catalog = readCatalog();
        const idx = stackIndex(args.resources);
        const consumed = new Set(catalog ? [...catalog.services.values()].flatMap((s) => s.consumes) : []);
        // Without a catalog in the configuration, the stack's exported declaredPrincipals (after up).
        const exported = idx.ofType("pulumi:pulumi:Stack").map((s) => peek(s.props, "declaredPrincipals")).find((v) => isRecord(v));
        if (!catalog && !exported) {
            return;
        }
        const inStackCandidates = new Map<string, string[]>();
        let accountUnknown: PolicyResource | undefined;
        for (const svc of idx.ofType(TYPES.endpointService)) {
            const owner = endpointServiceOwner(idx, svc);
            if (owner === UNKNOWN) {
                continue;
            }
            const actual = admittedPrincipals(idx, svc, peek);
            if (actual === UNKNOWN) {
                continue;
            }
            let expected: Set<string>;
            let inStack: string | undefined;
            const spec = owner === undefined ? undefined : catalog?.services.get(owner);
            if (catalog) {
                if (!spec) {
                    report(`${label(svc)} belongs to ${owner === undefined ? "no service VPC" : `"${owner}", which is not in the catalog`}, so no consumer is declared for it. Fix: remove it.`, svc.urn);
                    continue;
                }
                expected = new Set(spec.allowedPrincipals);
                // Consumers in shards deployed into other accounts are admitted by their account's root.
                const consumers = [...catalog.services.values()].filter((c) => c.consumes.includes(spec.name)).map((c) => c.name);
                for (const a of consumerShardAccounts(consumers, configValue("shards"))) expected.add(`arn:aws:iam::${a}:root`);
                if (consumed.has(spec.name)) {
                    // In a shard deployed into an account of its own, consumers without one run in
                    // the deploying credentials' account, which this stack's ARNs do not show.
                    const account = ownShardAccount(configValue("shard"), configValue("shards")) ? undefined : accountOf(svc);
                    inStack = catalog.consumerPrincipal ?? (account ? `arn:aws:iam::${account}:root` : undefined);
                    if (inStack) expected.add(inStack);
                }
            } else {
                expected = new Set(asStrings(get(exported, owner ?? "")));
            }
            // A shard stack (docs/scale.md) also admits its consumers' shards' accounts.
            const tolerated = catalog && spec ? shardConsumerRoots(catalog, spec.name, expected) : 0;
            let extra = actual.filter((p) => !expected.has(p));
            if (tolerated > 0) {
                // Consumer shards deployed with the running credentials, seen from a shard in another account: one root each.
                const roots = extra.filter((p) => ROOT_ARN.test(p)).slice(0, tolerated);
                extra = extra.filter((p) => !roots.includes(p));
            }
            // Before up, the stack's own account is not known: one account root may stand for it.
            if (catalog && spec && consumed.has(spec.name) && !inStack) {
                const roots = extra.filter((p) => ROOT_ARN.test(p));
                const candidate = roots.length === 1 ? roots[0] : undefined;
                if (candidate) {
                    accountUnknown = svc;
                    inStackCandidates.set(candidate, [...(inStackCandidates.get(candidate) ?? []), spec.name]);
                    extra.splice(extra.indexOf(candidate), 1);
                }
            }
            if (extra.length > 0) {
                report(
                    `${label(svc)} admits ${show(extra)}, which the catalog does not derive for "${owner ?? "?"}" (expected ${show([...expected].sort())}${
                        inStack === undefined && consumed.has(owner as string) ? " plus the stack's own account root" : ""
                    }). Fix: remove ${extra.length === 1 ? "it" : "them"} from the program; a consumer in another account goes in the catalog's allowedPrincipals of "${owner ?? "?"}".`,
                    svc.urn,
                );
            }
            const missing = [...expected].filter((p) => !actual.includes(p));
            if (missing.length > 0) {
                reportAdvisory(report, DESCRIPTION, `${label(svc)} does not admit ${show(missing)}, which the catalog declares: those consumers cannot connect. Fix: let the platform derive allowedPrincipals.`, svc.urn);
            }
        }
        if (inStackCandidates.size > 1) {
            report(
                `Endpoint services admit different account roots as the stack's own consumer principal: ${[...inStackCandidates].map(([p, s]) => `${p} (${s.join(", ")})`).join("; ")}. ` +
                    "Only one is the stack's account; the others are undeclared. Fix: let the platform derive allowedPrincipals from the catalog.",
            );
        }
        if (accountUnknown) {
            // Whether that root is the stack's own account shows in the endpoint
            // service's ARN, known after up: read it as the engine's proxy does.
            void get(accountUnknown.props, "arn");
        }
    },
});
