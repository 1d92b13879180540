export * from "./errors";
export * from "./schema";
export * from "./cidr";
export * from "./endpoints";
export * from "./validate";
export * from "./placement";
export * from "./zones";
