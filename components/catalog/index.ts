export * from "./errors";
export * from "./schema";
export * from "./fields";
export * from "./cidr";
export * from "./validate";
export * from "./names";
export * from "./needsInput";
export * from "./zones";
export * from "./expose";
export * from "./shards";
export * from "./subscribers";
export * from "./external";
export * from "./privateDns";
export * from "./needs";
// A stack's declared edges: one derivation, owned by the policy pack (published on its own), for the program and the pack alike.
export { declaredEdges, DeclaredEdge, edgeName } from "../../policies/lib/declared-edges";
