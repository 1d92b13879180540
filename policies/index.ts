// The policy pack's entry point. Constructing a PolicyPack starts the analyzer
// gRPC server (and exits the process on error), so this is the only file that
// may do it; rules, helpers and `evaluate` import ./rules instead.
import { PolicyPack } from "@pulumi/policy";
import { policies, POLICY_PACK_NAME } from "./rules";

new PolicyPack(POLICY_PACK_NAME, {
    description: "Isolation (one VPC per microservice, PrivateLink-only connectivity, declared edges) and least-privilege IAM for privatelink-platform stacks.",
    enforcementLevel: "advisory",
    policies,
});
