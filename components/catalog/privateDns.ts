/**
 * A service's own DNS name for its endpoint service (`privateDnsName`), and
 * the public hosted zone where the stack proves it owns the name
 * (`privateDnsZoneId`). AWS lets consumers resolve the name to their
 * endpoint only once the provider has proved ownership with a TXT record
 * (Amazon VPC, AWS PrivateLink guide, "Manage DNS names for VPC endpoint
 * services"; EC2 API, PrivateDnsNameConfiguration: "Consumers of the
 * endpoint service can use the private name only when the state is
 * verified"). The schema here; the checks across fields and services in
 * checkPrivateDns. Plain functions, no Pulumi.
 */
import { z } from "zod";
import type { CatalogProblem } from "./errors";

/** RFC 1034 labels (letters, digits, hyphens, at most 63 each), at least two, at most 255 characters in all (the PrivateLink guide's limits). */
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** A Route 53 hosted zone id (`Z` and up to 32 upper-case letters and digits), as `aws route53 list-hosted-zones` prints it without `/hostedzone/`. */
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;

export function dnsNameProblem(name: string): string | undefined {
    if (name.length > 255) return `is ${name.length} characters; a DNS name has at most 255`;
    if (name.startsWith("*.")) return "is a wildcard: give the exact name consumers call (an endpoint service has one private DNS name)";
    const labels = name.split(".");
    if (labels.length < 2) return "is not a domain name: write the full name consumers call, e.g. api.example.com";
    const bad = labels.find(l => !LABEL.test(l));
    if (bad !== undefined) return `has the label ${JSON.stringify(bad)}: use lowercase letters, digits and hyphens, at most 63 per label`;
    if (/(^|\.)amazonaws\.com$|(^|\.)amazonaws\.com\.cn$/.test(name)) return "is an AWS-owned domain: use a domain you own";
    return undefined;
}

export const PRIVATE_DNS_FIELDS = {
    /** The name consumers call (api.example.com): the endpoint service's private DNS name (docs/saas.md#a-name-of-ones-own). May be { needsInput }. */
    privateDnsName: z.string().superRefine((name, ctx) => {
        const why = dnsNameProblem(name);
        if (why) ctx.addIssue({ code: "custom", message: `${JSON.stringify(name)} ${why}` });
    }).optional(),
    /** The public Route 53 hosted zone of that name, in the stack's account: the stack writes the ownership TXT record there. May be { needsInput }. */
    privateDnsZoneId: z.string().regex(HOSTED_ZONE_ID, {
        error: iss => `${JSON.stringify(iss.input)} is not a hosted zone id: write the id of the public hosted zone of the name (Z followed by letters and digits, without /hostedzone/)`,
    }).optional(),
};

/**
 * A name needs its zone (or a needs-input marker for it) and a zone needs a
 * name; no two services of the environment claim the same name.
 */
export function checkPrivateDns(entries: readonly unknown[], needsInputPaths: ReadonlySet<string>, problems: CatalogProblem[]): void {
    const owners = new Map<string, number>();
    entries.forEach((e, i) => {
        if (typeof e !== "object" || e === null || Array.isArray(e)) return;
        const entry = e as Record<string, unknown>;
        const at = `services[${i}]`;
        const zoneGiven = entry.privateDnsZoneId !== undefined || needsInputPaths.has(`${at}.privateDnsZoneId`);
        const nameGiven = typeof entry.privateDnsName === "string" || needsInputPaths.has(`${at}.privateDnsName`);
        if (nameGiven && !zoneGiven) {
            problems.push({
                path: `${at}.privateDnsZoneId`,
                message: `is required with privateDnsName${typeof entry.privateDnsName === "string" ? ` ${JSON.stringify(entry.privateDnsName)}` : ""}: the id of its public hosted zone, where the stack writes the ownership TXT record (aws route53 list-hosted-zones-by-name --dns-name <domain>), or { needsInput: "..." } until you have it`,
            });
        }
        if (typeof entry.privateDnsName === "string") {
            const first = owners.get(entry.privateDnsName);
            if (first !== undefined) {
                problems.push({ path: `${at}.privateDnsName`, message: `${JSON.stringify(entry.privateDnsName)} is already services[${first}]'s private DNS name; each service needs a name of its own` });
            } else {
                owners.set(entry.privateDnsName, i);
            }
        } else if (zoneGiven && !nameGiven) {
            problems.push({ path: `${at}.privateDnsZoneId`, message: "is set without privateDnsName: add the name consumers call, or remove the zone" });
        }
    });
}

/** What AWS asks to be proved for an endpoint service's private DNS name: one entry of its `PrivateDnsNameConfiguration`. */
export interface DnsNameConfiguration {
    name?: string;
    value?: string;
    state?: string;
}

/**
 * The TXT record that proves `dnsName` for an endpoint service: the
 * subdomain AWS names, under the private DNS name, holding the value AWS
 * gives (AWS PrivateLink guide, "Manage DNS names for VPC endpoint
 * services": the record's name and value come from the service's private
 * DNS name configuration). EC2 returns that configuration for every service
 * with a private DNS name (DescribeVpcEndpointServiceConfigurations,
 * ServiceConfiguration.PrivateDnsNameConfiguration); without one there is
 * nothing to prove, and writing a made-up record would only fail later.
 */
export function ownershipRecord(service: string, dnsName: string, config: DnsNameConfiguration | undefined): { name: string; value: string } {
    if (!config?.name || !config.value) {
        throw new Error(
            `services[${service}].privateDnsName ${dnsName}: AWS returned no verification record for the endpoint service (its PrivateDnsNameConfiguration is empty), ` +
                "so the stack cannot write the TXT record that proves the name. Fix: check the endpoint service in the console (Endpoint services > Domain verification), or remove privateDnsZoneId and prove the name by hand.",
        );
    }
    return { name: `${config.name}.${dnsName}`, value: config.value };
}
