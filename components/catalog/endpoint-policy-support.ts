/**
 * Which AWS services accept a VPC endpoint policy, with the source of each
 * entry. One list for the program and the policy pack: the pack owns it
 * because it is published on its own (see policies/lib/endpoint-policy-support.ts
 * for the list, what to do for a service not in it, and how to check a
 * region with `aws ec2 describe-vpc-endpoint-services`).
 */
export { ENDPOINT_POLICY_SUPPORT, acceptsEndpointPolicy, ecrLayerBucketArn, endpointPolicySupport } from "../../policies/lib/endpoint-policy-support";
export type { EndpointPolicySupport, EndpointPolicySupportEntry } from "../../policies/lib/endpoint-policy-support";
