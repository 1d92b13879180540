/**
 * Zone ids (`use1-az1`): their format, those in which EKS refuses cluster
 * subnets, and those with API Gateway VPC links v2. Plain data, no imports: the program picks its zones with them
 * (components/catalog/zones.ts) and the pack's `eks-supported-zones` rule
 * judges with the same list.
 *
 * AWS maps zone names (`us-east-1a`) to physical zones independently for each
 * account; a zone id names the same physical zone in every account (AWS RAM
 * User Guide, "AZ IDs for your AWS resources",
 * https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html).
 */

const EKS_SUBNET_DOC =
    "Amazon EKS User Guide, \"View Amazon EKS networking requirements for VPC and subnets\", Subnet requirements for clusters " +
    "(https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets)";

/** Zone ids in which EKS refuses cluster subnets (the control plane's network interfaces), with where that is written. */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly { zoneId: string; region: string; source: string }[] = [
    { zoneId: "use1-az3", region: "us-east-1", source: EKS_SUBNET_DOC },
    { zoneId: "usw1-az2", region: "us-west-1", source: EKS_SUBNET_DOC },
    { zoneId: "cac1-az3", region: "ca-central-1", source: EKS_SUBNET_DOC },
    // Not in the user guide's table; eksctl (the EKS CLI) avoids it after
    // UnsupportedAvailabilityZoneException reports (eksctl-io/eksctl#3916, pkg/az/az.go).
    { zoneId: "cnn1-az4", region: "cn-north-1", source: "eksctl pkg/az/az.go zoneIDsToAvoid (eksctl-io/eksctl#3916)" },
];

const EKS_UNSUPPORTED = new Set(EKS_UNSUPPORTED_ZONE_IDS.map(z => z.zoneId));

/** Whether EKS refuses cluster subnets in this zone id. */
export function eksRefusesZone(zoneId: string): boolean {
    return EKS_UNSUPPORTED.has(zoneId);
}

const VPC_LINK_V2_DOC =
    "Amazon API Gateway Developer Guide, \"Working with VPC links for HTTP APIs\", availability by Region " +
    "(https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html)";

/**
 * Regions where VPC links v2 (the front door's link to its edge ALB) exist
 * only in some zones, with the zone ids that have them. In a Region not
 * listed, every zone has them.
 */
export const VPC_LINK_V2_ZONE_IDS: readonly { region: string; prefix: string; zoneIds: readonly string[]; source: string }[] = [
    { region: "us-east-1", prefix: "use1", zoneIds: ["use1-az1", "use1-az2", "use1-az4", "use1-az5", "use1-az6"], source: VPC_LINK_V2_DOC },
    { region: "us-west-1", prefix: "usw1", zoneIds: ["usw1-az1", "usw1-az3"], source: VPC_LINK_V2_DOC },
    { region: "ap-east-1", prefix: "ape1", zoneIds: ["ape1-az2", "ape1-az3"], source: VPC_LINK_V2_DOC },
];

/** Whether API Gateway offers VPC links v2 in this zone id. */
export function vpcLinkV2InZone(zoneId: string): boolean {
    const prefix = zoneId.replace(/-az[0-9]+$/, "");
    const listed = VPC_LINK_V2_ZONE_IDS.find(r => r.prefix === prefix);
    return !listed || listed.zoneIds.includes(zoneId);
}

/** A zone id of an availability zone: `<region code>-az<n>` (`use1-az1`, `apne1-az4`); Local Zones (`usw2-lax1-az1`) do not match. */
export const ZONE_ID_PATTERN = /^[a-z]+[0-9]+-az[0-9]+$/;
