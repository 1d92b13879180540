// Measures evaluate() on a synthetic compliant stack:
//   npm run -w policies bench [-- resources]
import { evaluate, summarize } from "../evaluate";
import { afterUp, bigStackOf, fixtureDeclarations, raisedQuotasConfig } from "../test/fixtures";


async function main(): Promise<void> {
    const { services, records } = bigStackOf(Number(process.argv[2] ?? 8000));
    const declared = fixtureDeclarations(); // its account and its log bucket, declared
    const stackConfig = { ...raisedQuotasConfig(services), ...declared.stackConfig }; // and the quotas such a stack declares, from its service count
    for (const mode of ["preview", "up"] as const) {
        const input = mode === "up" ? afterUp(records) : records;
        await evaluate(input.slice(0, 200), { mode, config: declared.config, stackConfig });
        const times: number[] = [];
        let summary = {};
        for (let i = 0; i < 5; i++) {
            const t0 = process.hrtime.bigint();
            summary = summarize(await evaluate(input, { mode, config: declared.config, stackConfig }));
            times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        times.sort((a, b) => a - b);
        console.log(`${input.length} resources, ${mode}: median ${times[2].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)}) ${JSON.stringify(summary)}`);
    }
}
void main();
