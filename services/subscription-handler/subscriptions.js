// In the repository, the decision table's one implementation, owned by the
// policy pack. The function's package ships that file itself under this name
// (components/subscriptionHandler.ts), so the handler runs the same code the
// plan and the pack run.
"use strict";
module.exports = require("../../policies/lib/subscriptions");
