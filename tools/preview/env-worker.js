// A worker thread of the environment plan's pool (./env-pool.ts): loads the
// preview and the project's hooks once, then runs the shard jobs it is sent,
// one at a time (./env-run.ts), and posts back what is kept of each.
"use strict";
const { parentPort, workerData } = require("worker_threads");

require("./launch").configure();
const { runShard, loadProjectHooks, toTransfer } = require("./env-run");

const hooks = loadProjectHooks(workerData.projectDir);

function failure(err) {
    return { name: err && err.name, message: err && err.message ? err.message : String(err), stack: err && err.stack };
}

parentPort.on("message", ({ id, job }) => {
    runShard(job, hooks)
        .then(result => parentPort.postMessage({ id, result: toTransfer(result) }))
        .catch(err => parentPort.postMessage({ id, error: failure(err) }));
});
