/**
 * A service's `external` list in the catalog: endpoint services of other
 * providers (a database vendor, a payment processor, another company's API)
 * the service consumes through PrivateLink, each declared with its service
 * name, the ports the service calls and why. The schema here; the checks that
 * look across the entry (unique names, URL variables that clash with the
 * service's own, the stack's region) in checkExternal. What the pack reads of
 * it: policies/lib/catalog.ts. Plain functions, no Pulumi.
 */
import { z } from "zod";
import type { CatalogProblem } from "./errors";
import { port } from "./fields";
import { envName } from "../shared";

/** An endpoint service's name: `com.amazonaws.vpce.<region>.vpce-svc-<17 hex>` (PrivateLink guide, "Create an endpoint service"). */
export const ENDPOINT_SERVICE_NAME = /^com\.amazonaws\.vpce\.([a-z]{2}(-gov)?-[a-z]+-\d)\.vpce-svc-[0-9a-f]{17}$/;
const EXTERNAL_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;
const MIN_REASON = 10;

export const externalSchema = z.strictObject({
    /** What the service calls it: names the endpoint (`<service>-to-<name>`) and its variable (`<NAME>_URL`). */
    name: z.string().regex(EXTERNAL_NAME, { error: iss => `${JSON.stringify(iss.input)} is not a name: lowercase letters, digits and hyphens, starting with a letter, at most 32` }),
    /** The provider's endpoint service name, as the provider gives it; may be { needsInput } (then nothing is created for it yet). */
    serviceName: z.string().regex(ENDPOINT_SERVICE_NAME, {
        error: iss => `${JSON.stringify(iss.input)} is not an endpoint service name: write the name the provider gives you, com.amazonaws.vpce.<region>.vpce-svc-<17 hex digits> (an AWS service such as com.amazonaws.<region>.s3 is not an external service)`,
    }).optional(),
    /** The TCP ports the service calls on it: the endpoint's security group admits exactly these from the workload. */
    ports: z.array(port, { error: "must be a list of the TCP ports the service calls, e.g. [5432]" }).min(1, { error: "must list at least one port" }),
    /** Resolve the provider's own DNS name to the endpoint inside the VPC (only when the provider has a verified private DNS name). */
    privateDns: z.boolean().default(false),
    /** Why the service needs it: reviewed like an edge. */
    reason: z.string().refine(r => r.trim().length >= MIN_REASON, { error: `say why the service needs it (at least ${MIN_REASON} characters)` }),
});

/** The service fields of this file (components/catalog/schema.ts spreads them into the service schema). */
export const EXTERNAL_FIELDS = {
    /** Other providers' endpoint services it consumes (docs/saas.md#consuming-another-providers-service). */
    external: z.array(externalSchema).default([]),
};

export type ExternalSpec = z.output<typeof externalSchema>;

/** The variable a consumed service's URL is handed in: `orders-api` → `ORDERS_API_URL` (as for a `consumes` edge). */
export function urlVariable(name: string): string {
    return `${envName(name)}_URL`;
}

/**
 * Names unique per service and unlike its consumed services (their URL
 * variables would clash), one entry per endpoint service, and every service
 * in the stack's region (an interface endpoint reaches a service of its own
 * Region unless the provider enables cross-Region access, which this
 * platform does not declare).
 */
export function checkExternal(at: string, entry: Record<string, unknown>, region: string | undefined, needsInputPaths: ReadonlySet<string>, problems: CatalogProblem[]): void {
    if (!Array.isArray(entry.external)) return;
    const consumed = new Set((Array.isArray(entry.consumes) ? entry.consumes : []).filter((c): c is string => typeof c === "string").map(urlVariable));
    const names = new Map<string, number>();
    const services = new Map<string, number>();
    entry.external.forEach((e, j) => {
        if (typeof e !== "object" || e === null || Array.isArray(e)) return;
        const x = e as Record<string, unknown>;
        const xat = `${at}.external[${j}]`;
        if (typeof x.name === "string") {
            const first = names.get(x.name);
            if (first !== undefined) problems.push({ path: `${xat}.name`, message: `${JSON.stringify(x.name)} is listed twice (also external[${first}]); name each external service once` });
            else names.set(x.name, j);
            if (consumed.has(urlVariable(x.name))) problems.push({ path: `${xat}.name`, message: `${JSON.stringify(x.name)} gives ${urlVariable(x.name)}, which a consumed service already gives; rename it` });
        }
        if (x.serviceName === undefined && !needsInputPaths.has(`${xat}.serviceName`)) {
            problems.push({ path: `${xat}.serviceName`, message: "is required: the provider's endpoint service name (com.amazonaws.vpce.<region>.vpce-svc-...), or { needsInput: \"...\" } until the provider gives it" });
        }
        if (typeof x.serviceName === "string") {
            const first = services.get(x.serviceName);
            if (first !== undefined) problems.push({ path: `${xat}.serviceName`, message: `${x.serviceName} is already external[${first}]; list each endpoint service once (with all its ports)` });
            else services.set(x.serviceName, j);
            const m = ENDPOINT_SERVICE_NAME.exec(x.serviceName);
            if (m && region !== undefined && m[1] !== region) {
                problems.push({ path: `${xat}.serviceName`, message: `${x.serviceName} is in ${m[1]}, but the stack runs in ${region}: ask the provider for its service name in ${region}` });
            }
        }
    });
}
