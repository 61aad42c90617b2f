/** Issue 7, first Done-when bullet: every peer dialect → the ocs-v1-backend row (see matrix-cells.ts). */
import { BACKENDS } from './peer-to-backend-rig.ts';
import { describeBackendRow } from './matrix-cells.ts';

const row = BACKENDS[0]!;
describeBackendRow(row.dialect, row.spec);
