import { declaredEdges, edgeName } from "../../lib/declared-edges";
import { planGraph } from "../../lib/plan/graph";
import { TAGS, TYPES } from "../../lib/plan/types";
import { stackRule } from "../../lib/rule";
import { configValue } from "../../lib/stack-config";
import { STACK_REFERENCE } from "../../lib/stack-references";
import { get, isRecord, show, UNKNOWN } from "../../lib/values";

const DESCRIPTION =
    "Every endpoint connection accepter accepts an endpoint of a declared edge: the consumer's endpoint in this plan, or the endpoint a consumer shard exports for that edge (endpoints[\"<consumer>-><provider>\"] of its stack), to the endpoint service of the edge's provider.";

export const endpointConnectionAccepterDeclared = stackRule({
    name: "endpoint-connection-accepter-declared",
    description: DESCRIPTION,
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Accept only the endpoints the catalog's edges create (a consumer's endpoint, or the one its shard exports); declare the edge in the consumer's `consumes` first. A consumer in another account is a subscriber of the providing service, decided by the subscription handler (docs/saas.md).",
    meta: {
        area: "privatelink",
        rationale:
            "An endpoint service with acceptance required admits a connection only when the provider accepts it (AWS PrivateLink guide, \"Accept or reject connection requests\", " +
            "https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#accept-reject-connection-requests): an accepter for an endpoint id pasted from elsewhere admits whoever owns that endpoint, whatever the catalog says.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const g = planGraph(args.resources);
        const accepters = g.ofType(TYPES.connectionAccepter);
        if (accepters.length === 0) return;
        const declared = new Set(declaredEdges(configValue("services"), configValue("platform")).map(edgeName));
        // Endpoint ids other shards export, by value: which edge each belongs to.
        const exported = new Map<string, string>();
        for (const ref of g.ofType(STACK_REFERENCE)) {
            const endpoints = get(get(ref.props, "outputs"), "endpoints");
            if (!isRecord(endpoints)) continue;
            for (const [edge, id] of Object.entries(endpoints)) if (typeof id === "string") exported.set(id, edge);
        }
        for (const a of accepters) {
            const svc = g.one(a, "vpcEndpointServiceId", [TYPES.endpointService]);
            const provider = svc ? g.serviceOf(svc) : undefined;
            if (provider === UNKNOWN) continue;
            const value = a.props.vpcEndpointId;
            const ep = g.one(a, "vpcEndpointId", [TYPES.vpcEndpoint]);
            let edge: string | undefined;
            if (ep) {
                const consumer = g.tag(ep, TAGS.consumer) ?? g.serviceOf(ep);
                if (consumer === UNKNOWN) continue;
                edge = consumer !== undefined && provider !== undefined ? edgeName({ consumer, provider }) : undefined;
            } else if (typeof value === "string" && exported.has(value)) {
                edge = exported.get(value);
            } else if (value === UNKNOWN) {
                // From another stack's outputs or a resource of the plan: decided when known.
                if (g.depsOf(a, "vpcEndpointId").length > 0) continue;
                get(args.resources[a.index].props, "vpcEndpointId");
            }
            const fromProvider = edge !== undefined && provider !== undefined && edge.endsWith(`->${provider}`);
            if (edge !== undefined && fromProvider && declared.has(edge)) continue;
            const what = edge === undefined ? `endpoint ${show(value)}, which no edge of the plan or of another shard's outputs creates` : !fromProvider ? `the endpoint of edge ${edge} on the endpoint service of ${provider ?? "no service"}` : `the endpoint of edge ${edge}, which the catalog does not declare`;
            report(`${a.type} "${a.name}" accepts ${what}. Fix: accept only endpoints of declared edges; add the edge to the consumer's consumes, or, for a consumer in another account, list it as a subscriber of ${provider ?? "the providing service"} (docs/saas.md).`, a.urn);
        }
    },
});
