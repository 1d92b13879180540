/** The offline plan's usage text (tools/preview/usage.js). */
export declare const USAGE: string;
/** The `--diagram*` part of it. */
export declare const DIAGRAM_USAGE: string;
/** True when the arguments ask for the usage text. */
export declare function wantsHelp(argv: readonly string[]): boolean;
