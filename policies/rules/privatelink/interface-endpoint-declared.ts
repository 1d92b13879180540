import { PolicyResource } from "@pulumi/policy";
import { isRuntimeName, runtimeFacts } from "../../facts/runtimes";
import { endpointServiceOwner, graphOwner, readCatalog } from "../../lib/catalog";
import { label, stackIndex, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { asArray, asStrings, get, peek, show, str, UNKNOWN } from "../../lib/values";
import { referencedEndpointServices } from "../../lib/stack-references";
import { serviceEndpoints } from "../../lib/service-needs";
import { configValue } from "../../lib/stack-config";

const MIN_REASON = 10;

interface Extra {
    name: string;
    consumers: string[];
    reason: string;
}

function readExtras(raw: unknown, key: "service", report: (m: string) => void): Extra[] {
    const out: Extra[] = [];
    for (const e of asArray(raw)) {
        const name = str(get(e, key)) ?? "";
        const consumers = asStrings(get(e, "consumers"));
        const reason = (str(get(e, "reason")) ?? "").trim();
        const problems: string[] = [];
        if (!name || /[*?]/.test(name)) problems.push(`${key} ${show(name)} must name one endpoint service (no wildcard)`);
        if (consumers.length === 0 || consumers.some((c) => c.includes("*"))) problems.push("consumers must list the catalog services that may use it (no wildcard)");
        if (reason.length < MIN_REASON) problems.push(`has no reason (at least ${MIN_REASON} characters)`);
        if (problems.length > 0) {
            report(`config entry ${show(e)} ${problems.join("; ")}, so it allows nothing. Fix: name the endpoint service, the consumers and the reason.`);
            continue;
        }
        out.push({ name, consumers, reason });
    }
    return out;
}

const AWS_SERVICE = /^com\.amazonaws\.([a-z0-9-]+)\.(.+)$/;

export const interfaceEndpointDeclared = stackRule({
    name: "interface-endpoint-declared",
    description:
        "Every VPC endpoint in a service's VPC is an AWS-service endpoint its runtime or its declared needs (data, uses, secrets, aws) call for (or a configured extra), or reaches, by value or by dependency, the endpoint service of a provider the catalog declares it consumes, or another provider's endpoint service the catalog declares in the service's `external` list: the catalog is read from the stack's configuration.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Declare the edge in the catalog (`consumes`) and let the platform create the endpoint; for an AWS API a service's code calls, declare it in the catalog (the service's data, uses, secrets, or aws: [{api, reason}]), or, as a reasoned exception outside the catalog, in awsServiceEndpoints with the consumers and a reason; for another provider's endpoint service, declare it in the consuming service's `external` list (name, serviceName, ports, reason; docs/saas.md).",
    configSchema: {
        properties: {
            awsServiceEndpoints: {
                type: "array",
                items: { type: "object", properties: { service: { type: "string" }, consumers: { type: "array", items: { type: "string" } }, reason: { type: "string" } } },
                default: [],
                description: "Extra AWS-service endpoints: {service (after com.amazonaws.<region>., e.g. secretsmanager), consumers (catalog services), reason}.",
            },
        },
    },
    meta: {
        area: "privatelink",
        rationale:
            "An interface endpoint is a network path out of a service's VPC: to an AWS API (data can leave through it) or to another service. Only the catalog's consumes edges and the APIs a runtime needs are intended; a serviceName pasted as a literal, or a Lattice service-network endpoint, bypasses the declared graph. Endpoint types and service names: AWS PrivateLink guide, \"Access AWS services through AWS PrivateLink\" and \"Access a service through an interface endpoint\" (https://docs.aws.amazon.com/vpc/latest/privatelink/).",
        afterUp: "a serviceName that is neither a literal nor a dependency on an endpoint service of the stack is only known after up.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const catalog = readCatalog();
        if (!catalog) {
            return; // no catalog given (a stack of another program): declared-edges-only still applies
        }
        const idx = stackIndex(args.resources);
        const cfg = args.getConfig<{ awsServiceEndpoints?: unknown }>();
        const extraAws = readExtras(cfg.awsServiceEndpoints, "service", report);
        // Endpoint services of this stack by their (known) service name, for literals.
        const byName = new Map<string, PolicyResource>();
        for (const svc of idx.ofType(TYPES.endpointService)) {
            const sn = peek(svc.props, "serviceName");
            if (typeof sn === "string") byName.set(sn, svc);
        }
        // Other shards' endpoint services, as this stack read them (StackReference).
        const referenced = referencedEndpointServices(args.resources);
        let undecided: PolicyResource | undefined;
        for (const ep of idx.ofType(TYPES.vpcEndpoint)) {
            const consumer = graphOwner(idx, ep);
            if (consumer === UNKNOWN) {
                undecided = ep;
                continue;
            }
            const spec = consumer === undefined ? undefined : catalog.services.get(consumer);
            if (!spec) {
                report(`${label(ep)} sits in ${consumer === undefined ? "no single service VPC" : `the VPC of "${consumer}", which is not in the catalog`}. Fix: create endpoints only in the catalog services' VPCs.`, ep.urn);
                continue;
            }
            const edgeTo = (provider: string | undefined | typeof UNKNOWN, how: string) => {
                if (provider === UNKNOWN) {
                    undecided = ep;
                } else if (provider === undefined || !catalog.services.has(provider)) {
                    report(`${label(ep)} connects ${spec.name} to an endpoint service ${how} that belongs to no catalog service. Fix: remove it.`, ep.urn);
                } else if (!spec.consumes.includes(provider)) {
                    report(`${label(ep)} connects ${spec.name} to ${provider} (${how}), an edge the catalog does not declare (${spec.name} consumes ${show(spec.consumes)}). Fix: add ${provider} to ${spec.name}'s consumes, or remove the endpoint.`, ep.urn);
                }
            };
            const targets = idx.propDeps(ep, "serviceName").filter((d) => d.type === TYPES.endpointService);
            if (targets.length > 0) {
                for (const svc of targets) edgeTo(endpointServiceOwner(idx, svc), "by dependency");
                continue;
            }
            const lattice = ["serviceNetworkArn", "resourceConfigurationArn"].filter((k) => { const v = peek(ep.props, k); return v === UNKNOWN || (typeof v === "string" && v !== ""); });
            if (lattice.length > 0) {
                report(`${label(ep)} sets ${lattice.join(", ")}: a VPC Lattice service-network or resource endpoint joins ${spec.name}'s VPC to networks outside the catalog. Fix: remove it; services connect only through the catalog's PrivateLink edges.`, ep.urn);
                continue;
            }
            const sn = peek(ep.props, "serviceName");
            if (sn === UNKNOWN) {
                undecided = ep;
                continue;
            }
            const name = str(sn) ?? "";
            const type = str(peek(ep.props, "vpcEndpointType")) ?? "Interface";
            const aws = AWS_SERVICE.exec(name);
            if (aws && aws[1] !== "vpce") {
                const [, region, service] = aws;
                // The runtime's endpoints and those the service's declared needs imply (data, uses, secrets, aws: lib/service-needs);
                // a platform VPC of its own (the subscription handler's) declares its endpoints itself.
                const needs = spec.awsEndpoints ?? (isRuntimeName(spec.runtime) ? serviceEndpoints(runtimeFacts(spec.runtime).endpoints, spec.name, configValue("services")) : { interface: [], gateway: [] });
                const list = type === "Gateway" ? needs.gateway : type === "Interface" ? needs.interface : [];
                const extra = extraAws.some((x) => x.name === service && x.consumers.includes(spec.name));
                if (catalog.region && region !== catalog.region) {
                    report(`${label(ep)} reaches ${name} in region ${region}; the stack runs in ${catalog.region}. Fix: use com.amazonaws.${catalog.region}.${service}, or remove it.`, ep.urn);
                } else if (!list.includes(service) && !extra) {
                    report(
                        `${label(ep)} is a ${type} endpoint to the AWS service ${service}, which neither ${spec.name}'s runtime (${spec.runtime}) nor its declared data, uses, secrets or aws entries need (they need ${show([...list])}). ` +
                            `Fix: remove it, or declare {api: ${service}, reason} in ${spec.name}'s aws list in the catalog (docs/catalog.md#aws).`,
                        ep.urn,
                    );
                }
                continue;
            }
            const inStack = byName.get(name);
            if (inStack) {
                edgeTo(endpointServiceOwner(idx, inStack), `by its literal service name ${name}`);
                continue;
            }
            const otherShard = referenced.get(name);
            if (otherShard) {
                edgeTo(otherShard.service, `read from stack ${otherShard.stack}`);
                continue;
            }
            // Another provider's service, declared in the consumer's `external` list (components/catalog/external.ts).
            if (spec.external.some((x) => x.serviceName === name)) {
                continue;
            }
            report(
                `${label(ep)} connects ${spec.name} to ${show(name || null)}, which is neither an AWS service its runtime needs nor the endpoint service of a provider it consumes (by dependency or by value), nor an external service ${spec.name} declares. ` +
                    `Fix: pass the provider's <endpointService>.serviceName for a declared edge, or declare {name, serviceName: "${name}", ports, reason} in ${spec.name}'s external list in the catalog.`,
                ep.urn,
            );
        }
        if (undecided) {
            // Read what was unknown as the engine's proxy sees it, so preview
            // reports the policy as unable to run (after the findings above).
            void get(undecided.props, "serviceName");
            for (const vpc of idx.vpcsOf(undecided)) void get(idx.byUrn.get(vpc)?.props, "tags");
        }
    },
});
