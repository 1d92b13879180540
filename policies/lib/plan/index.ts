/** The plan model: one record shape, one type table, one graph (see graph.ts). */
export * from "./record";
export * from "./types";
export * from "./graph";
export * from "./slim";
