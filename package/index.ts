// The component package's entry point: the components other Pulumi programs
// (Python, Go, C#, Java, YAML, TypeScript) use through `pulumi package add`.
// The Node.js language host finds the exported ComponentResource classes and
// serves them (@pulumi/pulumi cmd/run-plugin, componentProviderHost).
export { PrivateLinkConsumer, PrivateLinkService } from "./endpoint";
export { Platform } from "./platform";
