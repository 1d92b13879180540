/**
 * Zone ids (`use1-az1`): their format, and those in which EKS refuses cluster
 * subnets. Plain data, no imports: the program picks its zones with them
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

/** A zone id of an availability zone: `<region code>-az<n>` (`use1-az1`, `apne1-az4`); Local Zones (`usw2-lax1-az1`) do not match. */
export const ZONE_ID_PATTERN = /^[a-z]+[0-9]+-az[0-9]+$/;
