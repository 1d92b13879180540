/** The columns of `npm run bench -- --pack`'s table (docs/performance.md quotes it; test/bench/pack.test.ts holds the doc to it). */
export const PACK_TABLE_HEADER = [
    "| catalog | services | resources | exposed routes | policy pack, wall (s) | policy pack, CPU (s) | of which reachability, wall (s) | mandatory violations |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];

/** The pack's time budget over a 200-service catalog (issue 19, "Done when": within 2 s, measured in the bench). */
export const PACK_BUDGET_S = 2;
