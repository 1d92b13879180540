/**
 * Amazon Route 53 records in the fake cloud: the TXT record a service writes
 * to prove it owns its endpoint service's private DNS name.
 *
 * Sources:
 * - `aws_route53_record` (terraform-provider-aws
 *   `internal/service/route53/record.go`): the id is
 *   `<zone id>_<name>_<type>` (plus `_<set identifier>` for a routing
 *   policy), `fqdn` is the name without its trailing dot, lower-cased.
 * - A record is written with ChangeResourceRecordSets into an existing
 *   hosted zone (Route 53 API reference: NoSuchHostedZone otherwise; the
 *   name must be in the zone's domain: InvalidChangeBatch otherwise).
 *
 * Which hosted zones exist in an account, and which domain each serves, is
 * outside what the offline world knows (the catalog gives only a zone id):
 * the zone is assumed to exist and to hold the name, and every record says
 * so as a fallback. Only Route 53 can tell at `up`.
 */
import { Handler, ServiceModel, known, str } from "./common";

const resources: Record<string, Handler> = {
    "aws:route53/record:Record": c => {
        const zoneId = str(c.inputs.zoneId) ?? "Z";
        const name = (known(c.inputs.name) ?? c.name).replace(/\.$/, "").toLowerCase();
        const type = str(c.inputs.type) ?? "A";
        const set = str(c.inputs.setIdentifier);
        c.fallback(`hosted zone ${zoneId} exists in account ${c.account} and serves the record's name`,
            "the offline world does not know the account's hosted zones or their domains; Route 53 refuses the change at up if the zone is missing (NoSuchHostedZone) or the name is outside it (InvalidChangeBatch)");
        return { id: `${zoneId}_${name}_${type}${set ? `_${set}` : ""}`, computed: { fqdn: name } };
    },
};

export const ROUTE53: ServiceModel = { resources };
