import { PolicyResource } from "@pulumi/policy";
import { endpointServiceOwner, graphOwner, readCatalog } from "../../lib/catalog";
import { label, stackIndex, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { STACK_REFERENCE } from "../../lib/stack-references";
import { get, isRecord, peek, show, UNKNOWN } from "../../lib/values";

export const endpointConnectionAccepterDeclared = stackRule({
    name: "endpoint-connection-accepter-declared",
    description:
        "Every connection accepter accepts, on an endpoint service of this stack, the interface endpoint of an edge the catalog declares: an endpoint of this stack in the consumer's VPC, or one another shard's stack exports for that edge (its `endpoints` output). Consumers in other accounts are the catalog's subscribers, decided by the subscription handler.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Remove the accepter; declare the edge in the catalog (`consumes`) and let the platform accept it, or list the other account as a subscriber of the providing service (docs/saas.md).",
    meta: {
        area: "privatelink",
        rationale:
            "Acceptance is the provider's last gate: an accepter for an endpoint id nobody declared (a literal vpce-... from another account) opens the service to a VPC the catalog does not know, past every rule on edges and principals (AWS PrivateLink guide, \"Accept or reject connection requests\": https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#accept-reject-connection-requests).",
        afterUp: "an endpoint id read from another shard's stack is compared with that stack's `endpoints` output, known in preview as in up.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const catalog = readCatalog();
        if (!catalog) return;
        const idx = stackIndex(args.resources);
        let undecided: PolicyResource | undefined;
        for (const a of idx.ofType(TYPES.connectionAccepter)) {
            const services = idx.propDeps(a, "vpcEndpointServiceId").filter((d) => d.type === TYPES.endpointService);
            const provider = services.length === 1 ? endpointServiceOwner(idx, services[0]) : undefined;
            if (provider === UNKNOWN) {
                undecided = a;
                continue;
            }
            if (provider === undefined || !catalog.services.has(provider)) {
                report(`${label(a)} accepts on an endpoint service that is not one catalog service's of this stack. Fix: accept only on the stack's endpoint services, through the catalog.`, a.urn);
                continue;
            }
            const declared = (consumer: string) => catalog.services.get(consumer)?.consumes.includes(provider) === true;
            const endpoints = idx.propDeps(a, "vpcEndpointId");
            const local = endpoints.filter((d) => d.type === TYPES.vpcEndpoint);
            if (local.length > 0) {
                for (const ep of local) {
                    const consumer = graphOwner(idx, ep);
                    if (consumer === UNKNOWN) undecided = a;
                    else if (consumer === undefined || !declared(consumer)) {
                        report(`${label(a)} accepts ${label(ep)}, in the VPC of ${show(consumer ?? null)}, on ${provider}'s endpoint service: an edge the catalog does not declare. Fix: declare it (consumes) or remove the accepter.`, a.urn);
                    }
                }
                continue;
            }
            const id = peek(a.props, "vpcEndpointId");
            const refs = endpoints.filter((d) => d.type === STACK_REFERENCE);
            if (refs.length > 0) {
                if (id === UNKNOWN) {
                    undecided = a;
                    continue;
                }
                // The other shard's export that carries this id, and the edge it names.
                const edge = refs.flatMap((r) => {
                    const out = peek(r.props, "outputs", "endpoints");
                    return isRecord(out) ? Object.entries(out).filter(([, v]) => v === id).map(([k]) => k) : [];
                })[0];
                const [consumer, to] = (edge ?? "").split("->");
                if (!edge || to !== provider || !declared(consumer)) {
                    report(`${label(a)} accepts ${show(id)} on ${provider}'s endpoint service, which no declared consumer shard exports for an edge to ${provider}${edge ? ` (it is exported as ${edge})` : ""}. Fix: remove the accepter.`, a.urn);
                }
                continue;
            }
            if (id === UNKNOWN) {
                undecided = a;
                continue;
            }
            report(
                `${label(a)} accepts ${show(id)} on ${provider}'s endpoint service: an endpoint no declared consumer of this stack or of another shard creates. ` +
                    `Fix: remove it; a consumer in another account is a subscriber of ${provider} in the catalog, accepted by the subscription handler (docs/saas.md).`,
                a.urn,
            );
        }
        if (undecided) void get(undecided.props, "vpcEndpointId");
    },
});
