#!/usr/bin/env node
/** The `ocm-gateway` bin (package.json): hands the arguments to gateway/cli/ocm-gateway.ts. */
import { runOcmGateway } from './cli/ocm-gateway.ts';

process.exitCode = await runOcmGateway(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
});
