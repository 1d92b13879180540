import { isUnknown, label, stackIndex, TAG_CONSUMER, TAG_EDGE, TAG_KIND, TAG_PROVIDER, TYPES } from "../../lib/graph";
import { reportAdvisory, stackRule } from "../../lib/rule";
import { referencedEndpointServices } from "../../lib/stack-references";
import { asStrings, peek, show, tagsOf, UNKNOWN } from "../../lib/values";

const DESCRIPTION =
    "Every interface endpoint to an endpoint service of this stack is a declared consumer->provider edge: its privatelink:edge/consumer/provider tags match the VPC it sits in and the service it targets (and declaredEdges, when configured; a declared edge without an endpoint is reported as advisory).";

export const declaredEdgesOnly = stackRule({
    name: "declared-edges-only",
    description: DESCRIPTION,
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Declare the edge in the catalog (`consumes`) so the program creates the endpoint with its tags; remove endpoints the catalog does not declare.",
    configSchema: {
        properties: {
            declaredEdges: {
                type: "array",
                items: { type: "string", pattern: "^[^\\s>]+->[^\\s>]+$" },
                description:
                    "When given, the only allowed edges (\"consumer->provider\"), e.g. generated from the catalog. Without it, a `declaredEdges` list exported by the stack (root stack output) is used when present.",
            },
        },
    },
    meta: {
        area: "topology",
        rationale: "The catalog's consumes edges are the intended service graph; an undeclared endpoint is a hidden dependency or a lateral path.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const cfg = args.getConfig<{ declaredEdges?: unknown }>();
        // The catalog's edges: from config, else from a `declaredEdges` output of the stack, when the program exports one.
        const exported = idx.ofType("pulumi:pulumi:Stack").map((s) => peek(s.props, "declaredEdges")).find((v) => Array.isArray(v));
        const allowList = Array.isArray(cfg.declaredEdges) ? new Set(asStrings(cfg.declaredEdges)) : exported ? new Set(asStrings(exported)) : undefined;
        const built = new Set<string>();
        const referenced = referencedEndpointServices(args.resources);
        let undecided = false;
        for (const ep of idx.ofType(TYPES.vpcEndpoint)) {
            const tags = tagsOf(ep.props);
            if (tags === UNKNOWN) {
                undecided = true;
                continue;
            }
            const targets = idx.propDeps(ep, "serviceName").filter((d) => d.type === TYPES.endpointService);
            const kind = tags[TAG_KIND];
            // An endpoint to another shard's service: its name read from that shard's stack.
            const literal = stringOrUndefined(peek(ep.props, "serviceName"));
            const fromShard = targets.length === 0 && literal !== undefined ? referenced.get(literal) : undefined;
            if (fromShard) {
                const vpcs = [...idx.vpcsOf(ep)];
                const consumer = vpcs.length === 1 ? idx.ownerOfVpc(vpcs[0]) : undefined;
                if (isUnknown(consumer)) {
                    undecided = true;
                    continue;
                }
                const actual = `${consumer ?? "?"}->${fromShard.service}`;
                built.add(actual);
                const problems: string[] = [];
                if (kind !== "mesh") problems.push(`${TAG_KIND} = ${show(kind ?? null)} (expected "mesh")`);
                if (tags[TAG_EDGE] !== actual) problems.push(`${TAG_EDGE} = ${show(tags[TAG_EDGE] ?? null)} but the topology is "${actual}" (provider read from stack ${fromShard.stack})`);
                if (allowList && !allowList.has(actual)) problems.push(`edge "${actual}" is not in declaredEdges`);
                if (problems.length > 0) {
                    report(`${label(ep)} is an undeclared edge ${actual}: ${problems.join("; ")}. Fix: declare ${actual} in the catalog's consumes (and declaredEdges) or remove the endpoint.`, ep.urn);
                }
                continue;
            }
            if (targets.length === 0) {
                if (kind === "mesh") {
                    const sn = peek(ep.props, "serviceName");
                    report(
                        `${label(ep)} is tagged as a mesh endpoint but its serviceName (${sn === UNKNOWN ? "<unknown>" : show(sn ?? null)}) does not come from an endpoint service of this stack, so its edge cannot be verified. ` +
                            `Fix: pass the provider's <endpointService>.serviceName.`,
                        ep.urn,
                    );
                }
                continue;
            }
            const vpcs = [...idx.vpcsOf(ep)];
            const consumer = vpcs.length === 1 ? idx.ownerOfVpc(vpcs[0]) : undefined;
            for (const svc of targets) {
                const provider = idx.serviceOf(svc);
                if (isUnknown(consumer) || isUnknown(provider)) {
                    undecided = true;
                    continue;
                }
                const actual = `${consumer ?? "?"}->${provider ?? "?"}`;
                built.add(actual);
                const edge = tags[TAG_EDGE];
                const problems: string[] = [];
                if (consumer === undefined) problems.push(`its VPC belongs to no microservice (vpcId must depend on a VPC tagged ${JSON.stringify("privatelink:service")})`);
                if (provider === undefined) problems.push(`endpoint service ${svc.name} has no privatelink:service tag`);
                if (kind !== "mesh") problems.push(`${TAG_KIND} = ${show(kind ?? null)} (expected "mesh")`);
                if (edge === undefined) problems.push(`it has no ${TAG_EDGE} tag`);
                else if (edge !== actual) problems.push(`${TAG_EDGE} = "${edge}" but the topology is "${actual}"`);
                if (tags[TAG_CONSUMER] !== consumer) problems.push(`${TAG_CONSUMER} = ${show(tags[TAG_CONSUMER] ?? null)} (VPC owner is ${show(consumer ?? null)})`);
                if (tags[TAG_PROVIDER] !== provider) problems.push(`${TAG_PROVIDER} = ${show(tags[TAG_PROVIDER] ?? null)} (service owner is ${show(provider ?? null)})`);
                if (allowList && !allowList.has(actual)) problems.push(`edge "${actual}" is not in declaredEdges`);
                if (problems.length > 0) {
                    report(`${label(ep)} is an undeclared edge ${actual}: ${problems.join("; ")}. Fix: declare ${actual} in the catalog's consumes (and declaredEdges) or remove the endpoint.`, ep.urn);
                }
            }
        }
        for (const edge of allowList && !undecided ? allowList : []) {
            if (!built.has(edge)) {
                // Not an exposure, a gap: the consumer cannot reach the provider.
                reportAdvisory(report, DESCRIPTION, `Declared edge "${edge}" has no interface endpoint in the consumer's VPC. Fix: create the endpoint (the catalog's consumes), or drop the edge from declaredEdges.`);
            }
        }
        if (cfg.declaredEdges !== undefined && !Array.isArray(cfg.declaredEdges)) {
            report(`declaredEdges = ${show(cfg.declaredEdges)} is not a list of "consumer->provider" strings. Fix: correct the policy config.`);
        }
    },
});

/** A value that is a string, or undefined: a malformed input never throws while looking it up. */
function stringOrUndefined(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}
