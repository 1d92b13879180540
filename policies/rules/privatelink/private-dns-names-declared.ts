import { PolicyResource } from "@pulumi/policy";
import { endpointServiceOwner, readCatalog } from "../../lib/catalog";
import { label, stackIndex, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";
import { get, peek, show, UNKNOWN } from "../../lib/values";

const RECORD = "aws:route53/record:Record";

export const privateDnsNamesDeclared = stackRule({
    name: "private-dns-names-declared",
    description:
        "An endpoint service's private DNS name is the one the catalog gives its service (`privateDnsName`), or none; every DNS record of the stack is the TXT record that proves such a name: in the hosted zone the catalog names (`privateDnsZoneId`), under that name, with the value the endpoint service asks for.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set privateDnsName and privateDnsZoneId on the service in the catalog and let the platform create the endpoint service's name, its TXT record and the verification (docs/saas.md#a-name-of-ones-own); remove any other DNS record.",
    meta: {
        area: "privatelink",
        rationale:
            "Consumers whose endpoint enables private DNS resolve the provider's name to that endpoint (AWS PrivateLink guide, \"Manage DNS names for VPC endpoint services\": https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html), so the name a service claims decides where its consumers' calls to that name go; " +
            "a record written into a public zone is visible to the world and can redirect or vouch for any name in it (Route 53 Developer Guide, \"Working with records\"). Only names the catalog declares, proven in the zones it names, are the platform's to write.",
        afterUp: "the record's name and value come from the endpoint service's private DNS configuration, which AWS gives at create: in preview the record is judged by its dependency on the endpoint service.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const catalog = readCatalog();
        if (!catalog) return;
        const idx = stackIndex(args.resources);
        let undecided: PolicyResource | undefined;
        for (const svc of idx.ofType(TYPES.endpointService)) {
            const name = peek(svc.props, "privateDnsName");
            if (name === UNKNOWN) {
                undecided = svc;
                continue;
            }
            if (typeof name !== "string" || name === "") continue;
            const owner = endpointServiceOwner(idx, svc);
            if (owner === UNKNOWN) continue;
            const declared = owner === undefined ? undefined : catalog.services.get(owner)?.privateDns?.name;
            if (declared !== name) {
                report(
                    `${label(svc)} claims the private DNS name ${show(name)}, but ${owner === undefined ? "it belongs to no catalog service" : `the catalog gives ${owner} ${declared === undefined ? "none" : show(declared)}`}. ` +
                        "Fix: declare the name as the service's privateDnsName in the catalog, or remove it.",
                    svc.urn,
                );
            }
        }
        for (const record of idx.ofType(RECORD)) {
            const proves = [...idx.propDeps(record, "name"), ...idx.propDeps(record, "records")].filter((d) => d.type === TYPES.endpointService);
            const svc = proves[0];
            const owner = svc ? endpointServiceOwner(idx, svc) : undefined;
            if (owner === UNKNOWN) continue;
            const dns = owner === undefined ? undefined : catalog.services.get(owner)?.privateDns;
            if (!svc || !dns?.zoneId) {
                report(
                    `${label(record)} (${show(peek(record.props, "type") ?? null)} ${show(peek(record.props, "name") ?? null)}) proves no private DNS name the catalog declares: it takes its name and value from no endpoint service of a service with privateDnsName and privateDnsZoneId. Fix: remove it; the platform writes the only records it needs.`,
                    record.urn,
                );
                continue;
            }
            const problems: string[] = [];
            const type = peek(record.props, "type");
            if (type !== UNKNOWN && type !== "TXT") problems.push(`its type is ${show(type ?? null)}, not TXT`);
            const zone = peek(record.props, "zoneId");
            if (zone === UNKNOWN) undecided = record;
            else if (zone !== dns.zoneId) problems.push(`it is in zone ${show(zone ?? null)}, not ${owner}'s privateDnsZoneId ${dns.zoneId}`);
            const name = peek(record.props, "name");
            if (name === UNKNOWN) undecided = record;
            else if (typeof name !== "string" || !name.replace(/\.$/, "").toLowerCase().endsWith(`.${dns.name}`)) problems.push(`its name ${show(name ?? null)} is not under ${dns.name}`);
            if (problems.length > 0) {
                report(`${label(record)} proves ${owner}'s private DNS name ${dns.name}, but ${problems.join("; ")}. Fix: let the platform write the record (a TXT record under the name, in the catalog's zone).`, record.urn);
            }
        }
        if (undecided) void get(undecided.props, "name");
    },
});
