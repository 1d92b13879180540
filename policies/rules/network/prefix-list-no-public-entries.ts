import { coversWorld, publicCidrs } from "../../lib/cidrset";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { asArray, get } from "../../lib/values";

export const PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList";
export const PREFIX_LIST_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry";

export const prefixListNoPublicEntries = resourceRule({
    name: "prefix-list-no-public-entries",
    description: "Customer-managed prefix lists (and their entries) hold no public address space, so a security group rule naming one cannot reach the internet.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Keep only the VPC CIDR or other RFC 1918/6598 blocks in the list; reach AWS services through VPC endpoints (the S3 gateway endpoint's AWS-managed list is not a customer list).",
    meta: {
        area: "network",
        rationale:
            "A security group rule that references a prefix list admits every CIDR in it (https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html), so the list is judged as the rule's sources: " +
            "0.0.0.0/0 behind a pl- id is still the internet. AWS-managed lists of AWS services (com.amazonaws.<region>.s3) are created by AWS, never by the stack, and stay allowed.",
        equivalents: {},
    },
    validateResource: ofTypes([PREFIX_LIST, PREFIX_LIST_ENTRY], (props, args, report) => {
        const cidrs = args.type === PREFIX_LIST ? asArray(get(props, "entries")).map((e) => get(e, "cidr")) : [get(props, "cidr")];
        const pub = publicCidrs(cidrs);
        if (pub.length > 0) {
            const world = coversWorld(cidrs);
            report(
                `${subject(args)} ${args.type === PREFIX_LIST ? "entries" : "cidr"} hold public address space ${JSON.stringify(pub)}${world.length ? " (together: every address)" : ""}; ` +
                    `any security group rule naming this list opens to it. Fix: list only the VPC CIDR or other RFC 1918/6598 blocks.`,
            );
        }
    }),
});
