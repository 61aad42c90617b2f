/** Issue 7, first Done-when bullet: every peer dialect → the ocs-v2-backend row (see matrix-cells.ts). */
import { BACKENDS } from './peer-to-backend-rig.ts';
import { describeBackendRow } from './matrix-cells.ts';

const row = BACKENDS[1]!;
describeBackendRow(row.dialect, row.spec);
