/**
 * A function's log lines (what Lambda sends to its log group: everything it
 * writes with console.log), kept for a test's assertions instead of the
 * terminal. Call in a `describe`: the lines of its tests, newest last.
 */
export function captureFunctionLog(): string[] {
    const lines: string[] = [];
    let original: typeof console.log | undefined;
    before(() => {
        original = console.log;
        console.log = (...args: unknown[]) => {
            lines.push(args.map(String).join(" "));
        };
    });
    after(() => {
        if (original) console.log = original;
    });
    return lines;
}
