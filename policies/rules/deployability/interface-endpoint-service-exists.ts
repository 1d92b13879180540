import type { PolicyResource } from "@pulumi/policy";
import { graphOwner, readCatalog } from "../../lib/catalog";
import { label, stackIndex, T } from "../../lib/graph";
import { parseAwsServiceName } from "../../facts/endpoint-policy-support";
import { stackRule } from "../../lib/rule";
import { configValue } from "../../lib/stack-config";
import { str } from "../../lib/values";

/** The built-in resource a stack reference is read as (its outputs are another stack's state). */
const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** `com.amazonaws.vpce.<region>.vpce-svc-<17 hex>`: an endpoint service's name (PrivateLink guide, "Create an endpoint service"). */
const ENDPOINT_SERVICE_NAME = /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.vpce-svc-[0-9a-f]{17}$/;

/** Whether the endpoint's serviceName comes from an endpoint service of the plan or from another stack's outputs. */
function provenance(idx: ReturnType<typeof stackIndex>, endpoint: PolicyResource, serviceName: string, planned: Map<string, PolicyResource>): "plan" | "external" | undefined {
    for (const d of idx.propDeps(endpoint, "serviceName")) {
        if (d.type === T.endpointService) return "plan";
        if (d.type === STACK_REFERENCE) return "external";
    }
    return planned.has(serviceName) ? "plan" : undefined;
}

export const interfaceEndpointServiceExists = stackRule({
    name: "interface-endpoint-service-exists",
    description:
        "Every VPC endpoint names a service that exists for it: an AWS service of the stack's Region, an endpoint service the plan creates, " +
        "or one read from another stack's outputs (a declared external service). Anything else fails CreateVpcEndpoint with InvalidServiceName.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Name the endpoint service through its resource (`endpointService.serviceName`) or, for a service of another stack or account, " +
        "through that stack's outputs (a StackReference) or the catalog's declared provider; an AWS service as com.amazonaws.<the stack's region>.<service>.",
    meta: {
        area: "deployability",
        rationale:
            "CreateVpcEndpoint fails with InvalidServiceName when the service name does not exist in the endpoint's Region (Amazon EC2 API Reference, " +
            "\"Error codes for the Amazon EC2 API\": InvalidServiceName, \"The name of the service is not valid\"; AWS PrivateLink guide, \"Access an AWS service " +
            "using an interface VPC endpoint\": the service name is com.amazonaws.<region>.<service>). A literal endpoint-service name the plan neither " +
            "creates nor reads from another stack is a name nobody guarantees exists.",
        afterUp: "a serviceName built from outputs is unknown in preview; its provenance (property dependencies) is known and checked in both modes.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        const region = str(configValue("region", "aws"));
        const catalog = readCatalog();
        // A service name the consumer declares in its `external` list: the provider gave it (docs/saas.md).
        const declaredExternal = (endpoint: PolicyResource, serviceName: string) => {
            const owner = graphOwner(idx, endpoint);
            return typeof owner === "string" && (catalog?.services.get(owner)?.external ?? []).some((x) => x.serviceName === serviceName);
        };
        const planned = new Map<string, PolicyResource>();
        for (const svc of idx.ofType(T.endpointService)) {
            const name = str(idx.prop(svc, "serviceName"));
            if (name) planned.set(name, svc);
        }
        for (const endpoint of idx.ofType(T.vpcEndpoint)) {
            const serviceName = str(idx.prop(endpoint, "serviceName"));
            // Unknown in preview (built from outputs): judged in `up`, once known.
            if (serviceName === undefined) continue;
            const from = provenance(idx, endpoint, serviceName, planned);
            const aws = parseAwsServiceName(serviceName);
            if (aws) {
                if (region && aws.region !== region) {
                    report(
                        `${label(endpoint)} names ${serviceName}, an AWS service of ${aws.region}, but the stack deploys in ${region}: CreateVpcEndpoint fails with InvalidServiceName. ` +
                            `Fix: name com.amazonaws.${region}.${aws.service} (derive the region from aws.getRegion()).`,
                        endpoint.urn,
                    );
                }
                continue;
            }
            const custom = ENDPOINT_SERVICE_NAME.exec(serviceName);
            if ((from !== undefined || (custom && declaredExternal(endpoint, serviceName))) && (!custom || !region || custom[1] === region)) continue;
            report(
                `${label(endpoint)} names ${serviceName}, which ${custom ? `is no endpoint service this plan creates nor one read from another stack's outputs${region && custom[1] !== region ? `, and is in ${custom[1]}, not ${region}` : ""}` : "is not a service name (com.amazonaws.<region>.<service> or com.amazonaws.vpce.<region>.vpce-svc-…)"}: ` +
                    `CreateVpcEndpoint fails with InvalidServiceName if it does not exist. ` +
                    `Fix: take the name from the endpoint service's resource, or from the providing stack's outputs (a StackReference), not a literal.`,
                endpoint.urn,
            );
        }
    },
});
